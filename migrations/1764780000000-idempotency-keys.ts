import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key` on POST /api/bookings (IETF httpapi idempotency-key draft): the SHA-256 of the key,
 * the SHA-256 of the request it came with, and the booking it made. Written by the booking's own
 * statement, so a booking that committed is always found by the retry and one that failed left no key.
 * Kept 24 hours (`expires_at`); the nightly clean-up deletes the expired ones.
 */
export class IdempotencyKeys1764780000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764780000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE idempotency_keys (
        key_hash bytea NOT NULL CONSTRAINT idempotency_keys_pkey PRIMARY KEY CHECK (octet_length(key_hash) = 32),
        request_hash bytea NOT NULL CHECK (octet_length(request_hash) = 32),
        booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        CHECK (expires_at > created_at)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at)`);
    await db.query(`CREATE INDEX idempotency_keys_booking_id_idx ON idempotency_keys (booking_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
  }
}
