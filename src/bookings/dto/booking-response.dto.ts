import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEGAL_FORM_CODES, LEGAL_FORMS, TOPIC_CODES, TOPICS } from '../booking-options';
import { PROGRAMME_TIME_ZONE } from '../../calendar/time-zone';

export class BookingAdvisorDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;
}

export class BookingAttendeeDto {
  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ type: String, nullable: true })
  phone: string | null;
}

export class BookingOrganisationDto {
  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true, example: '73282932000074' })
  siret: string | null;

  @ApiProperty({ type: String, nullable: true, enum: LEGAL_FORM_CODES })
  legalForm: string | null;

  @ApiProperty({ type: String, nullable: true, example: '42000' })
  postcode: string | null;

  @ApiProperty({ type: String, nullable: true, example: '42218', description: 'INSEE code of the commune; null when no postcode was given' })
  communeCode: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Saint-Étienne' })
  commune: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'whether the commune belongs to the metropolis; null when unknown' })
  inMetropolis: boolean | null;
}

/** A booking (a permanence slot) or a registration (a workshop), as GET /api/bookings/:id gives it. */
export class BookingResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['confirmed', 'waitlisted', 'cancelled'] })
  status: 'confirmed' | 'waitlisted' | 'cancelled';

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'only while waitlisted: 1 is the next to get a seat' })
  waitlistPosition?: number | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'a permanence slot, or null for a workshop' })
  slotId: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  sessionId: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'a workshop, or null for a permanence slot' })
  workshopId: string | null;

  @ApiPropertyOptional({ description: 'workshops only' })
  workshopTitle?: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;

  @ApiProperty({ example: PROGRAMME_TIME_ZONE })
  timeZone: string;

  @ApiProperty()
  location: string;

  @ApiProperty({ type: () => BookingAdvisorDto, nullable: true, description: 'the advisor of the desk, when one is named' })
  advisor: BookingAdvisorDto | null;

  @ApiProperty({ type: () => BookingAttendeeDto })
  attendee: BookingAttendeeDto;

  @ApiProperty({ type: () => BookingOrganisationDto })
  organisation: BookingOrganisationDto;

  @ApiProperty({ type: [String], enum: TOPIC_CODES })
  topics: string[];

  @ApiProperty({ type: String, nullable: true })
  message: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['session_cancelled', 'session_moved', 'session_changed', 'workshop_cancelled', 'workshop_changed'],
    description: 'a change made by the CRESS the attendee should know of',
  })
  attention: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'when the booking left the waitlist' })
  promotedAt: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  cancelledAt: string | null;

  @ApiProperty({ type: String, nullable: true, enum: ['attendee', 'staff', 'system'] })
  cancelledBy: string | null;

  @ApiProperty({ type: String, nullable: true })
  cancelReason: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** The answer to POST /api/bookings: the booking, with its manage token, given only this once. */
export class CreatedBookingResponseDto extends BookingResponseDto {
  @ApiProperty({ description: 'the secret that lets the attendee see, cancel or move the booking; not stored in clear, never given again' })
  manageToken: string;

  @ApiProperty({ format: 'uri', description: 'the manage page, with the token' })
  manageUrl: string;
}

export class TopicOptionDto {
  @ApiProperty({ enum: TOPIC_CODES })
  code: string;

  @ApiProperty({ example: TOPICS.legal_status })
  label: string;
}

export class LegalFormOptionDto {
  @ApiProperty({ enum: LEGAL_FORM_CODES })
  code: string;

  @ApiProperty({ example: LEGAL_FORMS.association })
  label: string;
}

export class BookingOptionsResponseDto {
  @ApiProperty({ type: () => [TopicOptionDto] })
  topics: TopicOptionDto[];

  @ApiProperty({ type: () => [LegalFormOptionDto] })
  legalForms: LegalFormOptionDto[];
}
