import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { StaffUser } from '../auth/staff-user';
import { StaffCancelBookingDto } from '../bookings/dto/create-booking.dto';
import { BookingsService } from '../bookings/bookings.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { uuidPipe } from '../common/uuid.pipe';
import { FormBody, formFailure, text, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';
import { instantToLocal } from '../calendar';

type Booking = Awaited<ReturnType<BookingsService['get']>>;

/**
 * Staff cancel a permanence booking for the person (who phoned): from the permanence's page or the
 * agenda, a page with the details and the reason, then `BookingsService.cancel` with the staff's
 * access (an advisor only on their own desk: the service answers 403 for a colleague's).
 */
@Controller('staff')
@Pages()
export class StaffBookingCancelPagesController {
  constructor(
    private readonly views: Views,
    private readonly bookings: BookingsService,
    private readonly clock: Clock,
  ) {}

  /** `?depuis=agenda` to come back to the agenda; the permanence's page otherwise. */
  @Get('rendez-vous/:id/annuler')
  @StaffPage('admin', 'advisor')
  async ask(@Param('id', uuidPipe) id: string, @Query() query: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const booking = await this.slotBooking(id, staff);
    this.send(response, page, booking, fromAgenda(query), { reason: '', reasonError: null, alert: null });
  }

  @Post('rendez-vous/:id/annuler')
  @StaffPage('admin', 'advisor')
  async cancel(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const booking = await this.slotBooking(id, staff);
    const agenda = fromAgenda(body);
    const reason = text(body, 'reason') ?? '';
    if (this.closed(booking)) {
      response.status(409);
      return this.send(response, page, booking, agenda, { reason, reasonError: null, alert: null });
    }
    try {
      const dto = await validated(StaffCancelBookingDto, { reason });
      await this.bookings.cancel(id, { token: null, staff }, dto.reason);
    } catch (error) {
      const failure = formFailure(error, ['validation_failed']);
      response.status(failure.status);
      return this.send(response, page, booking, agenda, {
        reason,
        reasonError: failure.errors.reason ?? failure.alert,
        alert: 'Le rendez-vous n’est pas annulé : indiquez le motif, il est envoyé à la personne.',
      });
    }
    response.redirect(303, `${backUrl(booking, agenda)}${agenda ? '&' : '?'}fait=rendez-vous-annule`);
  }

  /** Read through the service, which refuses an advisor a colleague's booking (403) as the API does. */
  private async slotBooking(id: string, staff: StaffUser): Promise<Booking> {
    const booking = await this.bookings.get(id, { token: null, staff });
    // A workshop registration is cancelled from its workshop's page.
    if (!booking.slotId || !booking.sessionId) throw new DomainError('booking_not_found', 'Ce rendez-vous de permanence n’existe pas.');
    return booking;
  }

  /** Why this booking can no longer be cancelled here, or null; the pages show the button on the same terms. */
  private closed(booking: Booking): string | null {
    if (booking.status === 'cancelled') return 'Ce rendez-vous est déjà annulé.';
    if (new Date(booking.startsAt).getTime() <= this.clock.now().getTime()) return 'Ce rendez-vous a déjà commencé : il ne peut plus être annulé.';
    return null;
  }

  private send(
    response: Response,
    page: PageContext,
    booking: Booking,
    agenda: boolean,
    state: { reason: string; reasonError: string | null; alert: string | null },
  ) {
    this.views.send(
      response,
      'staff/booking-cancel',
      {
        booking: {
          name: booking.attendee.name,
          email: booking.attendee.email,
          phone: booking.attendee.phone,
          organisation: booking.organisation.name,
          date: instantToLocal(new Date(booking.startsAt), booking.timeZone).date,
          startsAt: booking.startsAt,
          endsAt: booking.endsAt,
          timeZone: booking.timeZone,
          location: booking.location,
          advisorName: booking.advisor?.name ?? null,
        },
        closed: this.closed(booking),
        action: `/staff/rendez-vous/${booking.id}/annuler`,
        from: agenda ? 'agenda' : '',
        backUrl: backUrl(booking, agenda),
        backLabel: agenda ? 'Revenir à l’agenda' : 'Revenir à la permanence',
        ...state,
      },
      page,
      { title: `Annuler le rendez-vous de ${booking.attendee.name}`, status: response.statusCode },
    );
  }
}

function fromAgenda(input: FormBody): boolean {
  return text(input, 'depuis') === 'agenda';
}

function backUrl(booking: Booking, agenda: boolean): string {
  if (!agenda) return `/staff/permanences/${booking.sessionId}`;
  return `/staff/agenda?date=${instantToLocal(new Date(booking.startsAt), booking.timeZone).date}`;
}
