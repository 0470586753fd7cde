import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { SettingsResponseDto, UpdateSettingsDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@Controller('api/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @Staff('admin')
  @ApiOperation({ summary: 'The CRESS’ identity as pages, e-mails and the privacy notice show it, the holiday policy and the reminder delay' })
  @ApiOkResponse({ type: SettingsResponseDto })
  get() {
    return this.settings.view();
  }

  @Patch()
  @Staff('admin')
  @ApiOperation({ summary: 'Change some settings; absent fields stay as they are' })
  @ApiOkResponse({ type: SettingsResponseDto })
  @ApiProblems(400)
  update(@Body() dto: UpdateSettingsDto, @CurrentStaff() staff: StaffUser) {
    return this.settings.update(dto, staff);
  }
}
