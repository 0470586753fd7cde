import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { OutboxKind, OutboxMessage } from './outbox-message.entity';

export interface OutboxEntry {
  kind: OutboxKind;
  recipient: string;
  bookingId?: string | null;
  payload?: OutboxMessage['payload'];
}

/**
 * What must be told to whom. Always written with the caller's transaction manager, so a message
 * exists exactly when the change that causes it was committed. (The sender comes with the e-mail issue.)
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly clock: Clock) {}

  /** Each message takes the booking's SEQUENCE as it stands in this transaction, for its invite. */
  async record(manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO outbox_messages (kind, recipient, booking_id, payload, ical_sequence, available_at, created_at)
       SELECT e.kind, e.recipient, e.booking_id, e.payload, b.sequence, $5, $5
       FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[]) WITH ORDINALITY AS e(kind, recipient, booking_id, payload, n)
       LEFT JOIN bookings b ON b.id = e.booking_id
       ORDER BY e.n`,
      [
        entries.map((entry) => entry.kind),
        entries.map((entry) => entry.recipient),
        entries.map((entry) => entry.bookingId ?? null),
        entries.map((entry) => JSON.stringify(entry.payload ?? {})),
        this.clock.now(),
      ],
    );
  }
}
