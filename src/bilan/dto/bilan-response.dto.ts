import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROGRAMME_TIME_ZONE } from '../../calendar/time-zone';

export class TerritorySplitDto {
  @ApiProperty({ description: 'commune in the metropolis' })
  inMetropolis: number;

  @ApiProperty({ description: 'commune outside the metropolis' })
  outside: number;

  @ApiProperty({ description: 'commune not known' })
  unknown: number;
}

export class BilanOrganisationsDto extends TerritorySplitDto {
  @ApiProperty({ description: 'distinct organisations with a non-cancelled booking in the period' })
  total: number;

  @ApiProperty({ description: 'those whose first non-cancelled booking ever is in the period' })
  new: number;
}

export class BilanPermanencesDto {
  @ApiProperty({ description: 'scheduled sessions that have ended' })
  held: number;

  @ApiProperty()
  cancelled: number;

  @ApiProperty({ description: 'scheduled sessions not ended yet' })
  scheduled: number;
}

export class BilanMonthDto {
  @ApiProperty({ example: '2027-03' })
  month: string;

  @ApiProperty()
  permanenceBookings: number;

  @ApiProperty({ description: 'present, event ended' })
  permanenceAttended: number;

  @ApiProperty()
  workshopRegistrations: number;

  @ApiProperty()
  workshopAttended: number;
}

export class BilanCountDto {
  @ApiProperty({ type: String, nullable: true, description: 'null: not given (legal forms)' })
  code: string | null;

  @ApiProperty()
  label: string;

  @ApiProperty()
  bookings: number;

  @ApiProperty()
  organisations: number;
}

export class BilanCommuneDto {
  @ApiProperty({ example: '42218', description: 'INSEE code' })
  code: string;

  @ApiProperty({ example: 'Saint-Étienne' })
  name: string;

  @ApiProperty()
  inMetropolis: boolean;

  @ApiProperty()
  bookings: number;

  @ApiProperty()
  organisations: number;
}

export class BilanCommunesDto {
  @ApiProperty({ type: () => [BilanCommuneDto], description: 'most organisations first' })
  list: BilanCommuneDto[];

  @ApiProperty({ type: () => TerritorySplitDto })
  bookings: TerritorySplitDto;

  @ApiProperty({ type: () => TerritorySplitDto })
  organisations: TerritorySplitDto;
}

export class BilanOrientationsDto {
  @ApiProperty({ description: 'orientations given (a booking may give several)' })
  given: number;

  @ApiProperty({ description: 'bookings whose follow-up gave at least one' })
  bookings: number;

  @ApiProperty()
  organisations: number;

  @ApiProperty({ type: () => [BilanCountDto] })
  byOrientation: BilanCountDto[];
}

export class BilanWorkshopDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ example: '14:00' })
  time: string;

  @ApiProperty({ enum: ['scheduled', 'cancelled'] })
  status: string;

  @ApiProperty()
  seats: number;

  @ApiProperty()
  registered: number;

  @ApiProperty()
  waitlisted: number;

  @ApiProperty()
  attended: number;
}

export class SatisfactionFiguresDto {
  @ApiProperty()
  responses: number;

  @ApiProperty({ description: 'attended bookings (present, event ended)' })
  attended: number;

  @ApiProperty({
    description:
      'questionnaires sent: bookings asked the satisfaction question (only attendees present, not opted out, whose attendance was recorded within 7 days are asked)',
  })
  asked: number;

  @ApiProperty({ type: Number, nullable: true, description: 'responses ÷ asked (questionnaires sent), 0 to 1, four decimals; null when nobody was asked' })
  responseRate: number | null;

  @ApiProperty({ type: Number, nullable: true, description: '1 to 5, two decimals; null without a response' })
  mean: number | null;
}

export class SatisfactionScoreDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  score: number;

  @ApiProperty()
  responses: number;
}

export class SatisfactionByKindDto extends SatisfactionFiguresDto {
  @ApiProperty({ enum: ['permanence', 'atelier'] })
  kind: string;
}

export class SatisfactionByWorkshopDto extends SatisfactionFiguresDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ format: 'date' })
  date: string;
}

export class SatisfactionCommentDto {
  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ enum: ['permanence', 'atelier'] })
  kind: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  score: number;

  @ApiProperty()
  comment: string;
}

export class BilanSatisfactionDto extends SatisfactionFiguresDto {
  @ApiProperty({ type: () => [SatisfactionScoreDto], description: 'scores 1 to 5 in order' })
  distribution: SatisfactionScoreDto[];

  @ApiProperty({ type: () => [SatisfactionByKindDto] })
  byKind: SatisfactionByKindDto[];

  @ApiProperty({ type: () => [SatisfactionByWorkshopDto] })
  byWorkshop: SatisfactionByWorkshopDto[];

  @ApiPropertyOptional({ type: () => [SatisfactionCommentDto], description: 'admins only (absent for a viewer); never names the attendee' })
  comments?: SatisfactionCommentDto[];
}

export class BilanSentencesDto {
  @ApiProperty({ example: '43 structures accompagnées, dont 31 de la Métropole ; 12 nouvelles.' })
  organisations: string;

  @ApiProperty()
  permanences: string;

  @ApiProperty()
  months: string;

  @ApiProperty()
  topics: string;

  @ApiProperty()
  legalForms: string;

  @ApiProperty()
  communes: string;

  @ApiProperty()
  orientations: string;

  @ApiProperty()
  workshops: string;

  @ApiProperty()
  satisfaction: string;
}

export class BilanResponseDto {
  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ example: PROGRAMME_TIME_ZONE })
  timeZone: string;

  @ApiProperty({ example: 'Saint-Etienne Métropole', description: 'the metropolis (EPCI) as Etalab names it' })
  metropolis: string;

  @ApiProperty({ type: () => BilanOrganisationsDto })
  organisations: BilanOrganisationsDto;

  @ApiProperty({ type: () => BilanPermanencesDto })
  permanences: BilanPermanencesDto;

  @ApiProperty({ type: () => [BilanMonthDto], description: 'every month of the period' })
  months: BilanMonthDto[];

  @ApiProperty({ type: () => [BilanCountDto] })
  topics: BilanCountDto[];

  @ApiProperty({ type: () => [BilanCountDto] })
  legalForms: BilanCountDto[];

  @ApiProperty({ type: () => BilanCommunesDto })
  communes: BilanCommunesDto;

  @ApiProperty({ type: () => BilanOrientationsDto })
  orientations: BilanOrientationsDto;

  @ApiProperty({ type: () => [BilanWorkshopDto] })
  workshops: BilanWorkshopDto[];

  @ApiProperty({ type: () => BilanSatisfactionDto })
  satisfaction: BilanSatisfactionDto;

  @ApiProperty({ type: () => BilanSentencesDto, description: 'one French sentence per section' })
  sentences: BilanSentencesDto;
}
