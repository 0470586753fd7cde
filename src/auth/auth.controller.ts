import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { LoginRateLimit } from '../common/rate-limits';
import { uuidPipe } from '../common/uuid.pipe';
import { AuthService } from './auth.service';
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
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.email, dto.password);
  }

  @Get('me')
  @Staff()
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
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @Get()
  @Staff('admin')
  list() {
    return this.users.list();
  }

  @Patch(':id')
  @Staff('admin')
  update(@Param('id', uuidPipe) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(id, dto);
  }
}
