import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** The staff member's access token (the API's JWT), HttpOnly so page scripts never see it. */
export const SESSION_COOKIE = 'rv_session';
/** A random value per browser; the forms' CSRF token is its HMAC (double submit, signed). */
export const CSRF_COOKIE = 'rv_csrf';
/** The hidden field every form of the pages carries. */
export const CSRF_FIELD = '_csrf';

/**
 * Cookies of the pages and the CSRF check. A form's token is HMAC(secret, browser cookie): a
 * third-party site can neither read the cookie nor compute the token, and SameSite=Lax already keeps
 * the cookies off cross-site POSTs; the token is the second lock.
 */
@Injectable()
export class WebSession {
  private readonly secure: boolean;

  constructor(private readonly config: AppConfig) {
    this.secure = config.publicUrl.startsWith('https://');
  }

  private cookieOptions(maxAgeSeconds?: number): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: '/',
      ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds * 1000 }),
    };
  }

  /** The CSRF token for this browser, setting its cookie when it has none yet. */
  csrfToken(request: Request, response: Response): string {
    let value = cookie(request, CSRF_COOKIE);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
      value = randomBytes(32).toString('base64url');
      response.cookie(CSRF_COOKIE, value, this.cookieOptions());
      // The same request's later reads (the page being rendered) see the new value.
      (request.cookies as Record<string, string>)[CSRF_COOKIE] = value;
    }
    return this.sign(value);
  }

  /** Whether the form's token belongs to this browser's cookie. */
  csrfValid(request: Request): boolean {
    const value = cookie(request, CSRF_COOKIE);
    const sent = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    if (!value || typeof sent !== 'string') return false;
    const expected = Buffer.from(this.sign(value));
    const given = Buffer.from(sent);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  sessionToken(request: Request): string | null {
    return cookie(request, SESSION_COOKIE);
  }

  startSession(response: Response, accessToken: string): void {
    response.cookie(SESSION_COOKIE, accessToken, this.cookieOptions(this.config.jwtTtlSeconds));
  }

  endSession(response: Response): void {
    response.clearCookie(SESSION_COOKIE, this.cookieOptions());
  }

  private sign(value: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`csrf:${value}`).digest('base64url');
  }
}

function cookie(request: Request, name: string): string | null {
  const value = (request.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : null;
}
