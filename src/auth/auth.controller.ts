import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LoginRateLimit } from '../common/rate-limits';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { AuthService } from './auth.service';
import { LoginResponseDto, StaffUserDto, UserResponseDto } from './dto/auth-response.dto';
import { LoginDto } from './dto/login.dto';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { CurrentStaff, Staff } from './staff.guard';
import type { StaffUser } from './staff-user';
import { UsersService } from './users.service';

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

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Staff('admin')
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiProblems(400, 409)
  create(@Body() dto: CreateUserDto, @CurrentStaff() staff: StaffUser) {
    return this.users.create(dto, staff);
  }

  @Get()
  @Staff('admin')
  @ApiOkResponse({ type: [UserResponseDto] })
  list() {
    return this.users.list();
  }

  @Patch(':id')
  @Staff('admin')
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 404, 409)
  update(@Param('id', uuidPipe) id: string, @Body() dto: UpdateUserDto, @CurrentStaff() staff: StaffUser) {
    return this.users.update(id, dto, staff);
  }
}
