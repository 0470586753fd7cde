import { MigrationInterface, QueryRunner } from 'typeorm';

/** Advisors' private feed tokens: derived from the service secret and a version, stored only as a hash. */
export class CalendarFeeds1764420000000 implements MigrationInterface {
  name = 'CalendarFeeds1764420000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN feed_token_version integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE users ADD COLUMN feed_token_hash bytea CONSTRAINT users_feed_token_key UNIQUE`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN feed_token_hash, DROP COLUMN feed_token_version`);
  }
}
