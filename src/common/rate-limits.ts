import { applyDecorators, ExecutionContext, Injectable, Logger, Module, UseGuards } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { SkipThrottle, ThrottlerGuard, ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Clock } from './clock';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';

const MINUTE = 60_000;

/**
 * The limits, per client IP address and per e-mail address; counted in PostgreSQL so that every
 * instance behind the proxy counts the same requests. `RATE_LIMITS=off` lifts them (load tests).
 */
export const RATE_LIMITS = {
  /** Bookings and registrations from one IP address (an office behind one address books a few). */
  bookingPerIp: { limit: 30, ttl: 60 * MINUTE, blockDuration: 15 * MINUTE },
  /** Bookings and registrations for one e-mail address. */
  bookingPerEmail: { limit: 10, ttl: 60 * MINUTE, blockDuration: 30 * MINUTE },
  /** Login attempts from one IP address. */
  loginPerIp: { limit: 20, ttl: 15 * MINUTE, blockDuration: 15 * MINUTE },
  /** Login attempts for one address, counted before the password is checked (see AuthService.login). */
  loginFailuresPerEmail: { limit: 5, ttl: 15 * MINUTE, blockDuration: 15 * MINUTE },
  /** Forgotten-password requests from one IP address. */
  passwordResetPerIp: { limit: 10, ttl: 60 * MINUTE, blockDuration: 60 * MINUTE },
  /** Forgotten-password e-mails to one address (more requests are answered alike but send nothing). */
  passwordResetPerEmail: { limit: 3, ttl: 60 * MINUTE, blockDuration: 60 * MINUTE },
} as const;

export interface RateCount {
  hits: number;
  windowEndsAt: Date;
  blockedUntil: Date | null;
}

/** Fixed-window counters with a block, one statement per hit, shared by every instance. */
@Injectable()
export class RateLimitStore {
  private readonly logger = new Logger(RateLimitStore.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts one hit on `key`. Over `limit` within the window, the key is blocked for `blockMs`;
   * while blocked, hits are refused without being counted.
   */
  async hit(key: string, limit: number, ttlMs: number, blockMs: number): Promise<RateCount> {
    const now = this.clock.now();
    const [row] = await this.dataSource.query<Array<{ hits: number; window_ends_at: Date; blocked_until: Date | null }>>(
      `INSERT INTO rate_limits AS r (key, hits, window_ends_at, blocked_until)
       VALUES ($1, 1, $2::timestamptz + $3 * interval '1 millisecond', NULL)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.blocked_until > $2 THEN r.hits WHEN r.window_ends_at <= $2 THEN 1 ELSE r.hits + 1 END,
         window_ends_at = CASE WHEN r.blocked_until > $2 OR r.window_ends_at > $2 THEN r.window_ends_at ELSE EXCLUDED.window_ends_at END,
         blocked_until = CASE
           WHEN r.blocked_until > $2 THEN r.blocked_until
           WHEN r.window_ends_at > $2 AND r.hits + 1 > $4 THEN $2::timestamptz + $5 * interval '1 millisecond'
         END
       RETURNING hits, window_ends_at, blocked_until`,
      [key, now, ttlMs, limit, blockMs],
    );
    return { hits: row.hits, windowEndsAt: row.window_ends_at, blockedUntil: row.blocked_until };
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limits WHERE key = $1`, [key]);
  }

  /** Counters whose window and block are over hold nothing worth keeping. */
  @Cron('0 45 3 * * *', { name: 'prune-rate-limits', timeZone: PROGRAMME_TIME_ZONE })
  async prune(): Promise<number> {
    const now = this.clock.now();
    const [, deleted] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM rate_limits WHERE window_ends_at < $1 AND (blocked_until IS NULL OR blocked_until < $1)`,
      [now],
    );
    if (deleted > 0) this.logger.log(`Pruned ${deleted} expired rate-limit counter(s)`);
    return deleted;
  }
}

/** @nestjs/throttler's storage on {@link RateLimitStore}. */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly store: RateLimitStore,
    private readonly clock: Clock,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): ReturnType<ThrottlerStorage['increment']> {
    const count = await this.store.hit(key, limit, ttl, blockDuration);
    const now = this.clock.now().getTime();
    const seconds = (date: Date | null) => (date ? Math.max(0, Math.ceil((date.getTime() - now) / 1000)) : 0);
    const isBlocked = count.blockedUntil !== null && count.blockedUntil.getTime() > now;
    return { totalHits: count.hits, timeToExpire: seconds(count.windowEndsAt), isBlocked, timeToBlockExpire: isBlocked ? seconds(count.blockedUntil) : 0 };
  }
}

/** The e-mail address of a booking, from the API's JSON or the page's form. */
function bookingEmail(context: ExecutionContext): string | null {
  const body = context.switchToHttp().getRequest<Request>().body as Record<string, unknown> | undefined;
  const attendee = body?.attendee as Record<string, unknown> | undefined;
  const email = attendee?.email ?? body?.['attendee.email'];
  return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : null;
}

/** Keys shared by every route of a limit, so the API and the pages count together. */
const sharedKey = (_: ExecutionContext, tracker: string, name: string) => `${name}:${tracker}`;

@Module({
  providers: [RateLimitStore, DatabaseThrottlerStorage],
  exports: [RateLimitStore, DatabaseThrottlerStorage],
})
export class RateLimitStoreModule {}

@Module({
  imports: [
    RateLimitStoreModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStoreModule],
      inject: [AppConfig, DatabaseThrottlerStorage],
      useFactory: (config: AppConfig, storage: DatabaseThrottlerStorage) => ({
        storage,
        skipIf: () => !config.rateLimits,
        generateKey: sharedKey,
        throttlers: [
          { name: 'booking-ip', ...RATE_LIMITS.bookingPerIp },
          {
            name: 'booking-email',
            ...RATE_LIMITS.bookingPerEmail,
            skipIf: (context) => !config.rateLimits || bookingEmail(context) === null,
            getTracker: (_request, context) => bookingEmail(context) ?? '',
          },
          { name: 'login-ip', ...RATE_LIMITS.loginPerIp },
          { name: 'password-reset-ip', ...RATE_LIMITS.passwordResetPerIp },
        ],
      }),
    }),
  ],
  exports: [RateLimitStoreModule, ThrottlerModule],
})
export class RateLimitsModule {}

/** Bookings and registrations: per IP address and per e-mail address. */
export const BookingRateLimit = () => applyDecorators(SkipThrottle({ 'login-ip': true, 'password-reset-ip': true }), UseGuards(ThrottlerGuard));

/** Logins: per IP address (the lockout per account is in AuthService). */
export const LoginRateLimit = () =>
  applyDecorators(SkipThrottle({ 'booking-ip': true, 'booking-email': true, 'password-reset-ip': true }), UseGuards(ThrottlerGuard));

/** Forgotten-password requests: per IP address (the per-address limit is in PasswordsService). */
export const PasswordResetRateLimit = () =>
  applyDecorators(SkipThrottle({ 'booking-ip': true, 'booking-email': true, 'login-ip': true }), UseGuards(ThrottlerGuard));
