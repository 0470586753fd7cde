import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../common/domain-error';
import { PersonalData } from '../common/no-store';
import { describeCode } from '../common/problem.filter';
import { uuidPipe } from '../common/uuid.pipe';
import { SatisfactionAnswerDto, SatisfactionOptOutDto } from '../satisfaction/dto/satisfaction.dto';
import { SATISFACTION_SCORES } from '../satisfaction/satisfaction-links';
import { COMMENT_MAX, SatisfactionService, SatisfactionView } from '../satisfaction/satisfaction.service';
import { formFailure, FormBody, text, toInteger, validated } from './forms';
import { Page, Pages } from './page.guard';
import { PageContext, Views } from './views';

/**
 * The satisfaction e-mail's links (`jeton`): a GET only shows a form, whose POST records the answer,
 * so a mail scanner that opens links records nothing. Each answer uses its link up; the page after it
 * carries the next one (to add a comment or change the answer, for 30 days after the event).
 */
@Controller('avis')
@Pages()
export class SatisfactionPagesController {
  constructor(
    private readonly views: Views,
    private readonly satisfaction: SatisfactionService,
  ) {}

  @Get(':id')
  @PersonalData()
  async show(@Param('id', uuidPipe) id: string, @Query() query: Record<string, unknown>, @Page() page: PageContext, @Res() response: Response) {
    const token = typeof query.jeton === 'string' ? query.jeton : '';
    const view = await this.refusalPage(response, page, () => this.satisfaction.view(id, token));
    if (!view) return;
    const chosen = typeof query.note === 'string' ? Number(query.note) : NaN;
    const done = query.fait === '1' ? 'Merci : votre réponse est enregistrée.' : null;
    this.sendForm(response, { ...page, flash: done }, view, { score: view.answer?.score ?? (Number.isInteger(chosen) ? chosen : null) }, {});
  }

  @Post(':id')
  @PersonalData()
  async answer(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const token = text(body, 'jeton') ?? '';
    const note = text(body, 'note');
    const comment = text(body, 'commentaire');
    let next: SatisfactionView;
    try {
      const dto = await validated(SatisfactionAnswerDto, { token, score: note === undefined ? undefined : toInteger(note), comment });
      next = await this.satisfaction.answer(id, dto.token, dto.score, dto.comment);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'validation_failed') {
        const failure = formFailure(error, ['validation_failed']);
        const view = await this.refusalPage(response, page, () => this.satisfaction.view(id, token));
        if (!view) return;
        const errors = { note: failure.errors.score, commentaire: failure.errors.comment };
        const values = { score: note ? Number(note) : null, comment: comment ?? view.answer?.comment ?? '' };
        return this.sendForm(response, { ...page, flash: null }, view, values, errors, failure.status, failure.alert);
      }
      return this.sendRefusal(response, page, error);
    }
    response.redirect(303, `/avis/${id}?jeton=${encodeURIComponent(next.token)}&fait=1`);
  }

  @Get(':id/ne-plus-recevoir')
  @PersonalData()
  async optOutForm(@Param('id', uuidPipe) id: string, @Query() query: Record<string, unknown>, @Page() page: PageContext, @Res() response: Response) {
    const token = typeof query.jeton === 'string' ? query.jeton : '';
    const state = await this.refusalPage(response, page, () => this.satisfaction.optOutView(id, token));
    if (!state) return;
    this.views.send(response, 'satisfaction-opt-out', { id, token, done: state.optedOutAt !== null }, page, { title: 'Ne plus recevoir de questionnaire' });
  }

  @Post(':id/ne-plus-recevoir')
  @PersonalData()
  async optOut(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const token = text(body, 'jeton') ?? '';
    const done = await this.refusalPage(response, page, async () => this.satisfaction.optOut(id, (await validated(SatisfactionOptOutDto, { token })).token));
    if (!done) return;
    this.views.send(response, 'satisfaction-opt-out', { id, token, done: true, fresh: true }, page, { title: 'Ne plus recevoir de questionnaire' });
  }

  private sendForm(
    response: Response,
    page: PageContext,
    view: SatisfactionView,
    values: { score: number | null; comment?: string },
    errors: Record<string, string | undefined>,
    status = 200,
    alert: string | null = null,
  ) {
    const answered = view.answer !== null;
    this.views.send(
      response,
      'satisfaction',
      {
        view,
        answered,
        isWorkshop: view.event.type === 'workshop',
        question: view.event.type === 'workshop' ? 'Cet atelier vous a-t-il été utile ?' : 'Ce rendez-vous vous a-t-il été utile ?',
        choices: SATISFACTION_SCORES.map(({ score, label }) => ({ score, label, checked: score === values.score })),
        comment: values.comment ?? view.answer?.comment ?? '',
        commentMax: COMMENT_MAX,
        alert,
        errors: Object.fromEntries(Object.entries(errors).filter(([, message]) => message !== undefined)),
      },
      page,
      { title: answered ? 'Votre avis' : 'Votre avis en un clic', status },
    );
  }

  /** The work's result, or null once a refused link's page was sent (used, forged, closed). */
  private async refusalPage<T>(response: Response, page: PageContext, work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (error) {
      this.sendRefusal(response, page, error);
      return null;
    }
  }

  private sendRefusal(response: Response, page: PageContext, error: unknown): void {
    if (!(error instanceof DomainError) || !['link_invalid', 'satisfaction_closed', 'validation_failed'].includes(error.code)) throw error;
    const closed = error.code === 'satisfaction_closed';
    const status = error.code === 'validation_failed' ? 410 : describeCode(error.code).status;
    const detail =
      error.code === 'validation_failed'
        ? 'Ce lien n’est pas valable : il a peut-être été mal recopié. Utilisez le lien de l’e-mail que vous avez reçu, tel quel.'
        : error.detail;
    this.views.send(response, 'satisfaction-link', { closed, detail }, page, { title: closed ? 'Questionnaire clos' : 'Ce lien n’est pas valable', status });
  }
}
