import { ApiProperty } from '@nestjs/swagger';

export class AttendanceRecorderDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;
}

export class AttendanceResponseDto {
  @ApiProperty({ format: 'uuid', description: 'the booking' })
  id: string;

  @ApiProperty({ enum: ['present', 'absent', 'excused'] })
  attendance: 'present' | 'absent' | 'excused';

  @ApiProperty({ type: String, nullable: true })
  attendanceNote: string | null;

  @ApiProperty({ type: () => AttendanceRecorderDto })
  recordedBy: AttendanceRecorderDto;

  @ApiProperty({ format: 'date-time' })
  recordedAt: string;
}
