import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { CreateListEntryDto, ListEntryResponseDto, UpdateListEntryDto } from './dto/list-entry.dto';
import { LIST_KINDS } from './lists.repository';
import { ListsService } from './lists.service';

@ApiTags('settings')
@Controller('api/lists')
export class ListsController {
  constructor(private readonly lists: ListsService) {}

  @Get(':kind')
  @Staff('admin')
  @ApiOperation({ summary: 'Every entry of a list, archived ones last; the offered ones are in GET /api/booking-options' })
  @ApiParam({ name: 'kind', enum: LIST_KINDS })
  @ApiOkResponse({ type: [ListEntryResponseDto] })
  @ApiProblems(404)
  all(@Param('kind') kind: string) {
    return this.lists.all(kind);
  }

  @Post(':kind')
  @Staff('admin')
  @ApiOperation({ summary: 'Add an entry at the end of the offered ones' })
  @ApiParam({ name: 'kind', enum: LIST_KINDS })
  @ApiCreatedResponse({ type: ListEntryResponseDto })
  @ApiProblems(400, 404)
  add(@Param('kind') kind: string, @Body() dto: CreateListEntryDto, @CurrentStaff() staff: StaffUser) {
    return this.lists.add(kind, dto, staff);
  }

  @Patch(':kind/:code')
  @Staff('admin')
  @ApiOperation({ summary: 'Rename, move, archive (no longer offered; old bookings keep the label) or offer again' })
  @ApiParam({ name: 'kind', enum: LIST_KINDS })
  @ApiOkResponse({ type: ListEntryResponseDto })
  @ApiProblems(400, 404)
  update(@Param('kind') kind: string, @Param('code') code: string, @Body() dto: UpdateListEntryDto, @CurrentStaff() staff: StaffUser) {
    return this.lists.update(kind, code, dto, staff);
  }
}
