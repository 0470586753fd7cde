import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose statements notify each channel (src/database/database-changes.ts). */
const NOTIFIED: Record<string, string[]> = {
  // What a day's agenda is made from (src/agenda/agenda.repository.ts, fingerprint).
  permanence_sessions: ['staff_day'],
  desks: ['staff_day'],
  slots: ['staff_day'],
  bookings: ['staff_day'],
  workshops: ['staff_day'],
  // Advisors' and recorders' names are in the agenda; every signed-in request checks its account.
  users: ['staff_day', 'staff_accounts'],
};

/**
 * Every statement that changes the rows of a day's agenda notifies channel `staff_day`, and every
 * statement that changes staff accounts `staff_accounts`, when it commits: each instance then knows
 * whether what it keeps of them is stale without querying on every request. PostgreSQL sends one
 * notification per transaction and channel.
 */
export class StaffChanges1764780000000 implements MigrationInterface {
  name = 'StaffChanges1764780000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE FUNCTION notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        FOR i IN 0 .. TG_NARGS - 1 LOOP
          PERFORM pg_notify(TG_ARGV[i], '');
        END LOOP;
        RETURN NULL;
      END $$`);
    for (const [table, channels] of Object.entries(NOTIFIED)) {
      const args = channels.map((channel) => `'${channel}'`).join(', ');
      await db.query(`CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_changed(${args})`);
      await db.query(`CREATE TRIGGER ${table}_changed_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_changed(${args})`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of Object.keys(NOTIFIED)) {
      await db.query(`DROP TRIGGER ${table}_changed_truncate ON ${table}`);
      await db.query(`DROP TRIGGER ${table}_changed ON ${table}`);
    }
    await db.query(`DROP FUNCTION notify_changed()`);
  }
}
