import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { BookingAttendeeDto, BookingOrganisationDto } from '../../bookings/dto/booking-response.dto';
import { SlotAdvisorDto } from '../../permanences/dto/permanence-response.dto';
import { PROGRAMME_TIME_ZONE } from '../../calendar/time-zone';
import { FollowUpOrientationDto, FollowUpPersonDto } from '../../follow-ups/dto/follow-up-response.dto';

export class AgendaAdvisorDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;
}

export class AgendaOrganisationDto extends BookingOrganisationDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'its entry in the register (/staff/organisations/:id)' })
  id: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Association' })
  legalFormLabel: string | null;
}

/** The follow-up noted after an attended permanence appointment (follow-ups/: PUT /api/bookings/:id/follow-up). */
export class AgendaFollowUpDto {
  @ApiProperty({ type: String, nullable: true, description: 'staff only' })
  note: string | null;

  @ApiProperty({ type: () => [FollowUpOrientationDto] })
  orientations: FollowUpOrientationDto[];

  @ApiProperty({ type: String, nullable: true, example: '2027-01-15', description: 'local date of the follow-up to do' })
  followUpOn: string | null;

  @ApiProperty({ type: () => FollowUpPersonDto, nullable: true })
  followUpAdvisor: FollowUpPersonDto | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  followUpDoneAt: string | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, nullable: true })
  updatedByName: string | null;
}

export class AgendaDueOrganisationDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  id: string | null;

  @ApiProperty()
  name: string;
}

/** A follow-up to do on the day, on the agenda of the advisor it is for. */
export class AgendaDueFollowUpDto {
  @ApiProperty({ format: 'uuid', description: 'the appointment it follows' })
  bookingId: string;

  @ApiProperty({ format: 'date-time' })
  appointmentStartsAt: string;

  @ApiProperty({ type: () => FollowUpPersonDto, nullable: true, description: 'the advisor of the appointment’s desk (who may edit the follow-up)' })
  deskAdvisor: FollowUpPersonDto | null;

  @ApiProperty({ type: () => BookingAttendeeDto })
  attendee: BookingAttendeeDto;

  @ApiProperty({ type: () => AgendaDueOrganisationDto })
  organisation: AgendaDueOrganisationDto;

  @ApiProperty({ type: () => AgendaFollowUpDto })
  followUp: AgendaFollowUpDto;
}

export class AgendaBookingDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['confirmed', 'waitlisted'] })
  status: string;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'only while waitlisted' })
  waitlistPosition?: number | null;

  @ApiProperty({ type: () => BookingAttendeeDto })
  attendee: BookingAttendeeDto;

  @ApiProperty({ type: () => AgendaOrganisationDto })
  organisation: AgendaOrganisationDto;

  @ApiProperty({ type: [String] })
  topics: string[];

  @ApiProperty({ type: String, nullable: true })
  message: string | null;

  @ApiProperty({ type: String, nullable: true, enum: ['present', 'absent', 'excused'] })
  attendance: string | null;

  @ApiProperty({ type: String, nullable: true })
  attendanceNote: string | null;

  @ApiProperty({ type: () => SlotAdvisorDto, nullable: true, description: 'who recorded the attendance (the account may be gone)' })
  attendanceRecordedBy: SlotAdvisorDto | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  attendanceRecordedAt: string | null;

  @ApiProperty({ type: () => AgendaFollowUpDto, nullable: true })
  followUp: AgendaFollowUpDto | null;
}

export class AgendaSlotItemDto {
  @ApiProperty({ enum: ['slot'] })
  type: 'slot';

  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  sessionId: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;

  @ApiProperty()
  location: string;

  @ApiProperty({ enum: ['scheduled', 'cancelled'], description: 'the session’s' })
  status: string;

  @ApiProperty({ type: () => SlotAdvisorDto, nullable: true })
  advisor: SlotAdvisorDto | null;

  @ApiProperty()
  capacity: number;

  @ApiProperty()
  free: number;

  @ApiProperty({ type: () => [AgendaBookingDto] })
  bookings: AgendaBookingDto[];
}

export class AgendaWorkshopItemDto {
  @ApiProperty({ enum: ['workshop'] })
  type: 'workshop';

  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;

  @ApiProperty()
  location: string;

  @ApiProperty({ enum: ['scheduled', 'cancelled'] })
  status: string;

  @ApiProperty()
  capacity: number;

  @ApiProperty()
  free: number;

  @ApiProperty()
  waitlisted: number;

  @ApiProperty({ type: () => [AgendaBookingDto], description: 'confirmed, then the waitlist in order' })
  bookings: AgendaBookingDto[];
}

export class AgendaCountsDto {
  @ApiProperty({ description: 'slots of sessions not cancelled' })
  slots: number;

  @ApiProperty()
  bookedSlots: number;

  @ApiProperty()
  freeSlots: number;

  @ApiProperty()
  workshops: number;

  @ApiProperty()
  registrations: number;

  @ApiProperty()
  waitlisted: number;

  @ApiProperty({ description: 'slot bookings and confirmed registrations' })
  bookings: number;

  @ApiProperty()
  present: number;

  @ApiProperty()
  absent: number;

  @ApiProperty()
  excused: number;

  @ApiProperty()
  unrecorded: number;

  @ApiProperty({ description: 'follow-ups to do on the day (the advisor’s, or everybody’s)' })
  followUpsDue: number;

  @ApiProperty({ description: 'of them, marked done' })
  followUpsDone: number;
}

@ApiExtraModels(AgendaSlotItemDto, AgendaWorkshopItemDto)
export class AgendaResponseDto {
  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ example: PROGRAMME_TIME_ZONE })
  timeZone: string;

  @ApiProperty({ type: () => AgendaAdvisorDto, nullable: true, description: 'whose desks; null: every desk' })
  advisor: AgendaAdvisorDto | null;

  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(AgendaSlotItemDto) }, { $ref: getSchemaPath(AgendaWorkshopItemDto) }], discriminator: { propertyName: 'type' } },
    description: 'slots and workshops in time order',
  })
  items: Array<AgendaSlotItemDto | AgendaWorkshopItemDto>;

  @ApiProperty({
    type: () => [AgendaDueFollowUpDto],
    description: 'follow-ups to do on the day: the advisor’s (or, for an admin without advisorId, everybody’s)',
  })
  followUpsDue: AgendaDueFollowUpDto[];

  @ApiProperty({ type: () => AgendaCountsDto })
  counts: AgendaCountsDto;
}
