import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data: which version of the notice each person agreed to, and when a booking's contact
 * data was anonymised (retention period over, or erased on request; its figures stay).
 */
export class PersonalData1764660000000 implements MigrationInterface {
  name = 'PersonalData1764660000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bookings ADD COLUMN consent_version text, ADD COLUMN anonymised_at timestamptz`);
    await db.query(`CREATE INDEX outbox_messages_recipient_idx ON outbox_messages (lower(recipient))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX outbox_messages_recipient_idx`);
    await db.query(`ALTER TABLE bookings DROP COLUMN anonymised_at, DROP COLUMN consent_version`);
  }
}
