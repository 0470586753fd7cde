import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { uuidPipe } from '../common/uuid.pipe';
import { blankToUndefined } from '../common/validators';
import { AttendanceService, AttendanceStatus } from './attendance.service';

const STATUSES = ['present', 'absent', 'excused'] as const;

export class AttendanceDto {
  @ApiProperty({ enum: STATUSES })
  @IsIn(STATUSES, { message: 'status vaut present, absent ou excused.' })
  status: AttendanceStatus;

  @ApiPropertyOptional({ maxLength: 1000 })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: 'La note doit être un texte.' })
  @MaxLength(1000, { message: 'La note ne doit pas dépasser 1 000 caractères.' })
  note?: string;
}

@ApiTags('attendance')
@Controller('api/bookings')
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  @Put(':id/attendance')
  @Staff('advisor', 'admin')
  @ApiOperation({ summary: 'Record or correct attendance, once the event has started' })
  record(@Param('id', uuidPipe) id: string, @CurrentStaff() staff: StaffUser, @Body() dto: AttendanceDto) {
    return this.attendance.record(id, staff, dto.status, dto.note ?? null);
  }
}
