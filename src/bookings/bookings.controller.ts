import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { sendCalendar } from '../ical/calendar-response';
import { CurrentStaff, OptionalStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { PersonalData } from '../common/no-store';
import { BookingRateLimit } from '../common/rate-limits';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { ListsService } from '../settings/lists.service';
import { Access } from './booking-access.decorator';
import { BookingsService } from './bookings.service';
import type { BookingAccess } from './bookings.service';
import { BookingOptionsResponseDto, BookingResponseDto, CreatedBookingResponseDto } from './dto/booking-response.dto';
import { CancelBookingDto, CreateBookingDto, RescheduleBookingDto, StaffBookingDto } from './dto/create-booking.dto';

@ApiTags('bookings')
@Controller('api')
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly lists: ListsService,
  ) {}

  @Get('booking-options')
  @ApiOperation({ summary: 'Topics and legal forms accepted by POST /api/bookings, with their French labels' })
  @ApiOkResponse({ type: BookingOptionsResponseDto })
  options() {
    return this.lists.offered();
  }

  @Post('bookings')
  @PersonalData()
  @BookingRateLimit()
  @ApiOperation({ summary: 'Book a permanence slot; the response carries the manage token, once (and in the replays of its Idempotency-Key)' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '16 to 255 visible ASCII characters (a UUID), bare or as a quoted string; the same key and body within 24 h answer with the first booking, another body gets 422',
  })
  @ApiCreatedResponse({ type: CreatedBookingResponseDto })
  @ApiProblems(400, 404, 409, 413, 422, 429)
  book(@Body() dto: CreateBookingDto, @Headers('idempotency-key') idempotencyKey?: string) {
    return this.bookings.book(dto, idempotencyKey);
  }

  @Post('staff/bookings')
  @PersonalData()
  @Staff('admin', 'advisor')
  @ApiOperation({
    summary:
      'Book a slot or a workshop seat for someone who phoned or came in: the same engine and e-mails as POST /api/bookings, the consent recorded as given orally to the signed-in staff member; an advisor on their own desk’s slots and on workshops, an admin anywhere',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'as for POST /api/bookings' })
  @ApiCreatedResponse({ type: CreatedBookingResponseDto })
  @ApiProblems(400, 404, 409, 413, 422)
  bookFor(@Body() dto: StaffBookingDto, @CurrentStaff() staff: StaffUser, @Headers('idempotency-key') idempotencyKey?: string) {
    return this.bookings.bookFor(dto, staff, idempotencyKey);
  }

  @Get('bookings/:id')
  @PersonalData()
  @OptionalStaff()
  @ApiQuery({ name: 'token', required: false, description: 'manage token (or Authorization: Bearer <token>)' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', uuidPipe) id: string, @Access() access: BookingAccess) {
    return this.bookings.get(id, access);
  }

  @Get('bookings/:id/invite.ics')
  @OptionalStaff()
  @ApiProduces('text/calendar')
  @ApiQuery({ name: 'token', required: false })
  @ApiOperation({ summary: 'The booking’s calendar file, consistent with its invites' })
  @ApiOkResponse({ description: 'iCalendar (RFC 5545)', content: { 'text/calendar': { schema: { type: 'string' } } } })
  @ApiProblems(400, 401, 403, 404)
  async calendarFile(@Param('id', uuidPipe) id: string, @Access() access: BookingAccess, @Req() request: Request, @Res() response: Response) {
    await sendCalendar(request, response, await this.bookings.calendarFile(id, access));
  }

  @Post('bookings/:id/cancel')
  @HttpCode(200)
  @PersonalData()
  @OptionalStaff()
  @ApiQuery({ name: 'token', required: false })
  @ApiOkResponse({ type: BookingResponseDto, description: 'the booking, cancelled' })
  @ApiProblems(400, 401, 403, 404, 422)
  cancel(@Param('id', uuidPipe) id: string, @Access() access: BookingAccess, @Body() dto: CancelBookingDto) {
    return this.bookings.cancel(id, access, dto.reason);
  }

  @Post('bookings/:id/reschedule')
  @HttpCode(200)
  @PersonalData()
  @OptionalStaff()
  @ApiQuery({ name: 'token', required: false })
  @ApiOkResponse({ type: BookingResponseDto, description: 'the booking, on its new slot' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  reschedule(@Param('id', uuidPipe) id: string, @Access() access: BookingAccess, @Body() dto: RescheduleBookingDto) {
    return this.bookings.reschedule(id, access, dto.slotId);
  }
}
