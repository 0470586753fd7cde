import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROGRAMME_TIME_ZONE } from '../../calendar/time-zone';

export class SlotAdvisorDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;
}

export class SlotResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;

  @ApiProperty()
  capacity: number;

  @ApiProperty({ description: 'seats a person can still take: 0 on a cancelled session or once the slot has begun' })
  available: number;

  @ApiPropertyOptional({ type: () => SlotAdvisorDto, description: 'the desk’s advisor, on a staffed session' })
  advisor?: SlotAdvisorDto;
}

export class SessionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date', example: '2026-12-31', description: 'local date' })
  date: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;

  @ApiProperty({ example: PROGRAMME_TIME_ZONE })
  timeZone: string;

  @ApiProperty()
  location: string;

  @ApiProperty({ enum: ['scheduled', 'cancelled'] })
  status: 'scheduled' | 'cancelled';

  @ApiPropertyOptional({ description: 'why the session was cancelled or moved' })
  statusReason?: string;

  @ApiPropertyOptional({ format: 'date', description: 'the date the series gave, when the session was moved' })
  originalDate?: string;

  @ApiProperty({ type: () => [SlotResponseDto] })
  slots: SlotResponseDto[];
}

export class SeriesResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'FREQ=MONTHLY;BYDAY=-1TH', description: 'RFC 5545 recurrence rule' })
  rule: string;

  @ApiProperty({ example: PROGRAMME_TIME_ZONE })
  timeZone: string;

  @ApiProperty({ example: '09:00' })
  startTime: string;

  @ApiProperty({ example: '12:00' })
  endTime: string;

  @ApiProperty()
  slotMinutes: number;

  @ApiProperty()
  slotCapacity: number;

  @ApiProperty()
  location: string;

  @ApiProperty()
  isDefault: boolean;

  @ApiProperty({ type: [String], description: 'the advisors on duty by default: a session generated from now on gets a desk for each' })
  advisorIds: string[];
}

export class SkippedSessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date' })
  date: string;

  @ApiProperty({ description: 'bookings that kept it from being reshaped' })
  bookings: number;
}

export class SeriesUpdateResponseDto {
  @ApiProperty({ type: () => SeriesResponseDto })
  series: SeriesResponseDto;

  @ApiProperty({ description: 'sessions to come that took the change' })
  updatedSessions: number;

  @ApiProperty({ type: () => [SkippedSessionDto], description: 'sessions left as they were because they have bookings' })
  skippedSessions: SkippedSessionDto[];
}
