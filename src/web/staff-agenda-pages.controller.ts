import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AgendaQuery } from '../agenda/agenda.controller';
import { AgendaService } from '../agenda/agenda.service';
import { AttendanceDto } from '../attendance/attendance.controller';
import { AttendanceService } from '../attendance/attendance.service';
import type { StaffUser } from '../auth/staff-user';
import { UsersService } from '../accounts/users.service';
import { addDays, todayIn } from '../calendar';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { uuidPipe } from '../common/uuid.pipe';
import { FeedsService } from '../feeds/feeds.service';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { formFailure, FormBody, text, toLocalDate, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { BOOKING_CANCELLED } from './staff-session-bookings-pages.controller';
import { frenchLocalDate, PageContext, Views } from './views';
import { ListLabels, ListsService } from '../settings/lists.service';

type Day = Awaited<ReturnType<AgendaService['day']>>;
type Item = Day['items'][number];
type Booking = Item['bookings'][number];
type Attendance = NonNullable<Booking['attendance']>;

const ATTENDANCE: Record<Attendance, { label: string; badge: string }> = {
  present: { label: 'Présent', badge: 'badge-on' },
  absent: { label: 'Absent', badge: 'badge-off' },
  excused: { label: 'Excusé', badge: 'badge-wait' },
};

/** The message after an action that came back to the agenda (`?fait=`). */
const DONE: Record<string, string> = {
  'rendez-vous-annule': BOOKING_CANCELLED,
  suivi: 'C’est fait : le suivi du rendez-vous est enregistré.',
  'relance-faite': 'C’est fait : la relance est marquée comme faite.',
  'relance-a-faire': 'La relance est de nouveau à faire.',
};

/** What the agenda's filter can be refused for: shown on the page, next to the date picker. */
const AGENDA_ERRORS: ErrorCode[] = ['validation_failed', 'user_not_found', 'forbidden'];
/** What recording attendance can be refused for, as a message on the agenda rather than an error page. */
const ATTENDANCE_ERRORS: ErrorCode[] = ['validation_failed', 'event_not_started', 'attendance_not_applicable', 'forbidden', 'booking_not_found'];

/** The day and desk the page shows, as typed in its address or its forms (`conseiller` is the API's `advisorId`). */
interface Requested {
  date: string;
  conseiller: string;
}

/** A refused attendance, shown at the top of the page and next to the booking's form. */
interface AttendanceFailure {
  bookingId: string;
  message: string;
  noteError: string | null;
  note: string;
}

/** The advisors' day: their agenda with attendance, and the address of their private calendar feed. */
@Controller('staff')
@Pages()
export class StaffAgendaPagesController {
  constructor(
    private readonly views: Views,
    private readonly agenda: AgendaService,
    private readonly attendance: AttendanceService,
    private readonly users: UsersService,
    private readonly feeds: FeedsService,
    private readonly clock: Clock,
    private readonly lists: ListsService,
  ) {}

  /** `?date=YYYY-MM-DD&conseiller=<id>`; `presence=<booking id>` after an attendance was saved, `fait=rendez-vous-annule` after a cancellation. */
  @Get('agenda')
  @StaffPage('advisor', 'admin')
  async day(@Query() query: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const saved = text(query, 'presence') ?? null;
    const registered = text(query, 'inscrit') ?? null;
    const flash = DONE[text(query, 'fait') ?? ''] ?? page.flash ?? null;
    await this.sendAgenda(response, { ...page, flash }, staff, requestedIn(query), { saved, registered });
  }

  @Post('agenda/presences/:bookingId')
  @StaffPage('advisor', 'admin')
  async record(
    @Param('bookingId', uuidPipe) bookingId: string,
    @Body() body: FormBody,
    @PageStaff() staff: StaffUser,
    @Page() page: PageContext,
    @Res() response: Response,
  ) {
    const requested = requestedIn(body);
    const note = text(body, 'note') ?? '';
    try {
      const dto = await validated(AttendanceDto, { status: text(body, 'status'), note });
      await this.attendance.record(bookingId, staff, dto.status, dto.note ?? null);
    } catch (error) {
      const refused = formFailure(error, ATTENDANCE_ERRORS);
      const fields = refused.code === 'validation_failed' ? refused.errors : {};
      const message = refused.code === 'validation_failed' ? (fields.note ?? 'Choisissez Présent, Absent ou Excusé.') : refused.alert;
      response.status(refused.status);
      return this.sendAgenda(response, page, staff, requested, { failure: { bookingId, message, noteError: fields.note ?? null, note } });
    }
    const filter = await validFilter(requested);
    const params = new URLSearchParams({
      ...(filter.date ? { date: filter.date } : {}),
      ...(filter.advisorId ? { conseiller: filter.advisorId } : {}),
      presence: bookingId,
    });
    response.redirect(303, `/staff/agenda?${params}`);
  }

  @Get('flux')
  @StaffPage('advisor', 'admin')
  async feed(@Query('renouvele') renewed: unknown, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const { url, webcalUrl } = await this.feeds.feedLink(staff.id, false);
    const flash =
      renewed === '1'
        ? 'C’est fait : votre calendrier a une nouvelle adresse, et l’ancien lien ne fonctionne plus. Mettez à jour l’abonnement dans votre agenda avec l’adresse ci-dessous.'
        : null;
    this.views.send(
      response,
      'staff/feed',
      { url, webcalUrl, googleUrl: `https://calendar.google.com/calendar/render?cid=${encodeURIComponent(webcalUrl)}` },
      { ...page, flash },
      { title: 'Mon calendrier personnel' },
    );
  }

  @Post('flux/renouveler')
  @StaffPage('advisor', 'admin')
  async renewFeed(@PageStaff() staff: StaffUser, @Res() response: Response) {
    await this.feeds.feedLink(staff.id, true);
    response.redirect(303, '/staff/flux?renouvele=1');
  }

  private async sendAgenda(
    response: Response,
    page: PageContext,
    staff: StaffUser,
    requested: Requested,
    extra: { saved?: string | null; registered?: string | null; failure?: AttendanceFailure },
  ) {
    const isAdmin = staff.role === 'admin';
    let day: Day | null = null;
    let errors: Record<string, string> = {};
    let alert: string | null = null;
    let advisorId = '';
    let ahead: Awaited<ReturnType<AgendaService['ahead']>> | null = null;
    let notice: string | null = null;
    try {
      const filter = await validated(AgendaQuery, { date: toLocalDate(requested.date) || undefined, advisorId: requested.conseiller.trim() || undefined });
      day = await this.agenda.day(staff, filter.date, filter.advisorId);
      advisorId = isAdmin ? (filter.advisorId ?? '') : '';
      ahead = await this.agenda.ahead(staff, filter.advisorId);
      // Opened without a date on a day with nothing booked: the next day that has bookings, said so.
      // A day with only follow-ups to do stays: they are the day's work.
      if (!filter.date && day.counts.bookings === 0 && day.counts.followUpsDue === 0 && ahead.nextBookedDate && ahead.nextBookedDate !== day.date) {
        const empty = day.date;
        day = await this.agenda.day(staff, ahead.nextBookedDate, filter.advisorId);
        notice = `Aucun rendez-vous aujourd’hui (${frenchLocalDate(empty)}) : voici le prochain jour qui en a.`;
      }
    } catch (error) {
      const refused = formFailure(error, AGENDA_ERRORS);
      const fields = refused.errors;
      errors = Object.fromEntries(Object.entries({ date: fields.date, conseiller: fields.advisorId }).filter(([, message]) => message !== undefined));
      alert = refused.code === 'validation_failed' ? 'Cette journée ne peut pas être affichée : corrigez le champ signalé.' : refused.alert;
      if (!extra.failure) response.status(refused.status);
    }
    const failure = extra.failure ?? null;
    const failedBooking = failure && day ? findBooking(day, failure.bookingId) : null;
    if (failure)
      alert = failedBooking
        ? `Présence non enregistrée pour ${failedBooking.attendee.name} : ${failure.message}`
        : `Présence non enregistrée : ${failure.message}`;
    const savedBooking = extra.saved && day ? findBooking(day, extra.saved) : null;
    const registeredBooking = extra.registered && day ? findBooking(day, extra.registered) : null;
    const flash = savedBooking?.attendance
      ? `Présence enregistrée pour ${savedBooking.attendee.name} : ${ATTENDANCE[savedBooking.attendance].label.toLowerCase()}.`
      : registeredBooking
        ? `C’est fait : ${registeredBooking.attendee.name} est ${registeredBooking.status === 'waitlisted' ? 'sur la liste d’attente' : 'inscrit·e'} ; la confirmation lui est envoyée par e-mail.`
        : (page.flash ?? null);

    const today = todayIn(PROGRAMME_TIME_ZONE, this.clock.now());
    const date = day?.date ?? '';
    const link = (target: string | null) => {
      const params = new URLSearchParams({ ...(target ? { date: target } : {}), ...(advisorId ? { conseiller: advisorId } : {}) });
      return `/staff/agenda${params.size > 0 ? `?${params}` : ''}`;
    };
    const advisors = isAdmin
      ? (await this.users.list())
          .filter((user) => user.active && user.role !== 'viewer')
          .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
          .map((user) => ({ id: user.id, name: user.name, selected: user.id === (advisorId || requested.conseiller) }))
      : [];
    const labels = await this.lists.labels();
    this.views.send(
      response,
      'staff/agenda',
      {
        day: day ? dayView(day, failure, (startsAt) => this.attendance.hasStarted(startsAt), labels, staff) : null,
        date,
        dateValue: day ? day.date : requested.date,
        isToday: date === today,
        conseiller: advisorId,
        canChooseAdvisor: isAdmin,
        advisors,
        scope: day ? (day.advisor ? (day.advisor.id === staff.id ? 'Votre bureau' : `Bureau de ${day.advisor.name}`) : 'Tous les bureaux') : null,
        links: {
          ...(day ? { previous: link(addDays(date, -1)), previousDate: addDays(date, -1), next: link(addDays(date, 1)), nextDate: addDays(date, 1) } : {}),
          today: link(null),
          ...(ahead?.nextPermanence
            ? {
                nextPermanence: link(ahead.nextPermanence.date),
                nextPermanenceDate: ahead.nextPermanence.date,
                isNextPermanence: ahead.nextPermanence.date === date,
              }
            : {}),
        },
        notice,
        errors,
        alert,
        failedBookingId: failedBooking ? failedBooking.id : null,
      },
      { ...page, flash },
      { title: day ? `Agenda du ${frenchLocalDate(day.date)}` : 'Agenda', status: response.statusCode },
    );
  }
}

function requestedIn(input: FormBody): Requested {
  return { date: text(input, 'date') ?? '', conseiller: text(input, 'conseiller') ?? '' };
}

/** The day and desk to go back to after a form; anything invalid falls back to the default (today, own desk). */
async function validFilter(requested: Requested): Promise<AgendaQuery> {
  try {
    return await validated(AgendaQuery, { date: toLocalDate(requested.date) || undefined, advisorId: requested.conseiller.trim() || undefined });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'validation_failed') return {};
    throw error;
  }
}

function findBooking(day: Day, id: string): Booking | null {
  for (const item of day.items) for (const booking of item.bookings) if (booking.id === id) return booking;
  return null;
}

function dayView(day: Day, failure: AttendanceFailure | null, hasStarted: (startsAt: string) => boolean, labels: ListLabels, staff: StaffUser) {
  const { counts } = day;
  return {
    followUpsDue: day.followUpsDue.map((due) => ({
      ...due,
      orientations: due.followUp.orientations.map((entry) => entry.label),
      done: due.followUp.followUpDoneAt !== null,
      forOther: due.followUp.followUpAdvisor !== null && due.followUp.followUpAdvisor.id !== staff.id,
      // The follow-up's page is for those who may edit it; the advisor it was given to reads it here.
      editable: canWriteFollowUp(staff, due.deskAdvisor?.id ?? null),
    })),
    timeZone: day.timeZone,
    counts,
    isEmpty: day.items.length === 0,
    sessionIds: [...new Set(day.items.flatMap((item) => (item.type === 'slot' && item.status !== 'cancelled' ? [item.sessionId] : [])))],
    items: day.items.map((item) => {
      const cancelled = item.status === 'cancelled';
      const base = {
        id: item.id,
        startsAt: item.startsAt,
        endsAt: item.endsAt,
        location: item.location,
        cancelled,
        capacity: item.capacity,
        free: item.free,
        attendanceOpen: hasStarted(item.startsAt),
        bookings: item.bookings.map((booking) =>
          bookingView(
            booking,
            failure?.bookingId === booking.id ? failure : null,
            labels,
            item.type === 'slot' && canWriteFollowUp(staff, item.advisor?.id ?? null),
          ),
        ),
      };
      if (item.type === 'slot') {
        return {
          ...base,
          isSlot: true,
          isWorkshop: false,
          title: item.advisor?.name ? `Permanence — ${item.advisor.name}` : 'Permanence — bureau sans conseiller·ère',
          waitlisted: 0,
          isFree: !cancelled && item.bookings.length === 0,
        };
      }
      return { ...base, isSlot: false, isWorkshop: true, title: `Atelier « ${item.title} »`, waitlisted: item.waitlisted, isFree: false };
    }),
  };
}

/** Who may write a slot booking's follow-up: an admin, or the advisor of its desk (FollowUpsService says so again). */
function canWriteFollowUp(staff: StaffUser, deskAdvisorId: string | null): boolean {
  return staff.role === 'admin' || deskAdvisorId === staff.id;
}

function bookingView(booking: Booking, failure: AttendanceFailure | null, labels: ListLabels, followUpWritable: boolean) {
  const attendance = booking.attendance ? ATTENDANCE[booking.attendance] : null;
  const followUp = booking.followUp;
  return {
    organisationId: booking.organisation.id,
    // The follow-up is noted once the person came, on a permanence appointment.
    followUpOpen: followUpWritable && booking.status === 'confirmed' && booking.attendance === 'present',
    followUp: followUp
      ? {
          note: followUp.note,
          orientations: followUp.orientations.map((entry) => entry.label),
          followUpOn: followUp.followUpOn,
          followUpAdvisor: followUp.followUpAdvisor?.name ?? null,
          done: followUp.followUpDoneAt !== null,
          updatedAt: followUp.updatedAt,
          updatedBy: followUp.updatedByName,
        }
      : null,
    id: booking.id,
    name: booking.attendee.name,
    email: booking.attendee.email,
    phone: booking.attendee.phone,
    organisation: booking.organisation.name,
    legalForm: labels.legalForm(booking.organisation.legalForm),
    postcode: booking.organisation.postcode,
    commune: booking.organisation.commune,
    topics: booking.topics.map(labels.topic),
    message: booking.message,
    isConfirmed: booking.status === 'confirmed',
    waitlistPosition: booking.status === 'waitlisted' ? ('waitlistPosition' in booking ? booking.waitlistPosition : null) : null,
    attendance: booking.attendance,
    attendanceLabel: attendance?.label ?? null,
    attendanceBadge: attendance?.badge ?? null,
    attendanceNote: booking.attendanceNote,
    recordedBy: booking.attendanceRecordedBy?.name ?? null,
    recordedAt: booking.attendanceRecordedAt,
    note: failure ? failure.note : (booking.attendanceNote ?? ''),
    error: failure?.message ?? null,
    noteError: failure?.noteError ?? null,
  };
}
