import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsLocalDate } from '../../common/validators';
import { LIST_CODE } from '../../settings/dto/list-entry.dto';

/** Blank text is no text: null, as an emptied field clears it. */
const blankToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

/** A note as blankToNull, with the line breaks a browser sends (CR LF, HTML §4.10.5) written as LF. */
const noteText = ({ value }: { value: unknown }) => blankToNull({ value: typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value });

export const NOTE_MAX = 4000;

/** PUT /api/bookings/:id/follow-up: the whole follow-up, as it should be after the call. */
export class FollowUpDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: NOTE_MAX,
    description: 'staff only: never e-mailed, never in a feed, never shown to the viewer; cleared by erasure and after RETENTION_MONTHS',
  })
  @Transform(noteText)
  @IsOptional()
  @MaxLength(NOTE_MAX, { message: 'La note ne doit pas dépasser 4 000 caractères.' })
  @IsString({ message: 'La note doit être un texte.' })
  note?: string | null;

  // The offered codes are checked by FollowUpsService (an archived one only where the follow-up already has it).
  @ApiPropertyOptional({ type: [String], example: ['dla', 'france_active'], description: 'codes of GET /api/lists/orientations' })
  @IsOptional()
  // With stopAtFirstError, the decorator nearest the property is checked first: the list, then its items.
  @ArrayMaxSize(20, { message: 'Trop d’orientations.' })
  @ArrayUnique({ message: 'Chaque orientation ne peut figurer qu’une fois.' })
  @Matches(LIST_CODE, { each: true, message: 'Orientation inconnue : choisissez-en dans la liste.' })
  @IsString({ each: true, message: 'Orientation inconnue : choisissez-en dans la liste.' })
  @IsArray({ message: 'Les orientations forment une liste.' })
  orientations?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2027-01-15',
    description: 'a follow-up to do on that local date (Paris), on an advisor’s agenda',
  })
  @Transform(blankToNull)
  @IsOptional()
  @IsLocalDate({ message: 'Date attendue au format AAAA-MM-JJ.' })
  followUpOn?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'whose agenda shows the follow-up to do (default: whom it was already for, else the writer); only with followUpOn',
  })
  @Transform(blankToNull)
  @IsOptional()
  @IsUUID('all', { message: 'Choisissez un membre de l’équipe dans la liste.' })
  followUpAdvisorId?: string | null;
}

/** PUT /api/bookings/:id/follow-up/done */
export class FollowUpDoneDto {
  @ApiProperty({ description: 'true: the follow-up to do is done; false: to do again' })
  @IsBoolean({ message: 'done doit valoir true ou false.' })
  done: boolean;
}
