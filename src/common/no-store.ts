import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';

export const NO_STORE = 'no-store';

const PERSONAL_DATA_KEY = 'http:personal-data';

/** A route whose answer carries someone's personal data whoever asks (the holder of a booking's manage link). */
export const PersonalData = () => SetMetadata(PERSONAL_DATA_KEY, true);

/** What the staff guards leave on a request: `staff` (API, staff.guard.ts) or `page.staff` (pages, page.guard.ts). */
type SignedInRequest = { staff?: unknown; page?: { staff?: unknown } };

/**
 * `Cache-Control: no-store` on every answer that may carry personal data: whatever is answered to a
 * signed-in staff member (API or page), and the routes marked `@PersonalData()`. Neither the browser
 * (a shared computer at a desk) nor a proxy keeps a copy. It runs after the guards, so a refused or
 * redirected request keeps the default headers; answers that set their own Cache-Control after the
 * handler (calendar files) decide for themselves.
 */
@Injectable()
export class NoStoreInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<SignedInRequest>();
      const personal = this.reflector.get<boolean | undefined>(PERSONAL_DATA_KEY, context.getHandler()) ?? false;
      if (personal || request.staff || request.page?.staff) {
        context.switchToHttp().getResponse<ServerResponse>().setHeader('Cache-Control', NO_STORE);
      }
    }
    return next.handle();
  }
}
