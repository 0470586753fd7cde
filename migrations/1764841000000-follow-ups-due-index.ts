import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The follow-ups to do on a day, whoever they are for: the agenda reads them, and its fingerprint
 * lists them, for every day asked (src/agenda/agenda.repository.ts). The index of migration
 * 1764840000000 leads with the advisor, so a day alone would scan the table.
 */
export class FollowUpsDueIndex1764841000000 implements MigrationInterface {
  name = 'FollowUpsDueIndex1764841000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX booking_follow_ups_due_on_idx ON booking_follow_ups (follow_up_on) WHERE follow_up_on IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX booking_follow_ups_due_on_idx`);
  }
}
