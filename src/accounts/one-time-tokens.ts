import { Injectable } from '@nestjs/common';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';

export type TokenPurpose = 'setup' | 'invitation' | 'password_reset';

/** How long a link lasts; the setup link lasts until the first admin exists. */
export const TOKEN_LIFETIME_MS: Record<Exclude<TokenPurpose, 'setup'>, number> = {
  invitation: 72 * 3_600_000,
  password_reset: 3_600_000,
};

/**
 * A one-time link's token is an HMAC of its row's id under a key derived from the service secret, so
 * the raw token is never stored (the table keeps its SHA-256) and the mail composer, or the start-up
 * line, rebuilds it from the id. A new JWT_SECRET invalidates every open link.
 */
@Injectable()
export class OneTimeTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwtSecret, 'rendez-vous-ess', 'one-time-token', 32));
  }

  tokenOf(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('base64url');
  }

  hashOf(token: string): Buffer {
    return createHash('sha256').update(token, 'utf8').digest();
  }
}

export interface TokenRow {
  id: string;
  purpose: TokenPurpose;
  userId: string | null;
  expiresAt: Date | null;
  usedAt: Date | null;
}

const COLUMNS = `id, purpose, user_id AS "userId", expires_at AS "expiresAt", used_at AS "usedAt"`;

@Injectable()
export class OneTimeTokensRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: OneTimeTokens,
  ) {}

  /** A new link: the id is drawn first so that the stored hash is that of the id's token. */
  async issue(manager: EntityManager, purpose: Exclude<TokenPurpose, 'setup'>, userId: string, now: Date): Promise<string> {
    const [{ id }] = await manager.query<Array<{ id: string }>>(`SELECT gen_random_uuid() AS id`);
    await manager.query(`INSERT INTO one_time_tokens (id, purpose, token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id,
      purpose,
      this.tokens.hashOf(this.tokens.tokenOf(id)),
      userId,
      now,
      new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]),
    ]);
    return id;
  }

  /**
   * The open setup link, created when there is none; instances starting together get the same one.
   * Its hash is written again from the id: after a JWT_SECRET change, the address printed is the one
   * that works (the earlier one stops).
   */
  async openSetup(now: Date): Promise<string> {
    const [{ id }] = await this.dataSource.query<Array<{ id: string }>>(`SELECT gen_random_uuid() AS id`);
    await this.dataSource.query(
      `INSERT INTO one_time_tokens (id, purpose, token_hash, created_at) VALUES ($1, 'setup', $2, $3)
       ON CONFLICT (purpose) WHERE purpose = 'setup' AND used_at IS NULL DO NOTHING`,
      [id, this.tokens.hashOf(this.tokens.tokenOf(id)), now],
    );
    const [row] = await this.dataSource.query<Array<{ id: string }>>(`SELECT id FROM one_time_tokens WHERE purpose = 'setup' AND used_at IS NULL`);
    await this.dataSource.query(`UPDATE one_time_tokens SET token_hash = $2 WHERE id = $1 AND token_hash <> $2`, [
      row.id,
      this.tokens.hashOf(this.tokens.tokenOf(row.id)),
    ]);
    return row.id;
  }

  /** The link a presented token stands for, locked for its use when a manager is given. */
  async byToken(token: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<TokenRow | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const [row] = await manager.query<TokenRow[]>(`SELECT ${COLUMNS} FROM one_time_tokens WHERE token_hash = $1${lock ? ' FOR UPDATE' : ''}`, [
      this.tokens.hashOf(token),
    ]);
    return row ?? null;
  }

  async markUsed(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.query(`UPDATE one_time_tokens SET used_at = $2 WHERE id = $1`, [id, now]);
  }

  /** Closes the account's open links of these purposes (a new invitation, a used link). */
  async closeOpen(manager: EntityManager, userId: string, purposes: TokenPurpose[], now: Date): Promise<void> {
    await manager.query(`UPDATE one_time_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = ANY($2::text[]) AND used_at IS NULL`, [
      userId,
      purposes,
      now,
    ]);
  }
}
