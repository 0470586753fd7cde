import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { AttendanceReportResponseDto } from './dto/attendance-report-response.dto';
import { AttendanceReportQuery } from './dto/attendance-report.query';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('attendance')
  @Staff('admin', 'viewer')
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary: 'Permanences, workshops and attendance over a period: the figures and one row per booking (JSON, CSV or XLSX); a viewer’s rows name no attendee',
  })
  @ApiExtraModels(AttendanceReportResponseDto)
  @ApiOkResponse({
    description: 'the report as JSON (format=json, the default), CSV (format=csv) or XLSX (format=xlsx)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AttendanceReportResponseDto) } },
      'text/csv': { schema: { type: 'string' } },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblems(400, 422)
  async attendance(@Query() query: AttendanceReportQuery, @CurrentStaff() staff: StaffUser) {
    if (!query.format || query.format === 'json') return this.reports.attendance(staff, query.from, query.to);
    const file = await this.reports.attendanceFile(staff, query.from, query.to, query.format);
    return new StreamableFile(file.content, { type: file.contentType, disposition: `attachment; filename="${file.filename}"`, length: file.content.length });
  }
}
