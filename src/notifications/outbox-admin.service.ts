import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { OutboxDeliveryRepository, OutboxRow } from './outbox-delivery.repository';

/** The most messages an admin is shown at once, per status. */
export const OUTBOX_LIST_LIMIT = 200;

/** What admins see of the outbox, and putting failed messages back in the queue (the API and /staff/courriels). */
@Injectable()
export class OutboxAdminService {
  constructor(
    private readonly outbox: OutboxDeliveryRepository,
    private readonly clock: Clock,
  ) {}

  list(status: OutboxRow['status']): Promise<OutboxRow[]> {
    return this.outbox.list(status, OUTBOX_LIST_LIMIT);
  }

  async retry(id: string): Promise<{ id: string; status: 'pending' }> {
    if (!(await this.outbox.retry(id, this.clock.now()))) throw new DomainError('not_found', 'Aucun message en échec ne porte cet identifiant.');
    return { id, status: 'pending' };
  }

  async retryAllFailed(): Promise<{ retried: number; ids: string[] }> {
    const ids = await this.outbox.retryAllFailed(this.clock.now());
    return { retried: ids.length, ids };
  }
}
