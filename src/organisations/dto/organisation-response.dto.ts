import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEGAL_FORM_CODES, TOPIC_CODES } from '../../bookings/booking-options';
import { FollowUpOrientationDto, FollowUpPersonDto } from '../../follow-ups/dto/follow-up-response.dto';

/** An entry of the register, as GET /api/organisations lists it. */
export class OrganisationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  siret: string | null;

  @ApiProperty({ type: String, nullable: true, enum: LEGAL_FORM_CODES })
  legalForm: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Association' })
  legalFormLabel: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'ESUS approval (entreprise solidaire d’utilité sociale), when known' })
  esusApproved: boolean | null;

  @ApiProperty({ type: String, nullable: true })
  sector: string | null;

  @ApiProperty({ type: String, nullable: true })
  postcode: string | null;

  @ApiProperty({ type: String, nullable: true, example: '42218', description: 'INSEE code of the commune (Etalab data)' })
  communeCode: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Saint-Étienne', description: 'the name of `communeCode`; without one, what an admin typed' })
  commune: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'whether the commune belongs to the metropolis; null when no commune code is known' })
  inMetropolis: boolean | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'the entry this duplicate was merged into' })
  mergedInto: string | null;

  @ApiProperty()
  permanenceBookings: number;

  @ApiProperty()
  workshopRegistrations: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastBookingAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class OrganisationContactDto {
  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ type: String, nullable: true })
  phone: string | null;

  @ApiProperty({ format: 'date-time' })
  lastBookingAt: string;
}

export class OrganisationTopicDto {
  @ApiProperty({ enum: TOPIC_CODES })
  code: string;

  @ApiProperty()
  label: string;
}

/** An appointment's follow-up, with who wrote it and when (staff only). */
export class OrganisationFollowUpDto {
  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ type: () => [FollowUpOrientationDto] })
  orientations: FollowUpOrientationDto[];

  @ApiProperty({ type: String, nullable: true, example: '2027-01-15' })
  followUpOn: string | null;

  @ApiProperty({ type: () => FollowUpPersonDto, nullable: true })
  followUpAdvisor: FollowUpPersonDto | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  followUpDoneAt: string | null;

  @ApiProperty({ type: () => FollowUpPersonDto, nullable: true })
  createdBy: FollowUpPersonDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: () => FollowUpPersonDto, nullable: true })
  updatedBy: FollowUpPersonDto | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class OrganisationBookingDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['permanence', 'workshop'] })
  kind: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ enum: ['confirmed', 'waitlisted', 'cancelled'] })
  status: string;

  @ApiProperty({ type: () => [OrganisationTopicDto] })
  topics: OrganisationTopicDto[];

  @ApiProperty({ type: String, nullable: true, enum: ['present', 'absent', 'excused'] })
  attendance: string | null;

  @ApiPropertyOptional({ description: 'admins, and an advisor for their own desk’s appointments and the workshops: a viewer never gets it' })
  attendeeName?: string;

  @ApiProperty({ type: () => [FollowUpOrientationDto], description: 'the orientations given after the appointment (figures: every role sees them)' })
  orientations: FollowUpOrientationDto[];

  @ApiPropertyOptional({
    type: () => OrganisationFollowUpDto,
    nullable: true,
    description: 'admins, and an advisor for their own desk’s appointments (or a follow-up to do for them): a viewer never gets it',
  })
  followUp?: OrganisationFollowUpDto | null;
}

/** One entry with the people who booked for it and its bookings, newest first. */
export class OrganisationDetailResponseDto extends OrganisationResponseDto {
  @ApiPropertyOptional({ type: () => [OrganisationContactDto], description: 'admins only: a viewer or an advisor never gets them' })
  contacts?: OrganisationContactDto[];

  @ApiProperty({ type: () => [OrganisationBookingDto] })
  bookings: OrganisationBookingDto[];
}
