import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { BilanService } from './bilan.service';
import { BilanResponseDto } from './dto/bilan-response.dto';
import { BilanQuery } from './dto/bilan.query';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('reports')
@Controller('api/reports')
export class BilanController {
  constructor(private readonly bilans: BilanService) {}

  @Get('bilan')
  @Staff('admin', 'viewer')
  @ApiProduces('application/json', 'application/pdf', XLSX)
  @ApiOperation({
    summary:
      'The metropolis’ bilan of a period (default: this calendar year): figures and one French sentence per section, as JSON, PDF (with charts) or XLSX; satisfaction comments for admins only',
  })
  @ApiExtraModels(BilanResponseDto)
  @ApiOkResponse({
    description: 'the bilan as JSON (format=json, the default), PDF (format=pdf) or XLSX (format=xlsx)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(BilanResponseDto) } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
      [XLSX]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblems(400, 422)
  async bilan(@Query() query: BilanQuery, @CurrentStaff() staff: StaffUser) {
    if (!query.format || query.format === 'json') return this.bilans.bilan(staff, query.from, query.to);
    const file = query.format === 'pdf' ? await this.bilans.pdf(staff, query.from, query.to) : await this.bilans.xlsx(staff, query.from, query.to);
    return new StreamableFile(file.content, { type: file.contentType, disposition: `attachment; filename="${file.filename}"`, length: file.content.length });
  }
}
