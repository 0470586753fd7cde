import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { sendCalendar } from '../ical/calendar-response';
import { OptionalStaff } from '../auth/staff.guard';
import { BookingRateLimit } from '../common/rate-limits';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { bookingOptions } from './booking-options';
import { Access } from './booking-access.decorator';
import { BookingsService } from './bookings.service';
import type { BookingAccess } from './bookings.service';
import { BookingOptionsResponseDto, BookingResponseDto, CreatedBookingResponseDto } from './dto/booking-response.dto';
import { CancelBookingDto, CreateBookingDto, RescheduleBookingDto } from './dto/create-booking.dto';

@ApiTags('bookings')
@Controller('api')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Get('booking-options')
  @ApiOperation({ summary: 'Topics and legal forms accepted by POST /api/bookings, with their French labels' })
  @ApiOkResponse({ type: BookingOptionsResponseDto })
  options() {
    return bookingOptions();
  }

  @Post('bookings')
  @BookingRateLimit()
  @ApiOperation({ summary: 'Book a permanence slot; the response carries the manage token, once' })
  @ApiCreatedResponse({ type: CreatedBookingResponseDto })
  @ApiProblems(400, 404, 409, 413, 422, 429)
  book(@Body() dto: CreateBookingDto) {
    return this.bookings.book(dto);
  }

  @Get('bookings/:id')
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
  @OptionalStaff()
  @ApiQuery({ name: 'token', required: false })
  @ApiOkResponse({ type: BookingResponseDto, description: 'the booking, cancelled' })
  @ApiProblems(400, 401, 403, 404, 422)
  cancel(@Param('id', uuidPipe) id: string, @Access() access: BookingAccess, @Body() dto: CancelBookingDto) {
    return this.bookings.cancel(id, access, dto.reason);
  }

  @Post('bookings/:id/reschedule')
  @HttpCode(200)
  @OptionalStaff()
  @ApiQuery({ name: 'token', required: false })
  @ApiOkResponse({ type: BookingResponseDto, description: 'the booking, on its new slot' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  reschedule(@Param('id', uuidPipe) id: string, @Access() access: BookingAccess, @Body() dto: RescheduleBookingDto) {
    return this.bookings.reschedule(id, access, dto.slotId);
  }
}
