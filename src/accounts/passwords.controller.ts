import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LoginResponseDto } from '../auth/dto/auth-response.dto';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { PasswordResetRateLimit } from '../common/rate-limits';
import { ChangePasswordDto, PasswordResetAnswerDto, PasswordResetConfirmDto, PasswordResetRequestDto } from './dto/accounts.dto';
import { PasswordsService } from './passwords.service';

export const RESET_ANSWER = 'Si un compte actif correspond à cette adresse, un e-mail vient de lui être envoyé avec un lien valable une heure.';

@ApiTags('auth')
@Controller('api/auth')
export class PasswordsController {
  constructor(private readonly passwords: PasswordsService) {}

  /** One's own password; the answer is a new session, every other one is signed out. */
  @Post('password')
  @HttpCode(200)
  @Staff()
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems(400)
  change(@CurrentStaff() staff: StaffUser, @Body() dto: ChangePasswordDto) {
    return this.passwords.change(staff, dto.currentPassword, dto.newPassword);
  }

  @Post('password-reset')
  @HttpCode(202)
  @PasswordResetRateLimit()
  @ApiAcceptedResponse({ type: PasswordResetAnswerDto })
  @ApiProblems(400, 429)
  async requestReset(@Body() dto: PasswordResetRequestDto) {
    await this.passwords.requestReset(dto.email);
    return { message: RESET_ANSWER };
  }

  /** The password chosen through an invitation or a forgotten-password link; signs in, and out everywhere else. */
  @Post('password-reset/confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems(400, 410)
  confirm(@Body() dto: PasswordResetConfirmDto) {
    return this.passwords.choose(dto.token, dto.password);
  }
}
