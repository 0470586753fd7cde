import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journal of staff actions: who (a staff account), what (a stable action code), on what (a
 * subject type and id), a short French summary and JSON details, when. Written in the same
 * transaction as the action. `names_person` marks entries that name someone outside the team: the
 * nightly clean-up deletes them after RETENTION_MONTHS, as it anonymises the bookings.
 */
export class StaffJournal1764830000000 implements MigrationInterface {
  name = 'StaffJournal1764830000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE staff_journal (
        id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT staff_journal_pkey PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        action text NOT NULL CHECK (action ~ '^[a-z_]+\\.[a-z_]+$'),
        subject_type text,
        subject_id text,
        summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 500),
        details jsonb NOT NULL DEFAULT '{}',
        names_person boolean NOT NULL DEFAULT false,
        at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX staff_journal_at_idx ON staff_journal (at DESC, seq DESC)`);
    await db.query(`CREATE INDEX staff_journal_action_at_idx ON staff_journal (action, at DESC)`);
    await db.query(`CREATE INDEX staff_journal_names_person_at_idx ON staff_journal (at) WHERE names_person`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE staff_journal`);
  }
}
