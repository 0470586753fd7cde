import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, Validate, ValidateIf } from 'class-validator';
import { LIST_CODE } from '../../settings/dto/list-entry.dto';
import { SiretConstraint } from '../../bookings/dto/create-booking.dto';
import { normaliseSiret } from '../../bookings/siret';
import { trim } from '../../common/validators';
import { COMMUNE_CODE } from '../../territory/territory';

export class ListOrganisationsQuery {
  @ApiPropertyOptional({ description: 'part of the name, a SIRET, a postcode or a commune' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'Recherche trop longue.' })
  q?: string;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit est un nombre entier.' })
  @Min(1, { message: 'limit va de 1 à 200.' })
  @Max(200, { message: 'limit va de 1 à 200.' })
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset est un nombre entier.' })
  @Min(0, { message: 'offset est positif.' })
  offset?: number;
}

/** Corrections by an admin; `null` clears an optional field. */
export class UpdateOrganisationDto {
  @ApiPropertyOptional()
  @Transform(trim)
  @IsOptional()
  @IsString({ message: 'Le nom doit faire de 1 à 200 caractères.' })
  @MinLength(1, { message: 'Le nom doit faire de 1 à 200 caractères.' })
  @MaxLength(200, { message: 'Le nom doit faire de 1 à 200 caractères.' })
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseSiret(value) : value))
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Validate(SiretConstraint)
  siret?: string | null;

  // The offered codes are in the database (settings/lists.service.ts:checkOffered); here only their shape.
  @ApiPropertyOptional({ type: String, nullable: true, example: 'association', description: 'A legal form offered in GET /api/booking-options' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Matches(LIST_CODE, { message: 'Forme juridique inconnue : choisissez-en une de la liste.' })
  @IsString({ message: 'Forme juridique inconnue : choisissez-en une de la liste.' })
  legalForm?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'ESUS approval (agrément Entreprise solidaire d’utilité sociale)' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsBoolean({ message: 'esusApproved vaut true, false ou null.' })
  esusApproved?: boolean | null;

  @ApiPropertyOptional({ nullable: true, example: 'Alimentation et circuits courts' })
  @Transform(trim)
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString({ message: 'Le secteur doit être un texte (100 caractères au plus).' })
  @MaxLength(100, { message: 'Le secteur doit être un texte (100 caractères au plus).' })
  sector?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Matches(/^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$/, { message: 'Code postal invalide (5 chiffres).' })
  postcode?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '42096',
    description:
      'INSEE code of the commune (GET /api/communes?postcode=), one of the postcode’s: needed when it has several (422 commune_required lists them); found by itself when it has one',
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Matches(COMMUNE_CODE, { message: 'Commune inconnue : choisissez-en une de la liste.' })
  @IsString({ message: 'Commune inconnue : choisissez-en une de la liste.' })
  communeCode?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'Genève', description: 'free text, shown where no commune code is known (an organisation abroad)' })
  @Transform(trim)
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString({ message: 'La commune doit être un texte (100 caractères au plus).' })
  @MaxLength(100, { message: 'La commune doit être un texte (100 caractères au plus).' })
  commune?: string | null;
}

export class MergeOrganisationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the entry that stays' })
  @IsUUID('all', { message: 'into doit être l’identifiant (UUID) de la structure à conserver.' })
  into: string;
}
