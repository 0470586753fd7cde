import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { HOLIDAY_POLICIES, HolidayPolicy } from '../../calendar';
import { trim } from '../../common/validators';

const HOLIDAY_MESSAGE =
  'Choisissez ce qui arrive à une permanence tombant un jour férié : annulée (cancel), avancée d’une semaine (previous_week) ou repoussée d’une semaine (next_week).';

/** Every field optional: what is absent stays as it is. */
export class UpdateSettingsDto {
  @ApiPropertyOptional({ example: 'Chambre régionale de l’économie sociale et solidaire Auvergne-Rhône-Alpes', maxLength: 300 })
  @Transform(trim)
  @IsOptional()
  @MaxLength(300, { message: 'La raison sociale ne doit pas dépasser 300 caractères.' })
  @MinLength(1, { message: 'La raison sociale est requise.' })
  @IsString({ message: 'La raison sociale est requise.' })
  legalName?: string;

  @ApiPropertyOptional({ example: '12 rue de la République, 42000 Saint-Étienne', maxLength: 300 })
  @Transform(trim)
  @IsOptional()
  @MaxLength(300, { message: 'L’adresse ne doit pas dépasser 300 caractères.' })
  @MinLength(1, { message: 'L’adresse postale est requise.' })
  @IsString({ message: 'L’adresse postale est requise.' })
  address?: string;

  @ApiPropertyOptional({ example: 'contact@cress-aura.org' })
  @Transform(trim)
  @IsOptional()
  @IsEmail({}, { message: 'Adresse e-mail de contact invalide.' })
  @MaxLength(254, { message: 'L’adresse e-mail est trop longue.' })
  @IsString({ message: 'L’adresse e-mail de contact est requise.' })
  contactEmail?: string;

  @ApiPropertyOptional({ example: 'donnees-personnelles@cress-aura.org' })
  @Transform(trim)
  @IsOptional()
  @IsEmail({}, { message: 'Adresse e-mail pour les données personnelles invalide.' })
  @MaxLength(254, { message: 'L’adresse e-mail est trop longue.' })
  @IsString({ message: 'L’adresse e-mail pour les données personnelles est requise.' })
  privacyEmail?: string;

  @ApiPropertyOptional({ enum: HOLIDAY_POLICIES, description: 'For sessions generated from now on; existing sessions keep their date' })
  @IsOptional()
  @IsIn(HOLIDAY_POLICIES, { message: HOLIDAY_MESSAGE })
  holidayPolicy?: HolidayPolicy;

  @ApiPropertyOptional({ minimum: 1, maximum: 720, example: 48 })
  @IsOptional()
  @Max(720, { message: 'Le délai du rappel est un nombre d’heures de 1 à 720 (30 jours).' })
  @Min(1, { message: 'Le délai du rappel est un nombre d’heures de 1 à 720 (30 jours).' })
  @IsInt({ message: 'Le délai du rappel est un nombre d’heures de 1 à 720 (30 jours).' })
  reminderHoursBefore?: number;
}

export class SettingsResponseDto {
  @ApiProperty({ description: 'Short name in sentences (CRESS_NAME, configuration)' })
  name: string;
  @ApiProperty()
  legalName: string;
  @ApiProperty()
  address: string;
  @ApiProperty()
  contactEmail: string;
  @ApiProperty()
  privacyEmail: string;
  @ApiProperty({ description: 'METROPOLIS_NAME, configuration' })
  metropolisName: string;
  @ApiProperty({ enum: HOLIDAY_POLICIES })
  holidayPolicy: HolidayPolicy;
  @ApiProperty()
  reminderHoursBefore: number;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
