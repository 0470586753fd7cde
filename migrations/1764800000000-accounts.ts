import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts run from the pages (issue 18): an invited account has no password until its owner chooses
 * one, and one table of one-time links (first start, invitation, forgotten password). A link's raw
 * token is never stored: only its SHA-256 (`token_hash`); the raw token is an HMAC of the row's id
 * (src/accounts/one-time-tokens.ts), so the mail composer rebuilds the link at send time.
 * At most one setup link is open at a time (`one_time_tokens_open_setup_key`): instances starting
 * together all print the same one.
 */
export class Accounts1764800000000 implements MigrationInterface {
  name = 'Accounts1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL`);
    await db.query(`
      CREATE TABLE one_time_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        purpose text NOT NULL CONSTRAINT one_time_tokens_purpose_check CHECK (purpose IN ('setup', 'invitation', 'password_reset')),
        token_hash bytea NOT NULL CONSTRAINT one_time_tokens_hash_key UNIQUE CHECK (octet_length(token_hash) = 32),
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz,
        used_at timestamptz,
        CONSTRAINT one_time_tokens_user_check CHECK ((purpose = 'setup') = (user_id IS NULL)),
        CONSTRAINT one_time_tokens_expiry_check CHECK (purpose = 'setup' OR expires_at > created_at)
      )`);
    await db.query(`CREATE UNIQUE INDEX one_time_tokens_open_setup_key ON one_time_tokens (purpose) WHERE purpose = 'setup' AND used_at IS NULL`);
    await db.query(`CREATE INDEX one_time_tokens_user_idx ON one_time_tokens (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE one_time_tokens`);
    await db.query(`DELETE FROM users WHERE password_hash IS NULL`);
    await db.query(`ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL`);
  }
}
