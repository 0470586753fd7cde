import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthService, LoginResult } from '../auth/auth.service';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { StaffUser } from '../auth/staff-user';
import { UsersRepository } from '../auth/users.repository';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { RATE_LIMITS, RateLimitStore } from '../common/rate-limits';
import { AppConfig } from '../config/app-config';
import { OutboxRepository } from '../outbox/outbox.repository';
import { LINK_INVALID } from './accounts.service';
import { OneTimeTokensRepository, TokenRow } from './one-time-tokens';
import { checkStrength } from './password-strength';

/** What a valid link leads to: the page greets the person and says why they choose a password. */
export interface LinkHolder {
  purpose: 'invitation' | 'password_reset';
  name: string;
  email: string;
}

/** Passwords chosen by their owners: one's own change, and the one-time links (invitation, forgotten password). */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly tokens: OneTimeTokensRepository,
    private readonly outbox: OutboxRepository,
    private readonly auth: AuthService,
    private readonly rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The current password is required; every other session of the account is signed out, this one gets a new token. */
  async change(staff: StaffUser, currentPassword: string, newPassword: string): Promise<LoginResult> {
    const user = await this.users.withPasswordById(staff.id);
    if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new DomainError('validation_failed', 'Mot de passe actuel incorrect.', [
        { field: 'currentPassword', message: 'Ce n’est pas votre mot de passe actuel.' },
      ]);
    }
    await checkStrength(newPassword, 'newPassword', [user.email, user.name]);
    const passwordHash = await hashPassword(newPassword);
    await this.dataSource.transaction((manager) => this.users.setPassword(manager, user.id, passwordHash));
    return this.auth.signIn((await this.users.byId(user.id))!);
  }

  /**
   * A forgotten password: the same answer whatever the address, and at most a few e-mails per address
   * per hour (more are silently not sent, so the limit tells nothing either); the per-IP limit is the
   * route's. A deactivated account gets nothing.
   */
  async requestReset(email: string): Promise<void> {
    const { limit, ttl, blockDuration } = RATE_LIMITS.passwordResetPerEmail;
    const key = `password-reset:${await this.users.lookupKey(email)}`;
    const user = await this.users.withPasswordByEmail(email);
    if (!user?.active) return;
    if (this.config.rateLimits && (await this.rateLimits.hit(key, limit, ttl, blockDuration)).blockedUntil) return;
    await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      await this.tokens.closeOpen(manager, user.id, ['password_reset'], now);
      const tokenId = await this.tokens.issue(manager, 'password_reset', user.id, now);
      await this.outbox.record(manager, [{ kind: 'password_reset', recipient: user.email, payload: { tokenId } }]);
    });
  }

  /** Who an open link belongs to, or `link_invalid` (used, expired, unknown, or its account deactivated). */
  async holder(token: string): Promise<LinkHolder> {
    const row = await this.tokens.byToken(token);
    const user = row?.userId ? await this.users.byId(row.userId) : null;
    if (!row || !user || !this.open(row) || !user.active) throw new DomainError('link_invalid', LINK_INVALID);
    return { purpose: row.purpose as LinkHolder['purpose'], name: user.name, email: user.email };
  }

  /**
   * The password chosen through a link: the link and the account's other open links stop working,
   * every other session is signed out (the token version moves on), and this one is signed in.
   */
  async choose(token: string, password: string): Promise<LoginResult> {
    const holder = await this.holder(token);
    await checkStrength(password, 'password', [holder.email, holder.name]);
    const passwordHash = await hashPassword(password);
    const userId = await this.dataSource.transaction(async (manager) => {
      const row = await this.tokens.byToken(token, manager, true);
      if (!row?.userId || !this.open(row)) throw new DomainError('link_invalid', LINK_INVALID);
      const now = this.clock.now();
      await this.users.setPassword(manager, row.userId, passwordHash);
      await this.tokens.closeOpen(manager, row.userId, ['invitation', 'password_reset'], now);
      return row.userId;
    });
    const user = await this.users.byId(userId);
    if (!user?.active) throw new DomainError('link_invalid', LINK_INVALID);
    return this.auth.signIn(user);
  }

  private open(row: TokenRow): boolean {
    return row.purpose !== 'setup' && row.usedAt === null && row.expiresAt !== null && row.expiresAt.getTime() > this.clock.now().getTime();
  }
}
