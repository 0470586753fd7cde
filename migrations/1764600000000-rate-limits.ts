import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request counters of the rate limits, in the database so every instance counts the same requests:
 * one row per key (limit name + IP address or e-mail), a fixed window, and a block once over.
 */
export class RateLimits1764600000000 implements MigrationInterface {
  name = 'RateLimits1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rate_limits (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rate_limits`);
  }
}
