import { ApiProperty } from '@nestjs/swagger';
import { BookingAttendeeDto, BookingOrganisationDto } from '../../bookings/dto/booking-response.dto';

export class PersonalDataEventDto {
  @ApiProperty({ enum: ['permanence', 'workshop'] })
  type: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;

  @ApiProperty()
  location: string;
}

export class ConsentDto {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: String, nullable: true, description: 'the version of the privacy notice agreed to' })
  version: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the staff member the consent was given to orally (a booking made by phone or at the desk); null when given online',
  })
  givenOrallyTo: string | null;
}

export class PersonalDataSatisfactionDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the question was e-mailed; null if it was not' })
  requestedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the person asked for no more questions' })
  optedOutAt: string | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 5 })
  score: number | null;

  @ApiProperty({ type: String, nullable: true })
  comment: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answeredAt: string | null;
}

export class PersonalDataFollowUpDto {
  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ type: [String], description: 'codes of the orientations list' })
  orientations: string[];

  @ApiProperty({ type: String, nullable: true, example: '2027-01-15' })
  followUpOn: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class PersonalDataBookingDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['confirmed', 'waitlisted', 'cancelled'] })
  status: string;

  @ApiProperty({ type: () => PersonalDataEventDto })
  event: PersonalDataEventDto;

  @ApiProperty({ type: () => BookingAttendeeDto })
  attendee: BookingAttendeeDto;

  @ApiProperty({ type: () => BookingOrganisationDto })
  organisation: BookingOrganisationDto;

  @ApiProperty({ type: [String] })
  topics: string[];

  @ApiProperty({ type: String, nullable: true })
  message: string | null;

  @ApiProperty({ type: () => ConsentDto })
  consent: ConsentDto;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  cancelledAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  cancelReason: string | null;

  @ApiProperty({ type: String, nullable: true, enum: ['present', 'absent', 'excused'] })
  attendance: string | null;

  @ApiProperty({ type: String, nullable: true })
  attendanceNote: string | null;

  @ApiProperty({ type: PersonalDataSatisfactionDto, description: 'the satisfaction question after the event, and the answer' })
  satisfaction: PersonalDataSatisfactionDto;

  @ApiProperty({ type: () => PersonalDataFollowUpDto, nullable: true, description: 'what the advisor noted after the appointment' })
  followUp: PersonalDataFollowUpDto | null;
}

export class PersonalDataMessageDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  kind: string;

  @ApiProperty({ enum: ['pending', 'sent', 'failed'] })
  status: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  sentAt: string | null;
}

export class PersonalDataExportDto {
  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ format: 'date-time' })
  exportedAt: string;

  @ApiProperty({ description: 'how long bookings are kept after their date' })
  retentionMonths: number;

  @ApiProperty({ type: () => [PersonalDataBookingDto] })
  bookings: PersonalDataBookingDto[];

  @ApiProperty({ type: () => [PersonalDataMessageDto] })
  messages: PersonalDataMessageDto[];
}

export class PersonalDataErasureDto {
  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ description: 'bookings to come, cancelled' })
  cancelledBookings: number;

  @ApiProperty()
  anonymisedBookings: number;

  @ApiProperty({ description: 'messages not yet sent, dropped' })
  droppedMessages: number;
}

export class PersonalDataErasurePreviewDto {
  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ description: 'bookings held for the address, all to be anonymised' })
  bookings: number;

  @ApiProperty({ description: 'permanence appointments to come, to be cancelled (the slot is freed)' })
  upcomingPermanences: number;

  @ApiProperty({ description: 'workshop seats to come, to be cancelled' })
  upcomingWorkshopSeats: number;

  @ApiProperty({ description: 'of those seats, how many go to the first person on the waitlist' })
  waitlistPromotions: number;

  @ApiProperty({ description: 'places on a waitlist, given up' })
  waitlistPlaces: number;

  @ApiProperty({ description: 'messages not yet sent, to be dropped' })
  pendingMessages: number;
}
