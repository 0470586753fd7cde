import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { sendCalendar } from '../ical/calendar-response';
import { FeedLinkResponseDto } from './dto/feed-link-response.dto';
import { FeedsService } from './feeds.service';

@ApiTags('calendar')
@Controller()
export class FeedsController {
  constructor(private readonly feeds: FeedsService) {}

  @Get('calendar/public.ics')
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: 'Every permanence and workshop, from three months back to the booking horizon; no personal data' })
  @ApiOkResponse({ description: 'iCalendar (RFC 5545)', content: { 'text/calendar': { schema: { type: 'string' } } } })
  async publicFeed(@Req() request: Request, @Res() response: Response) {
    await sendCalendar(request, response, await this.feeds.publicFeed());
  }

  @Get('calendar/advisors/:token.ics')
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: 'One advisor’s desk slots with their bookings, and the workshops (private link)' })
  @ApiOkResponse({ description: 'iCalendar (RFC 5545)', content: { 'text/calendar': { schema: { type: 'string' } } } })
  @ApiProblems(404)
  async advisorFeed(@Param('token') token: string, @Req() request: Request, @Res() response: Response) {
    await sendCalendar(request, response, await this.feeds.advisorFeed(token));
  }

  @Get('api/auth/me/feed')
  @Staff('advisor', 'admin')
  @ApiOperation({ summary: 'The address of your private calendar feed (https and webcal)' })
  @ApiOkResponse({ type: FeedLinkResponseDto })
  feedLink(@CurrentStaff() staff: StaffUser) {
    return this.feeds.feedLink(staff.id, false);
  }

  @Post('api/auth/me/feed/rotate')
  @HttpCode(200)
  @Staff('advisor', 'admin')
  @ApiOperation({ summary: 'A new address for your calendar feed; the old one stops working at once' })
  @ApiOkResponse({ type: FeedLinkResponseDto, description: 'the new address' })
  rotateFeedLink(@CurrentStaff() staff: StaffUser) {
    return this.feeds.feedLink(staff.id, true);
  }
}
