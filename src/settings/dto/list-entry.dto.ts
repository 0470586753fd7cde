import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { trim } from '../../common/validators';

export const LIST_CODE = /^[a-z0-9_]{1,40}$/;

export class CreateListEntryDto {
  @ApiProperty({ example: 'Financement participatif', maxLength: 200 })
  @Transform(trim)
  @MaxLength(200, { message: 'Le libellé ne doit pas dépasser 200 caractères.' })
  @MinLength(1, { message: 'Le libellé est requis.' })
  @IsString({ message: 'Le libellé est requis.' })
  label: string;

  @ApiPropertyOptional({
    example: 'financement_participatif',
    description: 'Lower-case letters, digits and _; derived from the label when absent. Never changes afterwards.',
  })
  @Transform(trim)
  @IsOptional()
  @Matches(LIST_CODE, { message: 'Le code s’écrit en minuscules sans accents, chiffres et « _ » (40 caractères au plus).' })
  @IsString({ message: 'Le code s’écrit en minuscules sans accents, chiffres et « _ » (40 caractères au plus).' })
  code?: string;
}

export class UpdateListEntryDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Transform(trim)
  @IsOptional()
  @MaxLength(200, { message: 'Le libellé ne doit pas dépasser 200 caractères.' })
  @MinLength(1, { message: 'Le libellé ne peut pas être vide.' })
  @IsString({ message: 'Le libellé doit être un texte.' })
  label?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'New place in the list of offered entries, from 1' })
  @IsOptional()
  @Max(1000, { message: 'La position est un nombre entier à partir de 1.' })
  @Min(1, { message: 'La position est un nombre entier à partir de 1.' })
  @IsInt({ message: 'La position est un nombre entier à partir de 1.' })
  position?: number;

  @ApiPropertyOptional({ description: 'true: no longer offered at booking (its label stays on the bookings that used it); false: offered again' })
  @IsOptional()
  @IsBoolean({ message: 'archived vaut true ou false.' })
  archived?: boolean;
}

export class ListEntryResponseDto {
  @ApiProperty({ example: 'ambition_ess' })
  code: string;

  @ApiProperty({ example: 'La plateforme « Ambition ESS »' })
  label: string;

  @ApiProperty({ example: 6 })
  position: number;

  @ApiProperty()
  archived: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  archivedAt: string | null;
}
