import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { ListOrganisationsQuery, MergeOrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto';
import { OrganisationDetailResponseDto, OrganisationResponseDto } from './dto/organisation-response.dto';
import { OrganisationsService } from './organisations.service';

@ApiTags('organisations')
@Controller('api/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @Staff('admin', 'viewer')
  @ApiOperation({ summary: 'The register of organisations the programme reached' })
  @ApiOkResponse({ type: [OrganisationResponseDto] })
  @ApiProblems(400)
  list(@Query() query: ListOrganisationsQuery) {
    return this.organisations.list(query.q, query.limit, query.offset);
  }

  @Get(':id')
  @Staff('admin', 'viewer', 'advisor')
  @ApiOperation({
    summary:
      'An entry and its history with the orientations given; admins also get its contact people, who came and the follow-ups; an advisor who came and the follow-ups of their own desk’s appointments (a viewer never does)',
  })
  @ApiOkResponse({ type: OrganisationDetailResponseDto })
  @ApiProblems(400, 404)
  get(@Param('id', uuidPipe) id: string, @CurrentStaff() staff: StaffUser) {
    return this.organisations.get(id, staff);
  }

  @Patch(':id')
  @Staff('admin')
  @ApiOperation({ summary: 'Correct an entry: name, SIRET, legal form, ESUS approval, sector, postcode, commune' })
  @ApiOkResponse({ type: OrganisationDetailResponseDto })
  @ApiProblems(400, 404, 422)
  update(@Param('id', uuidPipe) id: string, @Body() dto: UpdateOrganisationDto, @CurrentStaff() staff: StaffUser) {
    return this.organisations.update(id, dto, staff);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Merge this entry into another (a duplicate): its bookings move over' })
  @ApiOkResponse({ type: OrganisationDetailResponseDto, description: 'the merged entry, now marked mergedInto' })
  @ApiProblems(400, 404, 422)
  merge(@Param('id', uuidPipe) id: string, @Body() dto: MergeOrganisationDto, @CurrentStaff() staff: StaffUser) {
    return this.organisations.merge(id, dto.into, staff);
  }
}
