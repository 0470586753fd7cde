import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import type { StaffUser } from '../auth/staff-user';
import type { Role } from '../auth/user.entity';
import { DomainError } from '../common/domain-error';
import { PageErrorFilter } from './page-error.filter';
import type { PageContext } from './views';
import { WebSession } from './web-session';
import { SettingsService } from '../settings/settings.service';

const STAFF_ROLES_KEY = 'page:staff-roles';

type PageRequest = Request & { page?: PageContext };

/**
 * Every page request: a CSRF token for its forms (checked on every POST), and the signed-in staff
 * member from the session cookie. A staff page without a valid session is an `unauthenticated`
 * error, which the page filter turns into a redirect to the login page.
 */
@Injectable()
export class PageGuard implements CanActivate {
  constructor(
    private readonly session: WebSession,
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
    private readonly settings: SettingsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<PageRequest>();
    // The identity the layout and the privacy notice show, as an admin last set it (on any instance).
    await this.settings.current();
    const response = http.getResponse<Response>();
    const csrfToken = this.session.csrfToken(request, response);
    request.page = { csrfToken, staff: null };
    if (request.method !== 'GET' && request.method !== 'HEAD' && !this.session.csrfValid(request)) {
      throw new DomainError('forbidden', 'Ce formulaire a expiré ou ne vient pas de ce site : rechargez la page et recommencez.');
    }
    const token = this.session.sessionToken(request);
    if (token) {
      try {
        request.page.staff = await this.auth.authenticate(token);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        this.session.endSession(response);
      }
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(STAFF_ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles) {
      const staff = request.page.staff;
      if (!staff) throw new DomainError('unauthenticated', 'Connectez-vous pour accéder à cette page.');
      if (roles.length > 0 && !roles.includes(staff.role)) throw new DomainError('forbidden', 'Votre rôle ne permet pas d’ouvrir cette page.');
    }
    return true;
  }
}

/** A controller of French pages: CSRF on its forms, HTML error pages, not in the API documentation. */
export const Pages = () => applyDecorators(UseGuards(PageGuard), UseFilters(PageErrorFilter), ApiExcludeController());

/** Only signed-in staff (with one of `roles`, any role when none is named). */
export const StaffPage = (...roles: Role[]) => SetMetadata(STAFF_ROLES_KEY, roles);

/** The page context (CSRF token, staff member) the guard prepared. */
export const Page = createParamDecorator((_: unknown, context: ExecutionContext): PageContext => {
  const page = context.switchToHttp().getRequest<PageRequest>().page;
  if (!page) throw new Error('@Page() used outside a @Pages() controller');
  return page;
});

/** The signed-in staff member of a @StaffPage route (never null there). */
export const PageStaff = createParamDecorator((_: unknown, context: ExecutionContext): StaffUser => {
  const staff = context.switchToHttp().getRequest<PageRequest>().page?.staff;
  if (!staff) throw new DomainError('unauthenticated', 'Connectez-vous pour accéder à cette page.');
  return staff;
});
