import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { CancelWorkshopDto, CreateWorkshopDto, ListWorkshopsQuery, UpdateWorkshopDto } from './dto/workshop.dto';
import { RegistrationResponseDto, WorkshopResponseDto } from './dto/workshop-response.dto';
import { WorkshopsService } from './workshops.service';

@ApiTags('workshops')
@Controller('api/workshops')
export class WorkshopsController {
  constructor(private readonly workshops: WorkshopsService) {}

  @Get()
  @ApiOperation({ summary: 'Workshops starting on a local date in [from, to], with seats left and the waitlist length' })
  @ApiOkResponse({ type: [WorkshopResponseDto] })
  @ApiProblems(400, 422)
  list(@Query() query: ListWorkshopsQuery) {
    return this.workshops.list(query.from, query.to);
  }

  @Get(':id')
  @ApiOkResponse({ type: WorkshopResponseDto })
  @ApiProblems(400, 404)
  get(@Param('id', uuidPipe) id: string) {
    return this.workshops.get(id);
  }

  @Get(':id/registrations')
  @Staff('admin', 'advisor')
  @ApiOperation({ summary: 'Confirmed registrations, then the waitlist in order' })
  @ApiOkResponse({ type: [RegistrationResponseDto] })
  @ApiProblems(400, 404)
  registrations(@Param('id', uuidPipe) id: string) {
    return this.workshops.registrationsOf(id);
  }

  @Post()
  @Staff('admin')
  @ApiCreatedResponse({ type: WorkshopResponseDto })
  @ApiProblems(400)
  create(@Body() dto: CreateWorkshopDto) {
    return this.workshops.create(dto);
  }

  @Patch(':id')
  @Staff('admin')
  @ApiOperation({ summary: 'Edit a workshop; a higher capacity promotes from the waitlist, a lower one never drops anybody' })
  @ApiOkResponse({ type: WorkshopResponseDto })
  @ApiProblems(400, 404, 422)
  update(@Param('id', uuidPipe) id: string, @Body() dto: UpdateWorkshopDto) {
    return this.workshops.update(id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Cancel a workshop and every registration on it, with a reason' })
  @ApiOkResponse({ type: WorkshopResponseDto, description: 'the workshop, cancelled' })
  @ApiProblems(400, 404, 422)
  cancel(@Param('id', uuidPipe) id: string, @Body() dto: CancelWorkshopDto, @CurrentStaff() staff: StaffUser) {
    return this.workshops.cancel(id, dto.reason, staff);
  }
}
