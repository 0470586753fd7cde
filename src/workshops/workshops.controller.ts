import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Staff } from '../auth/staff.guard';
import { uuidPipe } from '../common/uuid.pipe';
import { CancelWorkshopDto, CreateWorkshopDto, ListWorkshopsQuery, UpdateWorkshopDto } from './dto/workshop.dto';
import { WorkshopsService } from './workshops.service';

@ApiTags('workshops')
@Controller('api/workshops')
export class WorkshopsController {
  constructor(private readonly workshops: WorkshopsService) {}

  @Get()
  @ApiOperation({ summary: 'Workshops starting on a local date in [from, to], with seats left and the waitlist length' })
  list(@Query() query: ListWorkshopsQuery) {
    return this.workshops.list(query.from, query.to);
  }

  @Get(':id')
  get(@Param('id', uuidPipe) id: string) {
    return this.workshops.get(id);
  }

  @Get(':id/registrations')
  @Staff('admin', 'advisor')
  @ApiOperation({ summary: 'Confirmed registrations, then the waitlist in order' })
  registrations(@Param('id', uuidPipe) id: string) {
    return this.workshops.registrationsOf(id);
  }

  @Post()
  @Staff('admin')
  create(@Body() dto: CreateWorkshopDto) {
    return this.workshops.create(dto);
  }

  @Patch(':id')
  @Staff('admin')
  @ApiOperation({ summary: 'Edit a workshop; a higher capacity promotes from the waitlist, a lower one never drops anybody' })
  update(@Param('id', uuidPipe) id: string, @Body() dto: UpdateWorkshopDto) {
    return this.workshops.update(id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Cancel a workshop and every registration on it, with a reason' })
  cancel(@Param('id', uuidPipe) id: string, @Body() dto: CancelWorkshopDto) {
    return this.workshops.cancel(id, dto.reason);
  }
}
