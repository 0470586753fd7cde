import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PROGRAMME_TIME_ZONE } from '../../calendar/time-zone';
import { COMMENT_MAX } from '../satisfaction.service';

const TOKEN = { message: 'Le jeton du lien est requis.' };

export class SatisfactionAnswerDto {
  @ApiProperty({ description: 'the token of the answer link (each works once; the answer gives the next)' })
  @MinLength(1, TOKEN)
  @IsString(TOKEN)
  token: string;

  @ApiProperty({ minimum: 1, maximum: 5, description: '1 = pas du tout utile … 5 = très utile' })
  @IsIn([1, 2, 3, 4, 5], { message: 'Choisissez une réponse de 1 à 5.' })
  @IsInt({ message: 'Choisissez une réponse de 1 à 5.' })
  score: number;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: COMMENT_MAX, description: 'absent: the comment given before stays; empty or null: removed' })
  @IsOptional()
  @IsString({ message: 'Le commentaire doit être un texte.' })
  @MaxLength(COMMENT_MAX, { message: `Le commentaire ne doit pas dépasser ${COMMENT_MAX} caractères.` })
  comment?: string | null;
}

export class SatisfactionOptOutDto {
  @ApiProperty({ description: 'the token of the opt-out link of the e-mail' })
  @MinLength(1, TOKEN)
  @IsString(TOKEN)
  token: string;
}

export class SatisfactionEventDto {
  @ApiProperty({ enum: ['permanence', 'workshop'] })
  type: 'permanence' | 'workshop';

  @ApiProperty({ type: String, nullable: true, description: 'the workshop’s title; null for a permanence' })
  title: string | null;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;

  @ApiProperty({ example: PROGRAMME_TIME_ZONE })
  timeZone: string;

  @ApiProperty()
  location: string;
}

export class SatisfactionAnswerViewDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  score: number;

  @ApiProperty({ type: String, nullable: true })
  comment: string | null;

  @ApiProperty({ format: 'date-time' })
  answeredAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class SatisfactionResponseDto {
  @ApiProperty({ format: 'uuid' })
  bookingId: string;

  @ApiProperty({ type: SatisfactionEventDto })
  event: SatisfactionEventDto;

  @ApiProperty({ type: SatisfactionAnswerViewDto, nullable: true, description: 'null until the person answers' })
  answer: SatisfactionAnswerViewDto | null;

  @ApiProperty({ format: 'date-time', description: 'the answer can be given or changed until then (30 days after the event)' })
  openUntil: string;

  @ApiProperty({ description: 'the token for the next answer: a token works once' })
  token: string;
}

export class SatisfactionOptOutResponseDto {
  @ApiProperty({ format: 'uuid' })
  bookingId: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the address opted out; null if it has not' })
  optedOutAt: string | null;
}
