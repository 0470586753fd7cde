import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Staff } from '../auth/staff.guard';
import { uuidPipe } from '../common/uuid.pipe';
import { CancelSessionDto, CreateSessionDto, ListPermanencesQuery, MoveSessionDto, StaffSessionDto, UpdateSeriesDto } from './dto/permanence.dto';
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
  list(@Query() query: ListPermanencesQuery) {
    return this.permanences.list(query.from, query.to);
  }

  @Get('series')
  @Staff('admin')
  listSeries() {
    return this.series.list();
  }

  @Patch('series/:id')
  @Staff('admin')
  @ApiOperation({ summary: 'Edit the series (name, times, slot length, location) and its sessions to come' })
  updateSeries(@Param('id', uuidPipe) id: string, @Body() dto: UpdateSeriesDto) {
    return this.series.update(id, dto);
  }

  @Get(':id')
  get(@Param('id', uuidPipe) id: string) {
    return this.permanences.get(id);
  }

  @Post()
  @Staff('admin')
  @ApiOperation({ summary: 'Add an extra session outside the series' })
  add(@Body() dto: CreateSessionDto) {
    return this.exceptions.add(dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Cancel a session and every booking on it, with a reason' })
  cancel(@Param('id', uuidPipe) id: string, @Body() dto: CancelSessionDto) {
    return this.exceptions.cancel(id, dto.reason);
  }

  @Post(':id/move')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Move a session to another date, keeping its times and bookings' })
  move(@Param('id', uuidPipe) id: string, @Body() dto: MoveSessionDto) {
    return this.exceptions.move(id, dto.date, dto.reason);
  }

  @Put(':id/advisors')
  @Staff('admin')
  @ApiOperation({ summary: 'Staff a session: one desk, with its own slots, per advisor' })
  staff(@Param('id', uuidPipe) id: string, @Body() dto: StaffSessionDto) {
    return this.exceptions.staff(id, dto.advisorIds);
  }
}
