import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { UsersService } from '../accounts/users.service';
import { addMonths, instantToLocal, todayIn } from '../calendar';
import { Clock } from '../common/clock';
import { ErrorCode } from '../common/domain-error';
import { uuidPipe } from '../common/uuid.pipe';
import { CancelSessionDto, CreateSessionDto, MoveSessionDto, StaffSessionDto } from '../permanences/dto/permanence.dto';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { PermanencesService } from '../permanences/permanences.service';
import { SessionExceptionsService } from '../permanences/session-exceptions.service';
import { Confirmation, confirmed, formFailure, FormBody, list, text, toInteger, toLocalDate, validated } from './forms';
import type { StaffUser } from '../auth/staff-user';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { frenchHour, frenchLocalDate, PageContext, Views } from './views';

type Session = Awaited<ReturnType<PermanencesService['list']>>[number];
type Action = 'cancel' | 'move' | 'staff' | 'add';

/** `?fait=` after a Post/Redirect/Get: a fixed message, never text from the address. */
const DONE: Record<string, string> = {
  annulee: 'C’est fait : la permanence est annulée. Les personnes qui avaient réservé, et leurs conseiller·ères, sont prévenues par e-mail avec le motif.',
  deplacee: 'C’est fait : la permanence est déplacée, aux mêmes horaires. Les réservations la suivent et les personnes sont prévenues par e-mail.',
  ajoutee: 'C’est fait : la permanence exceptionnelle est ajoutée et ouverte aux réservations.',
  conseillers: 'C’est fait : les conseiller·ères de la permanence sont enregistré·es.',
};

/** Refusals shown on the page itself; anything else (an unknown session, a fault) gets the error page. */
const FORM_ERRORS: ErrorCode[] = ['validation_failed', 'session_in_past', 'session_cancelled', 'desk_has_bookings', 'advisor_invalid'];

/** What failed, to show it next to the form it came from, with what was typed. */
interface Failure {
  action: Action;
  sessionId: string | null;
  values: Record<string, string>;
  advisorIds: string[];
  errors: Record<string, string>;
  message: string;
}

/** The admin's exceptions to the permanence series: cancel, move, staff a session, add one. */
@Controller('staff')
@Pages()
export class StaffSessionPagesController {
  constructor(
    private readonly views: Views,
    private readonly permanences: PermanencesService,
    private readonly exceptions: SessionExceptionsService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  @Get('permanences')
  @StaffPage('admin')
  async list(@Query('fait') done: unknown, @Page() page: PageContext, @Res() response: Response) {
    const flash = typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : null;
    await this.sendPage(response, { ...page, flash }, null);
  }

  @Post('permanences/ajouter')
  @StaffPage('admin')
  async add(@Body() body: FormBody, @Page() page: PageContext, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const values = Object.fromEntries(['date', 'startTime', 'endTime', 'slotMinutes', 'location'].map((name) => [name, text(body, name) ?? '']));
    const advisorIds = list(body, 'advisorIds');
    let id: string;
    try {
      const dto = await validated(CreateSessionDto, {
        date: toLocalDate(values.date),
        startTime: blank(values.startTime) ? undefined : values.startTime.trim(),
        endTime: blank(values.endTime) ? undefined : values.endTime.trim(),
        slotMinutes: blank(values.slotMinutes) ? undefined : toInteger(values.slotMinutes),
        location: blank(values.location) ? undefined : values.location,
        advisorIds,
      });
      id = (await this.exceptions.add(dto, staff)).id;
    } catch (error) {
      return this.refused(response, page, error, { action: 'add', sessionId: null, values, advisorIds });
    }
    response.redirect(303, `/staff/permanences?fait=ajoutee#permanence-${id}`);
  }

  @Post('permanences/:id/annuler')
  @StaffPage('admin')
  async cancel(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const values = { reason: text(body, 'reason') ?? '' };
    try {
      const dto = await validated(CancelSessionDto, values);
      if (!confirmed(body)) {
        const session = await this.permanences.get(id);
        const confirmation = cancelConfirmation(session, dto.reason);
        return this.views.send(response, 'confirm', confirmation, page, { title: `Annuler la permanence du ${frenchLocalDate(session.date)}` });
      }
      await this.exceptions.cancel(id, dto.reason, staff);
    } catch (error) {
      return this.refused(response, page, error, { action: 'cancel', sessionId: id, values, advisorIds: [] });
    }
    response.redirect(303, `/staff/permanences?fait=annulee#permanence-${id}`);
  }

  @Post('permanences/:id/deplacer')
  @StaffPage('admin')
  async move(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const values = { date: text(body, 'date') ?? '', reason: text(body, 'reason') ?? '' };
    try {
      const dto = await validated(MoveSessionDto, { date: toLocalDate(values.date), reason: blank(values.reason) ? undefined : values.reason });
      await this.exceptions.move(id, dto.date, staff, dto.reason);
    } catch (error) {
      return this.refused(response, page, error, { action: 'move', sessionId: id, values, advisorIds: [] });
    }
    response.redirect(303, `/staff/permanences?fait=deplacee#permanence-${id}`);
  }

  @Post('permanences/:id/conseillers')
  @StaffPage('admin')
  async staff(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const advisorIds = list(body, 'advisorIds');
    try {
      const dto = await validated(StaffSessionDto, { advisorIds });
      await this.exceptions.staff(id, dto.advisorIds, staff);
    } catch (error) {
      return this.refused(response, page, error, { action: 'staff', sessionId: id, values: {}, advisorIds });
    }
    response.redirect(303, `/staff/permanences?fait=conseillers#permanence-${id}`);
  }

  private async refused(response: Response, page: PageContext, error: unknown, failed: Omit<Failure, 'errors' | 'message'>) {
    const failure = formFailure(error, FORM_ERRORS);
    response.status(failure.status);
    const errors = Object.fromEntries(Object.entries(failure.errors).map(([field, message]) => [field, readable(message)]));
    await this.sendPage(response, page, { ...failed, errors, message: failure.alert });
  }

  private async sendPage(response: Response, page: PageContext, failure: Failure | null) {
    const now = this.clock.now();
    const today = todayIn(PROGRAMME_TIME_ZONE, now);
    const [sessions, accounts] = await Promise.all([this.permanences.list(today, addMonths(today, 12)), this.users.list()]);
    const onDesks = new Set(sessions.flatMap((session) => session.slots.flatMap((slot) => (slot.advisor ? [slot.advisor.id] : []))));
    const advisors = accounts
      .filter((account) => (account.active && account.role !== 'viewer') || onDesks.has(account.id))
      .map((account) => ({ id: account.id, name: account.active ? account.name : `${account.name} (compte désactivé)` }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    // A session under way today stays listed (its bookings page is what the desk needs), without the forms that change it.
    const coming = sessions.filter((session) => session.endsAt > now.toISOString());
    const failedSession = failure?.sessionId ? (coming.find((session) => session.id === failure.sessionId) ?? null) : null;
    const add = failure?.action === 'add' ? failure : null;
    this.views.send(
      response,
      'staff/sessions',
      {
        sessions: coming.map((session) => ({
          ...sessionRow(session, advisors, failure?.sessionId === session.id ? failure : null),
          underway: session.startsAt <= now.toISOString(),
        })),
        today,
        add: {
          values: add?.values ?? {},
          errors: add?.errors ?? {},
          advisors: advisors.map((advisor) => ({ ...advisor, checked: add?.advisorIds.includes(advisor.id) ?? false })),
          advisorsError: add?.errors.advisorIds ?? null,
        },
        alert: failure
          ? {
              message: failure.message,
              where: failedSession
                ? `La permanence du ${frenchLocalDate(failedSession.date)} n’a pas été modifiée.`
                : failure.action === 'add'
                  ? 'La permanence n’a pas été ajoutée.'
                  : null,
              links: errorLinks(failure, failedSession !== null),
            }
          : null,
      },
      page,
      { title: 'Permanences', status: response.statusCode },
    );
  }
}

/** A session as the admin sees it: seats taken, advisors on desks, and its three forms (one maybe with an error). */
function sessionRow(session: Session, advisors: Array<{ id: string; name: string }>, failure: Failure | null) {
  const cancelled = session.status === 'cancelled';
  const desks: string[] = [];
  let unnamedDesk = false;
  const staffed = new Set<string>();
  for (const slot of session.slots) {
    if (!slot.advisor) unnamedDesk = true;
    else if (!staffed.has(slot.advisor.id)) {
      staffed.add(slot.advisor.id);
      desks.push(slot.advisor.name ?? 'Conseiller·ère sans nom');
    }
  }
  const total = session.slots.reduce((sum, slot) => sum + slot.capacity, 0);
  const booked = cancelled ? 0 : session.slots.reduce((sum, slot) => sum + slot.capacity - slot.available, 0);
  const failed = (action: Action) => (failure?.action === action ? failure : null);
  const cancel = failed('cancel');
  const move = failed('move');
  const staff = failed('staff');
  const checkedIds = staff ? new Set(staff.advisorIds) : staffed;
  return {
    id: session.id,
    date: session.date,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    timeZone: session.timeZone,
    location: session.location,
    cancelled,
    statusReason: session.statusReason ?? null,
    originalDate: session.originalDate ?? null,
    booked,
    total,
    desks,
    unnamedDesk,
    cancelForm: { open: cancel !== null, reason: cancel?.values.reason ?? '', reasonError: cancel?.errors.reason ?? null, message: refusal(cancel) },
    moveForm: {
      open: move !== null,
      date: move?.values.date ?? '',
      reason: move?.values.reason ?? '',
      dateError: move?.errors.date ?? null,
      reasonError: move?.errors.reason ?? null,
      message: refusal(move),
    },
    staffForm: {
      open: staff !== null,
      error: staff?.errors.advisorIds ?? null,
      message: refusal(staff),
      advisors: advisors.map((advisor) => ({ ...advisor, checked: checkedIds.has(advisor.id) })),
    },
  };
}

/** A refusal that is about no field in particular (the session is past, a desk still has bookings…). */
function refusal(failure: Failure | null): string | null {
  return failure && Object.keys(failure.errors).length === 0 ? failure.message : null;
}

/** The error summary's links: to each field in error, or to the session whose action failed. */
function errorLinks(failure: Failure, listed: boolean): Array<{ href: string; message: string }> {
  const prefix = failure.sessionId ? `f-${failure.sessionId}-` : 'f-';
  const anchor = (field: string) => (field === 'advisorIds' ? 'advisors' : failure.action === 'move' && field === 'reason' ? 'move-reason' : field);
  const fields = Object.entries(failure.errors).map(([field, message]) => ({ href: `#${prefix}${anchor(field)}`, message }));
  if (fields.length > 0) return fields;
  return failure.sessionId && listed ? [{ href: `#permanence-${failure.sessionId}`, message: 'Voir la permanence' }] : [];
}

/** The service names fields by their API names in a few messages; the page says it in French. */
function readable(message: string): string {
  return message.replace(/\bstartTime\b/g, 'l’heure de début');
}

function cancelConfirmation(session: Session, reason: string): Confirmation {
  const booked = session.slots.reduce((sum, slot) => sum + slot.capacity - slot.available, 0);
  const time = (instant: string) => frenchHour(instantToLocal(new Date(instant), session.timeZone).time);
  return {
    heading: `Annuler la permanence du ${frenchLocalDate(session.date)} ?`,
    details: [
      { label: 'Horaire', value: `${time(session.startsAt)} – ${time(session.endsAt)}` },
      { label: 'Lieu', value: session.location },
      { label: 'Réservations', value: booked === 0 ? 'aucune' : `${booked} ${booked > 1 ? 'rendez-vous réservés' : 'rendez-vous réservé'}` },
      { label: 'Motif envoyé', value: reason },
    ],
    warning:
      'L’annulation est définitive : toutes les réservations de cette permanence sont annulées, et chaque personne ainsi que son conseiller·ère reçoivent un e-mail avec ce motif.',
    action: `/staff/permanences/${session.id}/annuler`,
    fields: [{ name: 'reason', value: reason }],
    confirmLabel: 'Oui, annuler la permanence',
    backUrl: `/staff/permanences#permanence-${session.id}`,
    backLabel: 'Non, revenir aux permanences',
  };
}

function blank(value: string): boolean {
  return value.trim() === '';
}
