import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsLocalDate, IsWallTime, trim } from '../../common/validators';

const REASON = { message: 'Le motif est requis (500 caractères au plus).' };
const LOCATION = { message: 'Le lieu doit faire de 1 à 300 caractères.' };
const SLOT_MINUTES = { message: 'La durée d’un créneau est un nombre entier de minutes, de 5 à 480.' };
const ADVISORS = { message: 'advisorIds est une liste d’identifiants de comptes (UUID), sans doublon, 20 au plus.' };

export class ListPermanencesQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'first local date (default: today)' })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({ example: '2027-03-31', description: 'last local date, inclusive (default: from + 3 months)' })
  @IsOptional()
  @IsLocalDate()
  to?: string;
}

export class CancelSessionDto {
  @ApiProperty({ example: 'Conseillère indisponible' })
  @Transform(trim)
  @IsString(REASON)
  @MinLength(1, REASON)
  @MaxLength(500, REASON)
  reason: string;
}

export class MoveSessionDto {
  @ApiProperty({ example: '2027-01-21', description: 'the new local date; the wall-clock times stay the same' })
  @IsLocalDate()
  date: string;

  @ApiPropertyOptional({ example: 'Salle indisponible le jour prévu' })
  @Transform(trim)
  @IsOptional()
  @IsString(REASON)
  @MaxLength(500, REASON)
  reason?: string;
}

export class StaffSessionDto {
  @ApiProperty({ type: [String], description: 'one desk per advisor; an empty list leaves one desk without a named advisor' })
  @IsArray(ADVISORS)
  @ArrayMaxSize(20, ADVISORS)
  @ArrayUnique(ADVISORS)
  @IsUUID('all', { each: true, ...ADVISORS })
  advisorIds: string[];
}

/** The shape of a session: times, slot length, place. Every field is optional. */
class SessionShapeDto {
  @ApiPropertyOptional({ example: '09:00' })
  @IsOptional()
  @IsWallTime()
  startTime?: string;

  @ApiPropertyOptional({ example: '13:00' })
  @IsOptional()
  @IsWallTime()
  endTime?: string;

  @ApiPropertyOptional({ example: 60 })
  @IsOptional()
  @IsInt(SLOT_MINUTES)
  @Min(5, SLOT_MINUTES)
  @Max(480, SLOT_MINUTES)
  slotMinutes?: number;

  @ApiPropertyOptional()
  @Transform(trim)
  @IsOptional()
  @IsString(LOCATION)
  @MinLength(1, LOCATION)
  @MaxLength(300, LOCATION)
  location?: string;
}

/** An extra session; times, slot length and place default to the default series'. */
export class CreateSessionDto extends SessionShapeDto {
  @ApiProperty({ example: '2027-02-11' })
  @IsLocalDate()
  date: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray(ADVISORS)
  @ArrayMaxSize(20, ADVISORS)
  @ArrayUnique(ADVISORS)
  @IsUUID('all', { each: true, ...ADVISORS })
  advisorIds?: string[];
}

export class UpdateSeriesDto extends SessionShapeDto {
  @ApiPropertyOptional({ example: 'Permanence CRESS' })
  @Transform(trim)
  @IsOptional()
  @IsString({ message: 'Le nom doit faire de 1 à 200 caractères.' })
  @MinLength(1, { message: 'Le nom doit faire de 1 à 200 caractères.' })
  @MaxLength(200, { message: 'Le nom doit faire de 1 à 200 caractères.' })
  name?: string;

  @ApiPropertyOptional({
    type: [String],
    description:
      'The advisors on duty by default, in order: sessions generated from now on get a desk for each (none: one desk with nobody named). Sessions already generated keep theirs.',
  })
  @IsOptional()
  @IsArray(ADVISORS)
  @ArrayMaxSize(20, ADVISORS)
  @ArrayUnique(ADVISORS)
  @IsUUID('all', { each: true, ...ADVISORS })
  advisorIds?: string[];
}
