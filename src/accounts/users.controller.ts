import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UserResponseDto } from '../auth/dto/auth-response.dto';
import { CreateUserDto, UpdateUserDto } from '../auth/dto/user.dto';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { AccountsService } from './accounts.service';

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @Staff('admin')
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiProblems(400, 409)
  create(@Body() dto: CreateUserDto, @CurrentStaff() staff: StaffUser) {
    return this.accounts.create(dto, staff);
  }

  @Get()
  @Staff('admin')
  @ApiOkResponse({ type: [UserResponseDto] })
  list() {
    return this.accounts.list();
  }

  @Patch(':id')
  @Staff('admin')
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 404, 409)
  update(@Param('id', uuidPipe) id: string, @Body() dto: UpdateUserDto, @CurrentStaff() staff: StaffUser) {
    return this.accounts.update(id, dto, staff);
  }

  @Post(':id/invitation')
  @HttpCode(202)
  @Staff('admin')
  @ApiAcceptedResponse({ type: UserResponseDto })
  @ApiProblems(404, 409)
  resendInvitation(@Param('id', uuidPipe) id: string) {
    return this.accounts.resendInvitation(id);
  }
}
