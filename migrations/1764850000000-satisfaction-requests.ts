import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The satisfaction question e-mailed after an attended event (src/satisfaction/):
 * - `satisfaction_requested_at`: when the question was recorded in the outbox, once per booking ever
 *   (set by the same statement that records the message, so two instances never send it twice);
 * - `satisfaction_link_generation`: the answer links are HMACs of the booking and this number
 *   (satisfaction-links.ts); recording an answer moves it on, so a link works once;
 * - `satisfaction_opted_out_at`: the person asked to receive no more questions. It is written on every
 *   booking of their address, and a booking is never asked about while any booking of the same address
 *   carries it; anonymising a booking (retention, erasure) forgets it with the address.
 */
export class SatisfactionRequests1764850000000 implements MigrationInterface {
  name = 'SatisfactionRequests1764850000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bookings
        ADD COLUMN satisfaction_requested_at timestamptz,
        ADD COLUMN satisfaction_link_generation integer NOT NULL DEFAULT 0 CHECK (satisfaction_link_generation >= 0),
        ADD COLUMN satisfaction_opted_out_at timestamptz`);
    await db.query(`CREATE INDEX bookings_satisfaction_opt_out_idx ON bookings (lower(attendee_email)) WHERE satisfaction_opted_out_at IS NOT NULL`);
    // The due-question statement looks for events that ended in the last days.
    await db.query(`CREATE INDEX slots_ends_at_idx ON slots (ends_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX slots_ends_at_idx`);
    await db.query(
      `ALTER TABLE bookings DROP COLUMN satisfaction_opted_out_at, DROP COLUMN satisfaction_link_generation, DROP COLUMN satisfaction_requested_at`,
    );
  }
}
