import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { uuidPipe } from '../common/uuid.pipe';
import { RegistrantsService } from '../registrants/registrants.service';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { frenchLocalDate, PageContext, Views } from './views';

/** After a booking was cancelled for the person (`?fait=rendez-vous-annule`). */
export const BOOKING_CANCELLED = 'Rendez-vous annulé ; la personne est prévenue par e-mail.';

/** A permanence's page: its slots and bookings (an advisor's: their desk), its sign-in sheet, booking a free slot for someone. */
@Controller('staff')
@Pages()
export class StaffSessionBookingsPagesController {
  constructor(
    private readonly views: Views,
    private readonly registrants: RegistrantsService,
    private readonly clock: Clock,
  ) {}

  @Get('permanences/:id')
  @StaffPage('admin', 'advisor')
  async show(
    @Param('id', uuidPipe) id: string,
    @Query('fait') done: unknown,
    @PageStaff() staff: StaffUser,
    @Page() page: PageContext,
    @Res() response: Response,
  ) {
    const { session, date, slots } = await this.registrants.sessionBookings(id, staff);
    const now = this.clock.now().getTime();
    const open = session.status === 'scheduled';
    this.views.send(
      response,
      'staff/session',
      {
        session: { ...session, date, cancelled: !open },
        isAdmin: staff.role === 'admin',
        booked: slots.filter((slot) => slot.bookingId).length,
        slots: slots.map((slot) => {
          const upcoming = open && slot.startsAt.getTime() > now;
          // The cancel page refuses a started booking on the same terms (staff-booking-cancel-pages.controller.ts).
          return { ...slot, canBook: upcoming && !slot.bookingId, canCancel: upcoming && Boolean(slot.bookingId) };
        }),
      },
      { ...page, flash: done === 'rendez-vous-annule' ? BOOKING_CANCELLED : (page.flash ?? null) },
      { title: `Permanence du ${frenchLocalDate(date)}` },
    );
  }
}
