import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { sendPreparedJson } from '../common/prepared-body';
import { ApiProblems } from '../common/problem.dto';
import { IsLocalDate } from '../common/validators';
import { AgendaService } from './agenda.service';
import { AgendaResponseDto } from './dto/agenda-response.dto';

export class AgendaQuery {
  @ApiPropertyOptional({ example: '2026-12-31', description: 'local date (default: today in Paris)' })
  @IsOptional()
  @IsLocalDate()
  date?: string;

  @ApiPropertyOptional({ description: 'admins: one advisor’s desks (default: every desk); advisors: only themselves' })
  @IsOptional()
  @IsUUID('all', { message: 'advisorId doit être un identifiant de compte (UUID).' })
  advisorId?: string;
}

@ApiTags('agenda')
@Controller('api/agenda')
export class AgendaController {
  constructor(private readonly agenda: AgendaService) {}

  @Get()
  @Staff('advisor', 'admin')
  @ApiOperation({ summary: 'The day’s permanence slots and workshops in time order, with their bookings and counts' })
  @ApiOkResponse({ type: AgendaResponseDto })
  @ApiProblems(400, 404)
  async day(@CurrentStaff() staff: StaffUser, @Query() query: AgendaQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    await sendPreparedJson(request, response, await this.agenda.dayBody(staff, query.date, query.advisorId));
  }
}
