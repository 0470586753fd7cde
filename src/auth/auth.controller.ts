import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LoginRateLimit } from '../common/rate-limits';
import { ApiProblems } from '../common/problem.dto';
import { AuthService } from './auth.service';
import { LoginResponseDto, StaffUserDto } from './dto/auth-response.dto';
import { LoginDto } from './dto/login.dto';
import { CurrentStaff, Staff } from './staff.guard';
import type { StaffUser } from './staff-user';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @LoginRateLimit()
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems(400, 401, 429)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.email, dto.password);
  }

  @Get('me')
  @Staff()
  @ApiOkResponse({ type: StaffUserDto })
  me(@CurrentStaff() staff: StaffUser) {
    return staff;
  }
}
