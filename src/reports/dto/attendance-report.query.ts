import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsLocalDate } from '../../common/validators';
import { PROGRAMME_TIME_ZONE } from '../../calendar/time-zone';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class AttendanceReportQuery {
  @ApiPropertyOptional({ example: '2027-01-01', description: `first local date (${PROGRAMME_TIME_ZONE}), inclusive (default: 1 January of this year)` })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'last local date, inclusive (default: today); at most five years after from' })
  @IsOptional()
  @IsLocalDate()
  to?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: `Format inconnu ; valeurs possibles : ${REPORT_FORMATS.join(', ')}.` })
  format?: ReportFormat;
}
