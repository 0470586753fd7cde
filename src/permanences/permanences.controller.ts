import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { CancelSessionDto, CreateSessionDto, ListPermanencesQuery, MoveSessionDto, StaffSessionDto, UpdateSeriesDto } from './dto/permanence.dto';
import { SeriesResponseDto, SeriesUpdateResponseDto, SessionResponseDto } from './dto/permanence-response.dto';
import { PermanencesService } from './permanences.service';
import { SeriesService } from './series.service';
import { SessionExceptionsService } from './session-exceptions.service';

@ApiTags('permanences')
@Controller('api/permanences')
export class PermanencesController {
  constructor(
    private readonly permanences: PermanencesService,
    private readonly exceptions: SessionExceptionsService,
    private readonly series: SeriesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Sessions whose local date is in [from, to], with their slots and seats left' })
  @ApiOkResponse({ type: [SessionResponseDto] })
  @ApiProblems(400, 422)
  list(@Query() query: ListPermanencesQuery) {
    return this.permanences.list(query.from, query.to);
  }

  @Get('series')
  @Staff('admin')
  @ApiOkResponse({ type: [SeriesResponseDto] })
  listSeries() {
    return this.series.list();
  }

  @Patch('series/:id')
  @Staff('admin')
  @ApiOperation({ summary: 'Edit the series (name, times, slot length, location) and its sessions to come' })
  @ApiOkResponse({ type: SeriesUpdateResponseDto })
  @ApiProblems(400, 404)
  updateSeries(@Param('id', uuidPipe) id: string, @Body() dto: UpdateSeriesDto, @CurrentStaff() staff: StaffUser) {
    return this.series.update(id, dto, staff);
  }

  @Get(':id')
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiProblems(400, 404)
  get(@Param('id', uuidPipe) id: string) {
    return this.permanences.get(id);
  }

  @Post()
  @Staff('admin')
  @ApiOperation({ summary: 'Add an extra session outside the series' })
  @ApiCreatedResponse({ type: SessionResponseDto })
  @ApiProblems(400, 422)
  add(@Body() dto: CreateSessionDto, @CurrentStaff() staff: StaffUser) {
    return this.exceptions.add(dto, staff);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Cancel a session and every booking on it, with a reason' })
  @ApiOkResponse({ type: SessionResponseDto, description: 'the session, cancelled' })
  @ApiProblems(400, 404, 422)
  cancel(@Param('id', uuidPipe) id: string, @Body() dto: CancelSessionDto, @CurrentStaff() staff: StaffUser) {
    return this.exceptions.cancel(id, dto.reason, staff);
  }

  @Post(':id/move')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Move a session to another date, keeping its times and bookings' })
  @ApiOkResponse({ type: SessionResponseDto, description: 'the session, on its new date' })
  @ApiProblems(400, 404, 422)
  move(@Param('id', uuidPipe) id: string, @Body() dto: MoveSessionDto, @CurrentStaff() staff: StaffUser) {
    return this.exceptions.move(id, dto.date, staff, dto.reason);
  }

  @Put(':id/advisors')
  @Staff('admin')
  @ApiOperation({ summary: 'Staff a session: one desk, with its own slots, per advisor' })
  @ApiOkResponse({ type: SessionResponseDto, description: 'the session with its desks’ slots' })
  @ApiProblems(400, 404, 422)
  staff(@Param('id', uuidPipe) id: string, @Body() dto: StaffSessionDto, @CurrentStaff() staff: StaffUser) {
    return this.exceptions.staff(id, dto.advisorIds, staff);
  }
}
