import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxKind, OutboxMessage } from './outbox-message.entity';

export interface OutboxEntry {
  kind: OutboxKind;
  recipient: string;
  bookingId?: string | null;
  payload?: OutboxMessage["payload"];
}

/**
 * What must be told to whom. Always written with the caller's transaction manager, so a message
 * exists exactly when the change that causes it was committed. (The sender comes with the e-mail issue.)
 */
@Injectable()
export class OutboxRepository {
  async record(manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.insert(
      OutboxMessage,
      entries.map((entry) => ({
        kind: entry.kind,
        recipient: entry.recipient,
        bookingId: entry.bookingId ?? null,
        payload: entry.payload ?? {},
      })),
    );
  }
}
