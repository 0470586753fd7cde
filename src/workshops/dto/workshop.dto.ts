import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsInstant, IsInstantOrdered, IsLocalDate, trim } from '../../common/validators';

const TITLE = { message: 'Le titre doit faire de 1 à 200 caractères.' };
const DESCRIPTION = { message: 'La description ne doit pas dépasser 4 000 caractères.' };
const LOCATION = { message: 'Le lieu (adresse ou lien de visioconférence) doit faire de 1 à 300 caractères.' };
const CAPACITY = { message: 'La capacité est un nombre entier de places, de 1 à 1 000.' };
const LIMIT = { message: 'La limite par structure est un nombre entier de 1 à 100, ou null.' };
const REASON = { message: 'Le motif est requis (500 caractères au plus).' };

/** A new workshop. Registration opens at once and closes at the start unless told otherwise. */
export class CreateWorkshopDto {
  @ApiProperty({ example: 'Entreprises à mission et sociétés commerciales de l’ESS' })
  @Transform(trim)
  @IsString(TITLE)
  @MinLength(1, TITLE)
  @MaxLength(200, TITLE)
  title: string;

  @ApiPropertyOptional()
  @Transform(trim)
  @IsOptional()
  @IsString(DESCRIPTION)
  @MaxLength(4000, DESCRIPTION)
  description?: string;

  @ApiProperty({ example: '2027-03-18T09:00:00+01:00' })
  @IsInstant()
  startsAt: string;

  // also in workshops.service.ts:checkTimes, for an update that changes one bound only
  @ApiProperty({ example: '2027-03-18T12:30:00+01:00' })
  @IsInstantOrdered('>', (workshop) => workshop.startsAt, { message: 'Doit être après startsAt.' })
  @IsInstant()
  endsAt: string;

  @ApiProperty({ example: 'Maison de l’ESS, Saint-Étienne — or a video link' })
  @Transform(trim)
  @IsString(LOCATION)
  @MinLength(1, LOCATION)
  @MaxLength(300, LOCATION)
  location: string;

  @ApiProperty({ example: 20 })
  @IsInt(CAPACITY)
  @Min(1, CAPACITY)
  @Max(1000, CAPACITY)
  capacity: number;

  @ApiPropertyOptional({ description: 'registration opens (default: at once)', nullable: true })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInstantOrdered('<', (workshop) => workshop.registrationClosesAt ?? workshop.startsAt, { message: 'Doit être avant la clôture des inscriptions.' })
  @IsInstant()
  registrationOpensAt?: string | null;

  @ApiPropertyOptional({ description: 'registration closes (default: at the start)' })
  @IsOptional()
  @IsInstantOrdered('<=', (workshop) => workshop.endsAt, { message: 'Doit être au plus tard à la fin de l’atelier.' })
  @IsInstant()
  registrationClosesAt?: string;

  @ApiPropertyOptional({ description: 'put people on a waitlist once full (default true)' })
  @IsOptional()
  @IsBoolean({ message: 'waitlistEnabled vaut true ou false.' })
  waitlistEnabled?: boolean;

  @ApiPropertyOptional({ description: 'at most this many registrations per organisation (same SIRET, else same name)', nullable: true })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt(LIMIT)
  @Min(1, LIMIT)
  @Max(100, LIMIT)
  organisationLimit?: number | null;
}

/** Any of the fields; `null` clears the opening date or the per-organisation limit. */
export class UpdateWorkshopDto extends PartialType(CreateWorkshopDto) {}

export class CancelWorkshopDto {
  @ApiProperty({ example: 'Intervenante indisponible' })
  @Transform(trim)
  @IsString(REASON)
  @MinLength(1, REASON)
  @MaxLength(500, REASON)
  reason: string;
}

export class ListWorkshopsQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'first local date (default: today)' })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'last local date, inclusive (default: from + 12 months)' })
  @IsOptional()
  @IsLocalDate()
  to?: string;
}
