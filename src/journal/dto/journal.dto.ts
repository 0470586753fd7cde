import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsLocalDate } from '../../common/validators';
import { JOURNAL_ACTION_CODES, JournalAction } from '../journal-actions';

export class JournalQuery {
  @ApiPropertyOptional({ example: '2027-01-01', description: 'first local date (the programme’s time zone), inclusive' })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({ example: '2027-01-31', description: 'last local date (the programme’s time zone), inclusive' })
  @IsOptional()
  @IsLocalDate()
  to?: string;

  @ApiPropertyOptional({ enum: JOURNAL_ACTION_CODES })
  @IsOptional()
  @IsIn(JOURNAL_ACTION_CODES, { message: 'Action inconnue : choisissez-en une dans la liste.' })
  action?: JournalAction;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'La page est un nombre entier.' })
  @Min(1, { message: 'La page est un nombre entier à partir de 1.' })
  @Max(100000, { message: 'La page est un nombre entier à partir de 1.' })
  page?: number;
}

export class JournalEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'the staff account; null for the service itself' })
  actorId: string | null;

  @ApiProperty({ type: String, nullable: true })
  actorName: string | null;

  @ApiProperty({ enum: JOURNAL_ACTION_CODES })
  action: string;

  @ApiProperty({ description: 'the action in French' })
  actionLabel: string;

  @ApiProperty({ type: String, nullable: true, example: 'session' })
  subjectType: string | null;

  @ApiProperty({ type: String, nullable: true })
  subjectId: string | null;

  @ApiProperty()
  summary: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class JournalPageDto {
  @ApiProperty({ type: [JournalEntryDto] })
  entries: JournalEntryDto[];

  @ApiProperty()
  page: number;

  @ApiProperty({ description: 'whether a next page exists' })
  hasNext: boolean;
}
