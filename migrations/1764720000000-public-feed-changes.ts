import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every statement that changes the rows the public feed is built from (permanence sessions and
 * workshops: a workshop's counters move with each registration) notifies channel `public_feed` when
 * it commits, so each instance knows its feed is stale without querying on every poll
 * (src/feeds/public-feed-changes.ts). PostgreSQL sends one notification per transaction and channel.
 */
export class PublicFeedChanges1764720000000 implements MigrationInterface {
  name = 'PublicFeedChanges1764720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE FUNCTION public_feed_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('public_feed', '');
        RETURN NULL;
      END $$`);
    for (const table of ['permanence_sessions', 'workshops']) {
      await db.query(
        `CREATE TRIGGER ${table}_public_feed AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION public_feed_changed()`,
      );
      await db.query(`CREATE TRIGGER ${table}_public_feed_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION public_feed_changed()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['permanence_sessions', 'workshops']) {
      await db.query(`DROP TRIGGER ${table}_public_feed_truncate ON ${table}`);
      await db.query(`DROP TRIGGER ${table}_public_feed ON ${table}`);
    }
    await db.query(`DROP FUNCTION public_feed_changed()`);
  }
}
