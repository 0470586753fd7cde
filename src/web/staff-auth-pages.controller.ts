import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { LoginDto } from '../auth/dto/login.dto';
import type { StaffUser } from '../auth/staff-user';
import { LoginRateLimit } from '../common/rate-limits';
import { formFailure, FormBody, text, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';
import { WebSession } from './web-session';

/** Signing in and out of the staff pages (the session is the API's JWT, in an HttpOnly cookie). */
@Controller('staff')
@Pages()
export class StaffAuthPagesController {
  constructor(
    private readonly views: Views,
    private readonly auth: AuthService,
    private readonly session: WebSession,
  ) {}

  @Get()
  @StaffPage()
  home(@PageStaff() staff: StaffUser, @Res() response: Response) {
    response.redirect(303, landingOf(staff));
  }

  @Get('connexion')
  loginForm(@Query('suite') next: unknown, @Page() page: PageContext, @Res() response: Response) {
    if (page.staff) return response.redirect(303, safeNext(next) ?? landingOf(page.staff));
    this.views.send(response, 'staff/login', { next: safeNext(next) ?? '', values: {}, errors: {}, alert: null }, page, { title: 'Connexion de l’équipe' });
  }

  @Post('connexion')
  @LoginRateLimit()
  async login(@Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const email = text(body, 'email') ?? '';
    const next = safeNext(text(body, 'suite'));
    try {
      const dto = await validated(LoginDto, { email: email.trim(), password: text(body, 'password') });
      const result = await this.auth.login(dto.email, dto.password);
      this.session.startSession(response, result.accessToken);
      response.redirect(303, next ?? landingOf(result.user));
    } catch (error) {
      const failure = formFailure(error, ['validation_failed', 'invalid_credentials', 'too_many_requests']);
      const errors = failure.code === 'validation_failed' ? failure.errors : {};
      const alert = failure.code === 'validation_failed' ? 'Vérifiez l’adresse e-mail et le mot de passe.' : failure.alert;
      response.status(failure.status);
      this.views.send(response, 'staff/login', { next: next ?? '', values: { email }, errors, alert }, page, {
        title: 'Connexion de l’équipe',
        status: response.statusCode,
      });
    }
  }

  @Post('deconnexion')
  logout(@Res() response: Response) {
    this.session.endSession(response);
    response.redirect(303, '/staff/connexion');
  }
}

/** Where a staff member lands after signing in. */
function landingOf(staff: StaffUser): string {
  return staff.role === 'viewer' ? '/staff/rapports' : '/staff/agenda';
}

/** Only a path of this site (no `//host`, no scheme): the login page must not redirect elsewhere. */
function safeNext(value: unknown): string | null {
  return typeof value === 'string' && /^\/staff(\/[^\s\\]*)?(\?[^\s\\]*)?$/.test(value) && !value.startsWith('//') ? value : null;
}
