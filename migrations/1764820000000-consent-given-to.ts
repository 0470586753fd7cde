import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who took a consent given orally: a booking made by a staff member for someone who phoned or came
 * in names that staff member; null for a booking made online by the person. A deleted account keeps
 * the booking (the consent's time and version stay), only the name is lost.
 */
export class ConsentGivenTo1764820000000 implements MigrationInterface {
  name = 'ConsentGivenTo1764820000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bookings ADD COLUMN consent_given_to uuid REFERENCES users (id) ON DELETE SET NULL`);
    await db.query(`CREATE INDEX bookings_consent_given_to_idx ON bookings (consent_given_to) WHERE consent_given_to IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bookings DROP COLUMN consent_given_to`);
  }
}
