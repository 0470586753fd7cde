import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEGAL_FORM_CODES } from '../../bookings/booking-options';
import { PROGRAMME_TIME_ZONE } from '../../calendar/time-zone';

export class WorkshopResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;

  @ApiProperty({ example: PROGRAMME_TIME_ZONE })
  timeZone: string;

  @ApiProperty()
  location: string;

  @ApiProperty()
  capacity: number;

  @ApiProperty({ description: 'seats left (0 once cancelled)' })
  available: number;

  @ApiProperty({ description: 'people on the waitlist' })
  waitlisted: number;

  @ApiProperty()
  waitlistEnabled: boolean;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  registrationOpensAt: string | null;

  @ApiProperty({ format: 'date-time' })
  registrationClosesAt: string;

  @ApiProperty({ type: Number, nullable: true, description: 'most confirmed seats one organisation may take' })
  organisationLimit: number | null;

  @ApiProperty({ enum: ['open', 'full', 'closed', 'cancelled'] })
  status: string;

  @ApiPropertyOptional({ description: 'why the workshop was cancelled' })
  statusReason?: string;
}

/** A confirmed registration, or a place on the waitlist, as the staff see it. */
export class RegistrationResponseDto {
  @ApiProperty({ format: 'uuid', description: 'the booking' })
  id: string;

  @ApiProperty({ enum: ['confirmed', 'waitlisted'] })
  status: string;

  @ApiProperty()
  attendeeName: string;

  @ApiProperty({ format: 'email' })
  attendeeEmail: string;

  @ApiProperty({ type: String, nullable: true })
  attendeePhone: string | null;

  @ApiProperty()
  organisationName: string;

  @ApiProperty({ type: String, nullable: true })
  organisationSiret: string | null;

  @ApiProperty({ type: String, nullable: true, enum: LEGAL_FORM_CODES })
  organisationLegalForm: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  promotedAt: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'on the waitlist: 1 is the next to get a seat; null when confirmed' })
  waitlistPosition: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['present', 'absent', 'excused'],
    description: 'as recorded once the workshop has started; present: GET /api/bookings/{id}/attestation.pdf gives the attendance certificate',
  })
  attendance: string | null;
}
