import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { StaffUser } from '../auth/staff-user';
import { DomainError } from '../common/domain-error';
import { CreateListEntryDto, UpdateListEntryDto } from '../settings/dto/list-entry.dto';
import { LIST_KINDS, ListKind } from '../settings/lists.repository';
import { ListsService } from '../settings/lists.service';
import { formFailure, FormBody, text, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

const TITLES: Record<ListKind, { title: string; hint: string; addLabel: string }> = {
  topics: {
    title: 'Sujets proposés à la réservation',
    hint: 'Les sujets qu’une structure peut cocher en réservant un créneau de permanence.',
    addLabel: 'Nouveau sujet',
  },
  'legal-forms': {
    title: 'Formes juridiques',
    hint: 'Les formes juridiques proposées dans le formulaire de réservation et dans le répertoire des structures.',
    addLabel: 'Nouvelle forme juridique',
  },
  orientations: {
    title: 'Orientations',
    hint: 'Les dispositifs vers lesquels un conseiller oriente une structure après un rendez-vous de permanence.',
    addLabel: 'Nouvelle orientation',
  },
};

/** `?fait=` after a Post/Redirect/Get: a fixed message, never text from the address. */
const DONE: Record<string, string> = {
  ajoute: 'C’est fait : l’entrée est ajoutée à la fin de la liste et proposée dès maintenant.',
  renomme: 'C’est fait : le nouveau libellé apparaît partout, y compris sur les réservations déjà faites.',
  deplace: 'C’est fait : l’ordre de la liste est enregistré.',
  archive: 'C’est fait : l’entrée n’est plus proposée. Les réservations qui l’ont choisie et les rapports gardent son libellé.',
  propose: 'C’est fait : l’entrée est de nouveau proposée, en fin de liste.',
};

/** What each button of an entry asks the service, and the message after it. */
const ACTIONS = ['renommer', 'monter', 'descendre', 'archiver', 'proposer'] as const;
type Action = (typeof ACTIONS)[number];

interface Failure {
  kind: ListKind;
  /** null: the form adding an entry. */
  code: string | null;
  label: string;
  error: string;
  status: number;
}

/** The admin's editable lists: add, rename, reorder, archive — what the API's /api/lists does. */
@Controller('staff')
@Pages()
export class StaffListPagesController {
  constructor(
    private readonly views: Views,
    private readonly lists: ListsService,
  ) {}

  @Get('listes')
  @StaffPage('admin')
  async show(@Query('fait') done: unknown, @Page() page: PageContext, @Res() response: Response) {
    const flash = typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : null;
    await this.sendPage(response, { ...page, flash }, null);
  }

  @Post('listes/:kind')
  @StaffPage('admin')
  async add(@Param('kind') kind: string, @Body() body: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const list = listKind(kind);
    const label = text(body, 'label') ?? '';
    try {
      await this.lists.add(list, await validated(CreateListEntryDto, { label }), staff);
    } catch (error) {
      return this.refused(response, page, error, { kind: list, code: null, label });
    }
    response.redirect(303, `/staff/listes?fait=ajoute#liste-${list}`);
  }

  @Post('listes/:kind/:code')
  @StaffPage('admin')
  async change(
    @Param('kind') kind: string,
    @Param('code') code: string,
    @Body() body: FormBody,
    @PageStaff() staff: StaffUser,
    @Page() page: PageContext,
    @Res() response: Response,
  ) {
    const list = listKind(kind);
    const action = text(body, 'action') as Action;
    if (!ACTIONS.includes(action)) throw new DomainError('validation_failed', 'Action inconnue.');
    const label = text(body, 'label') ?? '';
    const position = Number(text(body, 'position'));
    try {
      const change =
        action === 'renommer'
          ? { label }
          : action === 'archiver'
            ? { archived: true }
            : action === 'proposer'
              ? { archived: false }
              : { position: action === 'monter' ? Math.max(1, position - 1) : position + 1 };
      await this.lists.update(list, code, await validated(UpdateListEntryDto, change), staff);
    } catch (error) {
      return this.refused(response, page, error, { kind: list, code, label });
    }
    const done = { renommer: 'renomme', monter: 'deplace', descendre: 'deplace', archiver: 'archive', proposer: 'propose' }[action];
    response.redirect(303, `/staff/listes?fait=${done}#entree-${list}-${code}`);
  }

  private async refused(response: Response, page: PageContext, error: unknown, where: Omit<Failure, 'error' | 'status'>) {
    const failure = formFailure(error, ['validation_failed']);
    const message = failure.errors.label ?? failure.errors.position ?? failure.errors.code ?? failure.alert;
    response.status(failure.status);
    await this.sendPage(response, page, { ...where, error: message, status: failure.status });
  }

  private async sendPage(response: Response, page: PageContext, failure: Failure | null) {
    const lists = await Promise.all(
      LIST_KINDS.map(async (kind) => {
        const entries = await this.lists.all(kind);
        const offered = entries.filter((entry) => !entry.archived);
        const own = failure?.kind === kind ? failure : null;
        return {
          kind,
          ...TITLES[kind],
          offered: offered.map((entry, index) => ({
            ...entry,
            kind,
            first: index === 0,
            last: index === offered.length - 1,
            value: own?.code === entry.code ? own.label : entry.label,
            error: own?.code === entry.code ? own.error : null,
          })),
          archived: entries.filter((entry) => entry.archived).map((entry) => ({ ...entry, kind })),
          addValue: own && own.code === null ? own.label : '',
          addError: own && own.code === null ? own.error : null,
        };
      }),
    );
    const alert = failure
      ? {
          message: 'Certains champs sont à corriger : voyez le message sous le champ.',
          href: failure.code === null ? `#f-${failure.kind}-new` : `#f-${failure.kind}-${failure.code}`,
        }
      : null;
    this.views.send(response, 'staff/lists', { lists, alert }, page, { title: 'Listes', status: response.statusCode });
  }
}

function listKind(kind: string): ListKind {
  if (!(LIST_KINDS as readonly string[]).includes(kind)) throw new DomainError('not_found', 'Cette liste n’existe pas.');
  return kind as ListKind;
}
