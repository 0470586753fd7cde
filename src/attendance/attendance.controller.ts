import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { blankToUndefined } from '../common/validators';
import { AttendanceService, AttendanceStatus } from './attendance.service';
import { AttendanceResponseDto } from './dto/attendance-response.dto';

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
  @ApiOkResponse({ type: AttendanceResponseDto })
  @ApiProblems(400, 404, 422)
  record(@Param('id', uuidPipe) id: string, @CurrentStaff() staff: StaffUser, @Body() dto: AttendanceDto) {
    return this.attendance.record(id, staff, dto.status, dto.note ?? null);
  }
}
