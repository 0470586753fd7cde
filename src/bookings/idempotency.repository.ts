import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyClaim } from './idempotency';

/**
 * The CTE that records a booking's idempotency key, for the booking statements of BookingsRepository.book
 * and WaitlistRepository.register: `$16` is now, `$19` to `$21` the key hash, the request hash and the
 * expiry (all NULL without a key). Inside the booking's own statement, the key exists exactly when the
 * booking does; a key already stored violates `idempotency_keys_pkey` and undoes the whole statement.
 */
export function recordIdempotencyKey(bookingCte: string): string {
  return `INSERT INTO idempotency_keys (key_hash, request_hash, booking_id, created_at, expires_at)
         SELECT $19::bytea, $20::bytea, ${bookingCte}.id, $16, $21::timestamptz FROM ${bookingCte} WHERE $19::bytea IS NOT NULL`;
}

export interface StoredIdempotencyKey {
  bookingId: string;
  requestHash: Buffer;
}

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The booking a key made, while the key is valid. An expired one is deleted here, so the key can be
   * used again before the nightly clean-up has run.
   */
  async find(keyHash: Buffer, now: Date): Promise<StoredIdempotencyKey | null> {
    const [row] = await this.dataSource.query<StoredIdempotencyKey[]>(
      `WITH expired AS (DELETE FROM idempotency_keys WHERE key_hash = $1 AND expires_at <= $2)
       SELECT booking_id AS "bookingId", request_hash AS "requestHash" FROM idempotency_keys WHERE key_hash = $1 AND expires_at > $2`,
      [keyHash, now],
    );
    return row ?? null;
  }

  /** Keys past their 24 hours, for the nightly clean-up; returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown, number]>(`DELETE FROM idempotency_keys WHERE expires_at <= $1`, [now]);
    return deleted;
  }
}

/** The parameters `$19` to `$21` of recordIdempotencyKey. */
export function idempotencyParameters(claim: IdempotencyClaim | null): unknown[] {
  return [claim?.keyHash ?? null, claim?.requestHash ?? null, claim?.expiresAt ?? null];
}
