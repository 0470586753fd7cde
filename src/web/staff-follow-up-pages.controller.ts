import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { UsersService } from '../accounts/users.service';
import type { StaffUser } from '../auth/staff-user';
import { instantToLocal } from '../calendar';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { uuidPipe } from '../common/uuid.pipe';
import { FollowUpDoneDto, FollowUpDto } from '../follow-ups/dto/follow-up.dto';
import { FollowUp, FollowUpsService } from '../follow-ups/follow-ups.service';
import { FormBody, formFailure, list, text, toLocalDate, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

type Editing = Awaited<ReturnType<FollowUpsService['forEditing']>>;

/** The form's fields, named as FollowUpDto's. */
interface Values {
  note: string;
  orientations: string[];
  followUpOn: string;
  followUpAdvisorId: string;
}

/** Where the page goes back to: the agenda of the appointment's day, or the organisation's page. */
type From = 'agenda' | 'structure';

/**
 * The follow-up of an attended permanence appointment, from the agenda or the organisation's page:
 * a page with the form (note, orientations, a follow-up to do), saved by FollowUpsService.save as the
 * API's PUT; and « Marquer comme fait » for a follow-up to do, from the agenda.
 */
@Controller('staff')
@Pages()
export class StaffFollowUpPagesController {
  constructor(
    private readonly views: Views,
    private readonly followUps: FollowUpsService,
    private readonly users: UsersService,
  ) {}

  /** `?depuis=agenda|structure` says where to go back to. */
  @Get('rendez-vous/:id/suivi')
  @StaffPage('advisor', 'admin')
  async form(@Param('id', uuidPipe) id: string, @Query() query: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const editing = await this.followUps.forEditing(id, staff);
    await this.send(response, page, staff, editing, from(query), { values: valuesOf(editing.followUp, staff), errors: {}, alert: null });
  }

  @Post('rendez-vous/:id/suivi')
  @StaffPage('advisor', 'admin')
  async save(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const back = from(body);
    const values: Values = {
      note: text(body, 'note') ?? '',
      orientations: list(body, 'orientations'),
      followUpOn: text(body, 'followUpOn') ?? '',
      followUpAdvisorId: text(body, 'followUpAdvisorId') ?? '',
    };
    // Without a date, the advisor's choice means nothing: the form sends it anyway (a select always has a value).
    const dated = values.followUpOn.trim() !== '';
    try {
      const dto = await validated(FollowUpDto, {
        note: values.note,
        orientations: values.orientations,
        followUpOn: dated ? toLocalDate(values.followUpOn) : null,
        followUpAdvisorId: dated ? values.followUpAdvisorId : null,
      });
      await this.followUps.save(id, staff, dto);
    } catch (error) {
      // Only field errors come back to the form; another desk's or a no-longer-attended booking gets the error page.
      const failure = formFailure(error, ['validation_failed']);
      response.status(failure.status);
      const editing = await this.followUps.forEditing(id, staff);
      return this.send(response, page, staff, editing, back, {
        values,
        errors: failure.errors,
        alert: 'Le suivi n’est pas enregistré : voyez les messages sous les champs à revoir.',
      });
    }
    const editing = await this.followUps.forEditing(id, staff);
    response.redirect(303, `${backUrl(editing, back)}${back === 'agenda' ? '&' : '?'}fait=suivi#reservation-${id}`);
  }

  /** « Marquer comme fait » / « À refaire » on the agenda's list of follow-ups to do. */
  @Post('agenda/relances/:id')
  @StaffPage('advisor', 'admin')
  async done(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const dto = await validated(FollowUpDoneDto, { done: text(body, 'done') === 'oui' });
    const followUp = await this.followUps.setDone(id, staff, dto.done);
    const params = new URLSearchParams({
      date: toLocalDate(text(body, 'date') ?? '') || followUp.followUpOn!,
      ...(text(body, 'conseiller') ? { conseiller: text(body, 'conseiller')! } : {}),
      fait: dto.done ? 'relance-faite' : 'relance-a-faire',
    });
    response.redirect(303, `/staff/agenda?${params}#relances`);
  }

  private async send(
    response: Response,
    page: PageContext,
    staff: StaffUser,
    editing: Editing,
    back: From,
    state: { values: Values; errors: Record<string, string>; alert: string | null },
  ) {
    const { booking, followUp } = editing;
    // Offered orientations, and the archived ones this follow-up already has (kept when saved again).
    const orientations: Array<{ code: string; label: string; archived?: boolean }> = await this.followUps.offeredOrientations();
    for (const given of followUp?.orientations ?? [])
      if (!orientations.some((entry) => entry.code === given.code)) orientations.push({ ...given, archived: true });
    const team = (await this.users.list())
      .filter((user) => user.active && user.role !== 'viewer')
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
      .map((user) => ({ id: user.id, name: user.id === staff.id ? `${user.name} (vous)` : user.name }));
    // A follow-up to do kept for someone no longer in the list (deactivated) stays chosen.
    if (followUp?.followUpAdvisor && !team.some((user) => user.id === followUp.followUpAdvisor!.id))
      team.push({ id: followUp.followUpAdvisor.id, name: followUp.followUpAdvisor.name ?? 'Compte supprimé' });
    this.views.send(
      response,
      'staff/follow-up',
      {
        booking: {
          id: booking.id,
          name: booking.attendeeName,
          organisation: booking.organisationName,
          startsAt: new Date(booking.startsAt).toISOString(),
          timeZone: PROGRAMME_TIME_ZONE,
        },
        followUp,
        orientations,
        team,
        values: state.values,
        errors: state.errors,
        alert: state.alert,
        action: `/staff/rendez-vous/${booking.id}/suivi`,
        from: back,
        backUrl: backUrl(editing, back),
        backLabel: back === 'agenda' ? 'Revenir à l’agenda' : 'Revenir à la fiche de la structure',
      },
      page,
      { title: `Suivi du rendez-vous de ${booking.attendeeName}`, status: response.statusCode },
    );
  }
}

function from(input: FormBody): From {
  return text(input, 'depuis') === 'structure' ? 'structure' : 'agenda';
}

function backUrl({ booking }: Editing, back: From): string {
  if (back === 'structure' && booking.organisationId) return `/staff/organisations/${booking.organisationId}`;
  return `/staff/agenda?date=${instantToLocal(new Date(booking.startsAt), PROGRAMME_TIME_ZONE).date}`;
}

function valuesOf(followUp: FollowUp | null, staff: StaffUser): Values {
  return {
    note: followUp?.note ?? '',
    orientations: followUp?.orientations.map((entry) => entry.code) ?? [],
    followUpOn: followUp?.followUpOn ?? '',
    followUpAdvisorId: followUp?.followUpAdvisor?.id ?? staff.id,
  };
}
