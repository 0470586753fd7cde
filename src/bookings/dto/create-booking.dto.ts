import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsDefined,
  IsEmail,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { LIST_CODE } from '../../settings/dto/list-entry.dto';
import { isValidSiret, normaliseSiret } from '../siret';
import { blankToUndefined, trim } from '../../common/validators';
import { COMMUNE_CODE } from '../../territory/territory';

@ValidatorConstraint({ name: 'siret' })
export class SiretConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidSiret(value);
  }

  defaultMessage(args?: ValidationArguments): string {
    const digits = typeof args?.value === 'string' ? args.value : '';
    return /^\d{14}$/.test(digits)
      ? 'Ce numéro SIRET n’existe pas : un chiffre est sans doute mal recopié. Vérifiez-le sur l’avis de situation SIRENE ou laissez le champ vide.'
      : 'Le SIRET compte 14 chiffres (les espaces sont acceptés).';
  }
}

// class-validator checks a property's decorators from the bottom up, and stops at the first error:
// the "required" checks sit lowest so a missing field is reported as missing.
export class AttendeeDto {
  @ApiProperty({ example: 'Camille Martin', maxLength: 200 })
  @Transform(trim)
  @MaxLength(200, { message: 'Le nom ne doit pas dépasser 200 caractères.' })
  @MinLength(1, { message: 'Le nom est requis.' })
  @IsString({ message: 'Le nom est requis.' })
  name: string;

  @ApiProperty({ example: 'camille@asso-exemple.fr' })
  @Transform(trim)
  @IsEmail({}, { message: 'Adresse e-mail invalide.' })
  @MaxLength(254, { message: 'L’adresse e-mail est trop longue.' })
  @MinLength(1, { message: 'L’adresse e-mail est requise.' })
  @IsString({ message: 'L’adresse e-mail est requise.' })
  email: string;

  @ApiPropertyOptional({ example: '04 77 00 00 00' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: 'Numéro de téléphone invalide.' })
  @Matches(/^\+?[0-9][0-9 .()-]{5,23}$/, { message: 'Numéro de téléphone invalide.' })
  phone?: string;
}

export class OrganisationDto {
  @ApiProperty({ example: 'Association Exemple', maxLength: 200 })
  @Transform(trim)
  @MaxLength(200, { message: 'Le nom de la structure ne doit pas dépasser 200 caractères.' })
  @MinLength(1, { message: 'Le nom de la structure est requis.' })
  @IsString({ message: 'Le nom de la structure est requis.' })
  name: string;

  @ApiPropertyOptional({ example: '73282932000074', description: '14 digits; spaces are ignored' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseSiret(value) || undefined : value))
  @IsOptional()
  @Validate(SiretConstraint)
  siret?: string;

  // The offered codes are in the database (settings/lists.service.ts:checkOffered); here only their shape.
  @ApiPropertyOptional({ example: 'association', description: 'A code offered in GET /api/booking-options' })
  @IsOptional()
  @Matches(LIST_CODE, { message: 'Forme juridique inconnue : choisissez-en une de la liste.' })
  @IsString({ message: 'Forme juridique inconnue : choisissez-en une de la liste.' })
  legalForm?: string;

  @ApiPropertyOptional({ example: '42000' })
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$/, { message: 'Code postal invalide (5 chiffres).' })
  postcode?: string;

  // Whether it is one of the postcode's communes is checked by territory/commune-choice.ts:communeOf.
  @ApiPropertyOptional({
    example: '42059',
    description:
      'INSEE code of the commune (GET /api/communes?postcode=): needed when the postcode serves several communes (422 commune_required lists them), else found from the postcode',
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(COMMUNE_CODE, { message: 'Commune inconnue : choisissez-en une de la liste.' })
  @IsString({ message: 'Commune inconnue : choisissez-en une de la liste.' })
  communeCode?: string;
}

export class CreateBookingDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A slot of a permanence session (GET /api/permanences); or workshopId' })
  @ValidateIf((body: CreateBookingDto) => body.workshopId === undefined || body.slotId !== undefined)
  @IsDefined({ message: 'Indiquez soit slotId (un créneau de permanence), soit workshopId (un atelier).' })
  @IsUUID('all', { message: 'slotId doit être un identifiant de créneau (UUID).' })
  slotId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A workshop (GET /api/workshops); or slotId' })
  @IsOptional()
  @IsUUID('all', { message: 'workshopId doit être un identifiant d’atelier (UUID).' })
  workshopId?: string;

  @ApiProperty({ type: AttendeeDto })
  @IsDefined({ message: 'Les coordonnées de la personne sont requises.' })
  @IsObject({ message: 'Les coordonnées de la personne sont requises.' })
  @ValidateNested()
  @Type(() => AttendeeDto)
  attendee: AttendeeDto;

  @ApiProperty({ type: OrganisationDto })
  @IsDefined({ message: 'La structure est requise.' })
  @IsObject({ message: 'La structure est requise.' })
  @ValidateNested()
  @Type(() => OrganisationDto)
  organisation: OrganisationDto;

  // As legalForm: the offered codes are checked by settings/lists.service.ts:checkOffered.
  @ApiPropertyOptional({ type: [String], example: ['legal_status'], description: 'Codes offered in GET /api/booking-options' })
  @IsOptional()
  @IsArray({ message: 'Les thématiques forment une liste.' })
  @ArrayMaxSize(50, { message: 'Trop de thématiques.' })
  @ArrayUnique({ message: 'Chaque thématique ne peut figurer qu’une fois.' })
  @Matches(LIST_CODE, { each: true, message: 'Thématique inconnue : choisissez-en dans la liste.' })
  @IsString({ each: true, message: 'Thématique inconnue : choisissez-en dans la liste.' })
  topics?: string[];

  @ApiPropertyOptional({ maxLength: 2000 })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: 'Le message doit être un texte.' })
  @MaxLength(2000, { message: 'Le message ne doit pas dépasser 2 000 caractères.' })
  message?: string;

  @ApiProperty({ enum: [true], description: 'Consent to the processing of the personal data given' })
  @Equals(true, { message: 'Le consentement au traitement des données est requis.' })
  consent: true;
}

export class OralConsentDto {
  @ApiProperty({ enum: [true], description: 'The person gave their consent orally to the signed-in staff member, who read them the notice' })
  @Equals(true, { message: 'Confirmez que la personne a donné son accord oralement, après lecture de la notice.' })
  oral: true;
}

/** A booking made by signed-in staff for someone who phoned or came in (POST /api/staff/bookings). */
export class StaffBookingDto extends OmitType(CreateBookingDto, ['consent'] as const) {
  @ApiProperty({ type: OralConsentDto })
  @IsDefined({ message: 'Confirmez que la personne a donné son accord oralement, après lecture de la notice.' })
  @IsObject({ message: 'Confirmez que la personne a donné son accord oralement, après lecture de la notice.' })
  @ValidateNested()
  @Type(() => OralConsentDto)
  consent: OralConsentDto;
}

export class RescheduleBookingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'slotId doit être un identifiant de créneau (UUID).' })
  slotId: string;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: 'Le motif doit être un texte.' })
  @MaxLength(500, { message: 'Le motif ne doit pas dépasser 500 caractères.' })
  reason?: string;
}

const STAFF_REASON = { message: 'Indiquez le motif de l’annulation (500 caractères au plus) : il est envoyé à la personne.' };

/** Staff cancelling on someone's behalf (a phone call) from the pages: the reason is required, the person reads it. */
export class StaffCancelBookingDto {
  @ApiProperty({ maxLength: 500, example: 'Empêchement signalé par téléphone' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString(STAFF_REASON)
  @MinLength(1, STAFF_REASON)
  @MaxLength(500, STAFF_REASON)
  reason: string;
}
