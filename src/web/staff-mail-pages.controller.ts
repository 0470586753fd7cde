import { Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { uuidPipe } from '../common/uuid.pipe';
import { OutboxKind } from '../outbox/outbox-message.entity';
import { OutboxAdminService, OUTBOX_LIST_LIMIT } from '../notifications/outbox-admin.service';
import type { OutboxRow } from '../notifications/outbox-delivery.repository';
import { Page, Pages, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

const KINDS: Record<OutboxKind, string> = {
  booking_confirmed: 'Confirmation de rendez-vous',
  booking_cancelled: 'Annulation de rendez-vous',
  booking_rescheduled: 'Changement d’horaire',
  session_cancelled: 'Permanence annulée',
  session_moved: 'Permanence déplacée',
  session_changed: 'Permanence modifiée',
  workshop_confirmed: 'Inscription à un atelier',
  workshop_waitlisted: 'Liste d’attente d’un atelier',
  workshop_promoted: 'Place libérée dans un atelier',
  workshop_cancelled: 'Atelier annulé',
  workshop_changed: 'Atelier modifié',
  reminder: 'Rappel',
  advisor_slot_booked: 'Conseiller : créneau réservé',
  advisor_slot_cancelled: 'Conseiller : créneau libéré',
  satisfaction: 'Question de satisfaction',
  account_invitation: 'Invitation à créer son compte',
  password_reset: 'Nouveau mot de passe',
};

/**
 * /staff/courriels: the e-mails that failed for good (with their last error) or still wait, and
 * putting failed ones back in the queue — the same service as /api/admin/outbox.
 */
@Controller('staff')
@Pages()
export class StaffMailPagesController {
  constructor(
    private readonly views: Views,
    private readonly outbox: OutboxAdminService,
  ) {}

  @Get('courriels')
  @StaffPage('admin')
  async list(@Query() query: Record<string, unknown>, @Page() page: PageContext, @Res() response: Response) {
    const [failed, pending] = await Promise.all([this.outbox.list('failed'), this.outbox.list('pending')]);
    const done = typeof query.relances === 'string' && /^\d{1,6}$/.test(query.relances) ? Number(query.relances) : null;
    const flash =
      done === null
        ? null
        : done === 0
          ? 'Aucun courriel en échec à relancer.'
          : done === 1
            ? 'C’est fait : 1 courriel est remis dans la file d’envoi.'
            : `C’est fait : ${done} courriels sont remis dans la file d’envoi.`;
    this.views.send(
      response,
      'staff/mail',
      {
        failed: failed.map(row),
        pending: pending.map(row),
        limit: OUTBOX_LIST_LIMIT,
        failedFull: failed.length >= OUTBOX_LIST_LIMIT,
        pendingFull: pending.length >= OUTBOX_LIST_LIMIT,
      },
      { ...page, flash },
      { title: 'Courriels en échec ou en attente' },
    );
  }

  @Post('courriels/relancer')
  @StaffPage('admin')
  async retryAll(@Res() response: Response) {
    const { retried } = await this.outbox.retryAllFailed();
    response.redirect(303, `/staff/courriels?relances=${retried}`);
  }

  @Post('courriels/:id/relancer')
  @StaffPage('admin')
  async retry(@Param('id', uuidPipe) id: string, @Res() response: Response) {
    await this.outbox.retry(id);
    response.redirect(303, '/staff/courriels?relances=1');
  }
}

function row(message: OutboxRow) {
  return { ...message, kindLabel: KINDS[message.kind] ?? message.kind };
}
