import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { FollowUpDoneDto, FollowUpDto } from './dto/follow-up.dto';
import { FollowUpOrientationDto, FollowUpResponseDto } from './dto/follow-up-response.dto';
import { FollowUpsService } from './follow-ups.service';

@ApiTags('follow-up')
@Controller('api')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get('orientations')
  @Staff('advisor', 'admin')
  @ApiOperation({ summary: 'The orientations offered for a follow-up (admins edit the list under /api/lists/orientations)' })
  @ApiOkResponse({ type: [FollowUpOrientationDto] })
  orientations() {
    return this.followUps.offeredOrientations();
  }

  @Get('bookings/:id/follow-up')
  @Staff('advisor', 'admin')
  @ApiOperation({ summary: 'The follow-up of an attended permanence appointment (admins, the advisor of its desk, the advisor the follow-up to do is for)' })
  @ApiOkResponse({ type: FollowUpResponseDto })
  @ApiProblems(400, 403, 404)
  get(@Param('id', uuidPipe) id: string, @CurrentStaff() staff: StaffUser) {
    return this.followUps.get(id, staff);
  }

  @Put('bookings/:id/follow-up')
  @Staff('advisor', 'admin')
  @ApiOperation({
    summary:
      'Record or replace the follow-up of an attended permanence appointment: note, orientations, a follow-up to do on a date (admins, the advisor of its desk)',
  })
  @ApiOkResponse({ type: FollowUpResponseDto })
  @ApiProblems(400, 403, 404, 422)
  save(@Param('id', uuidPipe) id: string, @CurrentStaff() staff: StaffUser, @Body() dto: FollowUpDto) {
    return this.followUps.save(id, staff, dto);
  }

  @Put('bookings/:id/follow-up/done')
  @Staff('advisor', 'admin')
  @ApiOperation({ summary: 'Mark the follow-up to do done, or to do again' })
  @ApiOkResponse({ type: FollowUpResponseDto })
  @ApiProblems(400, 403, 404, 422)
  done(@Param('id', uuidPipe) id: string, @CurrentStaff() staff: StaffUser, @Body() dto: FollowUpDoneDto) {
    return this.followUps.setDone(id, staff, dto.done);
  }
}
