import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { keep } from '../common/keep';
import { RATE_LIMITS, RateLimitStore } from '../common/rate-limits';
import { DatabaseSnapshot } from '../common/database-snapshot';
import { hashPassword, verifyPassword } from './passwords';
import { AccessTokenClaims, StaffUser } from './staff-user';
import { User } from './user.entity';
import { SignedInAccount, UsersRepository } from './users.repository';

/** Accounts kept for checking signed-in requests (staff are a few dozen). */
const MAX_KEPT_ACCOUNTS = 1_000;

export interface LoginResult {
  accessToken: string;
  expiresAt: string;
  user: StaffUser;
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  /** Accounts as read for signed-in requests, with the database snapshot they were read at (see account). */
  private readonly accounts = new Map<string, { snapshot: string; account: SignedInAccount }>();

  constructor(
    private readonly users: UsersRepository,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly rateLimits: RateLimitStore,
    private readonly snapshots: DatabaseSnapshot,
  ) {}

  /** The first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD; an existing account is left as it is. */
  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) {
      this.logger.warn('ADMIN_EMAIL / ADMIN_PASSWORD are not set: no admin account is created at start');
      return;
    }
    const created = await this.users.insertIfAbsent({
      email: adminEmail,
      name: 'Administrateur',
      role: 'admin',
      passwordHash: await hashPassword(adminPassword),
    });
    if (created) this.logger.log('Created the first admin account from ADMIN_EMAIL');
  }

  /**
   * Five attempts for one address within 15 minutes, then it is locked for 15 minutes, whether an
   * account exists or not (so the lock tells nothing about which addresses are accounts); a successful
   * login clears the count. The attempt is counted, in one statement, before the password is checked:
   * counted after, parallel guesses all passed the check before the first failure was written.
   */
  async login(email: string, password: string): Promise<LoginResult> {
    const lockKey = `login-failures:${await this.users.lookupKey(email)}`;
    const { limit, ttl, blockDuration } = RATE_LIMITS.loginFailuresPerEmail;
    const { blockedUntil } = await this.rateLimits.hit(lockKey, limit, ttl, blockDuration);
    if (blockedUntil) {
      const minutes = Math.max(1, Math.ceil((blockedUntil.getTime() - this.clock.now().getTime()) / 60_000));
      throw new DomainError('too_many_requests', `Trop de tentatives de connexion : ce compte est verrouillé pendant ${minutes} min.`);
    }
    const user = await this.users.withPasswordByEmail(email);
    const valid = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !valid || !user.active) throw new DomainError('invalid_credentials', 'Adresse e-mail ou mot de passe incorrect.');
    await this.rateLimits.reset(lockKey);
    return this.signIn(user);
  }

  /** A session for an account whose owner just proved who they are (password, or a one-time link). */
  async signIn(user: Pick<User, 'id' | 'email' | 'name' | 'role' | 'tokenVersion'>): Promise<LoginResult> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const exp = now + this.config.jwtTtlSeconds;
    const claims: AccessTokenClaims & { iat: number; exp: number } = { sub: user.id, role: user.role, ver: user.tokenVersion, iat: now, exp };
    return {
      accessToken: await this.jwt.signAsync(claims),
      expiresAt: new Date(exp * 1000).toISOString(),
      user: toStaffUser(user),
    };
  }

  /** The staff member a bearer token stands for, or an `unauthenticated` error. */
  async authenticate(token: string): Promise<StaffUser> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { clockTimestamp: Math.floor(this.clock.now().getTime() / 1000) });
    } catch {
      throw new DomainError('unauthenticated', 'Session expirée ou jeton invalide : reconnectez-vous.');
    }
    const user = typeof claims.sub === 'string' && isUuid(claims.sub) ? await this.account(claims.sub) : null;
    // A deactivated account, or one whose tokens were revoked, loses access at once.
    if (!user || !user.active || user.tokenVersion !== claims.ver) {
      throw new DomainError('unauthenticated', 'Session expirée ou jeton invalide : reconnectez-vous.');
    }
    return toStaffUser(user);
  }

  /**
   * The account as of the call or later: kept with the database's snapshot (DatabaseSnapshot) taken
   * before it was read, and read again once anything was committed since, anywhere. A deactivation
   * or a revocation committed before a request is seen by that request, on every instance.
   */
  private async account(id: string): Promise<SignedInAccount | null> {
    const snapshot = await this.snapshots.current();
    const kept = this.accounts.get(id);
    if (kept?.snapshot === snapshot) return kept.account;
    const account = await this.users.signedIn(id);
    if (account) keep(this.accounts, id, { snapshot, account }, MAX_KEPT_ACCOUNTS);
    else this.accounts.delete(id);
    return account;
  }
}

export function toStaffUser(user: Pick<User, 'id' | 'email' | 'name' | 'role'>): StaffUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
