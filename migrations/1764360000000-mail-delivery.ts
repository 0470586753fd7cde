import { MigrationInterface, QueryRunner } from 'typeorm';

/** What the outbox sender needs: the invite's SEQUENCE as of the change, a lease, and reminders sent once. */
export class MailDelivery1764360000000 implements MigrationInterface {
  name = 'MailDelivery1764360000000';

  async up(db: QueryRunner): Promise<void> {
    // The booking's SEQUENCE when the message was recorded: a later change must not renumber an older invite.
    await db.query(`ALTER TABLE outbox_messages ADD COLUMN ical_sequence integer`);
    // A sender claims a message for a while; if it dies, the lease runs out and another one sends it.
    await db.query(`ALTER TABLE outbox_messages ADD COLUMN locked_until timestamptz`);
    // The order messages were recorded in; one person's messages about one booking go out in that order.
    await db.query(`ALTER TABLE outbox_messages ADD COLUMN seq bigserial`);
    await db.query(`CREATE INDEX outbox_messages_booking_seq_idx ON outbox_messages (booking_id, seq) WHERE status = 'pending'`);
    await db.query(`DROP INDEX outbox_messages_pending_idx`);
    await db.query(`CREATE INDEX outbox_messages_due_idx ON outbox_messages (available_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX outbox_messages_status_idx ON outbox_messages (status, created_at)`);
    await db.query(`ALTER TABLE bookings ADD COLUMN reminder_sent_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bookings DROP COLUMN reminder_sent_at`);
    await db.query(`DROP INDEX outbox_messages_status_idx, outbox_messages_due_idx, outbox_messages_booking_seq_idx`);
    await db.query(`ALTER TABLE outbox_messages DROP COLUMN seq`);
    await db.query(`CREATE INDEX outbox_messages_pending_idx ON outbox_messages (available_at) WHERE status = 'pending'`);
    await db.query(`ALTER TABLE outbox_messages DROP COLUMN locked_until, DROP COLUMN ical_sequence`);
  }
}
