import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROGRAMME_TIME_ZONE } from '../../calendar/time-zone';

export class AreaCountsDto {
  @ApiProperty()
  bookings: number;

  @ApiProperty()
  organisations: number;
}

/** One figure split by where the organisations are. */
export class AreaCountsSplitDto {
  @ApiProperty({ type: () => AreaCountsDto, description: 'organisations whose commune belongs to the metropolis' })
  inMetropolis: AreaCountsDto;

  @ApiProperty({ type: () => AreaCountsDto, description: 'organisations of another commune' })
  outsideMetropolis: AreaCountsDto;

  @ApiProperty({ type: () => AreaCountsDto, description: 'organisations whose commune is not known' })
  unknown: AreaCountsDto;
}

/** The booking figures of ReportFiguresDto for the organisations of one area. */
export class AreaFiguresDto {
  @ApiProperty()
  bookings: number;

  @ApiProperty()
  slotsBooked: number;

  @ApiProperty()
  attended: number;

  @ApiProperty({ type: Number, nullable: true })
  attendanceRate: number | null;

  @ApiProperty()
  noShows: number;

  @ApiProperty()
  excused: number;

  @ApiProperty()
  attendanceUnrecorded: number;

  @ApiProperty()
  organisations: number;

  @ApiProperty()
  newOrganisations: number;
}

export class AreaFiguresSplitDto {
  @ApiProperty({ type: () => AreaFiguresDto, description: 'organisations whose commune belongs to the metropolis' })
  inMetropolis: AreaFiguresDto;

  @ApiProperty({ type: () => AreaFiguresDto, description: 'organisations of another commune' })
  outsideMetropolis: AreaFiguresDto;

  @ApiProperty({ type: () => AreaFiguresDto, description: 'organisations whose commune is not known (no postcode, or a postcode of several communes)' })
  unknown: AreaFiguresDto;
}

export class MetropolisDto {
  @ApiProperty({ example: '244200770' })
  siren: string;

  @ApiProperty({ example: 'Saint-Étienne Métropole' })
  name: string;

  @ApiProperty({ example: 53, description: 'how many communes it has' })
  communes: number;
}

export class LegalFormFigureDto {
  @ApiProperty({ type: String, nullable: true, description: 'null: not given' })
  code: string | null;

  @ApiProperty()
  label: string;

  @ApiProperty()
  bookings: number;

  @ApiProperty()
  organisations: number;

  @ApiProperty({ type: () => AreaCountsSplitDto })
  areas: AreaCountsSplitDto;
}

export class TopicFigureDto {
  @ApiProperty()
  code: string;

  @ApiProperty()
  label: string;

  @ApiProperty()
  bookings: number;

  @ApiProperty()
  organisations: number;

  @ApiProperty({ type: () => AreaCountsSplitDto })
  areas: AreaCountsSplitDto;
}

export class CommuneFigureDto {
  @ApiProperty({ type: String, nullable: true, example: '42218', description: 'INSEE code; null: no commune known' })
  code: string | null;

  @ApiProperty({ example: 'Saint-Étienne', description: 'the commune’s name, or « Commune non renseignée »' })
  commune: string;

  @ApiProperty({ enum: ['inMetropolis', 'outsideMetropolis', 'unknown'] })
  area: string;

  @ApiProperty()
  bookings: number;

  @ApiProperty()
  organisations: number;
}

export class WorkshopAreaCountsDto {
  @ApiProperty({ description: 'confirmed registrations' })
  registered: number;

  @ApiProperty({ description: 'marked present' })
  attended: number;
}

/** A workshop's registrations and attendance by where the organisations are. */
export class WorkshopAreasDto {
  @ApiProperty({ type: () => WorkshopAreaCountsDto, description: 'organisations whose commune belongs to the metropolis' })
  inMetropolis: WorkshopAreaCountsDto;

  @ApiProperty({ type: () => WorkshopAreaCountsDto, description: 'organisations of another commune' })
  outsideMetropolis: WorkshopAreaCountsDto;

  @ApiProperty({ type: () => WorkshopAreaCountsDto, description: 'organisations whose commune is not known' })
  unknown: WorkshopAreaCountsDto;
}

export class WorkshopFigureDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ format: 'date', description: 'local date' })
  date: string;

  @ApiProperty({ example: '09:00', description: 'local time' })
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

  @ApiProperty({ type: () => WorkshopAreasDto })
  areas: WorkshopAreasDto;
}

export class ReportFiguresDto {
  @ApiProperty({ type: () => MetropolisDto, description: 'the EPCI whose communes are « dans la Métropole » (METROPOLIS_EPCI_SIREN)' })
  metropolis: MetropolisDto;

  @ApiProperty({ description: 'scheduled sessions that have ended' })
  permanencesHeld: number;

  @ApiProperty({ description: 'scheduled sessions still to come or under way' })
  permanencesScheduled: number;

  @ApiProperty()
  permanencesCancelled: number;

  @ApiProperty()
  slotsOffered: number;

  @ApiProperty()
  slotsBooked: number;

  @ApiProperty()
  bookings: number;

  @ApiProperty({ description: 'present' })
  attended: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'present ÷ recorded, over the bookings whose event has ended, 0 to 1; null when nothing was recorded',
  })
  attendanceRate: number | null;

  @ApiProperty()
  noShows: number;

  @ApiProperty()
  excused: number;

  @ApiProperty({ description: 'confirmed bookings whose event has ended and whose attendance is not recorded yet' })
  attendanceUnrecorded: number;

  @ApiProperty()
  organisations: number;

  @ApiProperty()
  newOrganisations: number;

  @ApiProperty({
    type: () => AreaFiguresSplitDto,
    description:
      'the booking and organisation figures by where the organisations are; an organisation whose bookings name communes of two areas counts in both',
  })
  byArea: AreaFiguresSplitDto;

  @ApiProperty({ type: () => [LegalFormFigureDto] })
  byLegalForm: LegalFormFigureDto[];

  @ApiProperty({ type: () => [TopicFigureDto] })
  byTopic: TopicFigureDto[];

  @ApiProperty({ type: () => [CommuneFigureDto] })
  byCommune: CommuneFigureDto[];

  @ApiProperty({ type: () => [WorkshopFigureDto] })
  workshops: WorkshopFigureDto[];
}

/** One booking of the period, in the French words of the spreadsheet. */
export class AttendanceRowDto {
  @ApiProperty({ enum: ['permanence', 'atelier'] })
  kind: string;

  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ example: '09:30' })
  time: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  organisation: string;

  @ApiProperty({ type: String, nullable: true })
  siret: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Association', description: 'the label' })
  legalForm: string | null;

  @ApiProperty({ type: String, nullable: true })
  postcode: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Saint-Étienne' })
  commune: string | null;

  @ApiProperty({ enum: ['dans la Métropole', 'hors Métropole', 'commune non renseignée'] })
  area: string;

  @ApiPropertyOptional({ description: 'admins only: a viewer’s rows name no attendee' })
  attendeeName?: string;

  @ApiPropertyOptional({ format: 'email', description: 'admins only' })
  attendeeEmail?: string;

  @ApiProperty({ description: 'labels, comma-separated' })
  topics: string;

  @ApiProperty({ example: 'confirmée' })
  status: string;

  @ApiProperty({ example: 'présent' })
  attendance: string;
}

export class AttendanceReportResponseDto {
  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ example: PROGRAMME_TIME_ZONE })
  timeZone: string;

  @ApiProperty({ type: () => ReportFiguresDto })
  figures: ReportFiguresDto;

  @ApiProperty({ type: () => [AttendanceRowDto] })
  rows: AttendanceRowDto[];
}
