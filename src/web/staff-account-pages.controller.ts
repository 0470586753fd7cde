import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AccountsService } from '../accounts/accounts.service';
import { ChangePasswordDto, PasswordResetConfirmDto, PasswordResetRequestDto, SetupDto } from '../accounts/dto/accounts.dto';
import { RESET_ANSWER } from '../accounts/passwords.controller';
import { PasswordsService } from '../accounts/passwords.service';
import { CreateUserDto, UpdateUserDto } from '../auth/dto/user.dto';
import type { StaffUser } from '../auth/staff-user';
import { ROLES, type Role } from '../auth/user.entity';
import { DomainError } from '../common/domain-error';
import { PasswordResetRateLimit } from '../common/rate-limits';
import { uuidPipe } from '../common/uuid.pipe';
import { Confirmation, confirmed, FormBody, formFailure, text, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';
import { WebSession } from './web-session';

const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administration',
  advisor: 'Conseil',
  viewer: 'Consultation (métropole)',
};

const DONE: Record<string, string> = {
  bienvenue: 'Bienvenue : votre compte d’administration est créé et vous êtes connecté·e. Invitez maintenant le reste de l’équipe.',
  invite: 'Compte créé : la personne reçoit un e-mail pour choisir son mot de passe (lien valable 72 heures).',
  invitation: 'Invitation renvoyée : le lien précédent ne fonctionne plus, le nouveau est valable 72 heures.',
  role: 'Rôle modifié : la personne devra se reconnecter.',
  desactive: 'Compte désactivé : ses sessions et son calendrier abonné cessent de fonctionner dès maintenant.',
  reactive: 'Compte réactivé : la personne peut de nouveau se connecter.',
};

/** First start, the admins' accounts page, one's own password, and the one-time links of the e-mails. */
@Controller('staff')
@Pages()
export class StaffAccountPagesController {
  constructor(
    private readonly views: Views,
    private readonly accounts: AccountsService,
    private readonly passwords: PasswordsService,
    private readonly session: WebSession,
  ) {}

  @Get('installation')
  async setupForm(@Query('jeton') token: unknown, @Page() page: PageContext, @Res() response: Response) {
    const jeton = typeof token === 'string' ? token : '';
    const open = await this.linkOpen(async () => (await this.accounts.checkSetupToken(jeton), true), page, response);
    if (!open) return;
    this.sendSetup(response, page, { jeton, values: {}, errors: {}, alert: null });
  }

  @Post('installation')
  async setup(@Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const jeton = text(body, 'jeton') ?? '';
    const values = { name: text(body, 'name') ?? '', email: (text(body, 'email') ?? '').trim() };
    try {
      const dto = await validated(SetupDto, { ...values, password: text(body, 'password') });
      const result = await this.accounts.setup(jeton, dto);
      this.session.startSession(response, result.accessToken);
      response.redirect(303, '/staff/comptes?fait=bienvenue');
    } catch (error) {
      if (error instanceof DomainError && error.code === 'link_invalid') return this.sendLinkInvalid(response, page, error);
      const failure = formFailure(error, ['validation_failed', 'email_taken']);
      this.sendSetup(response, page, { jeton, values, errors: failure.errors, alert: failure.alert }, failure.status);
    }
  }

  @Get('comptes')
  @StaffPage('admin')
  async list(@Query('fait') done: unknown, @Page() page: PageContext, @Res() response: Response) {
    const flash = typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : null;
    await this.sendList(response, { ...page, flash }, { values: {}, errors: {}, alert: null });
  }

  @Post('comptes')
  @StaffPage('admin')
  async create(@Body() body: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const values = { name: text(body, 'name') ?? '', email: (text(body, 'email') ?? '').trim(), role: text(body, 'role') ?? '' };
    try {
      // No password field: the person chooses theirs from the invitation.
      await this.accounts.create(await validated(CreateUserDto, values), staff);
      response.redirect(303, '/staff/comptes?fait=invite');
    } catch (error) {
      const failure = formFailure(error, ['validation_failed', 'email_taken']);
      const errors = failure.code === 'email_taken' ? { email: failure.alert } : failure.errors;
      await this.sendList(response, page, { values, errors, alert: failure.alert }, failure.status);
    }
  }

  @Post('comptes/:id/role')
  @StaffPage('admin')
  async changeRole(
    @Param('id', uuidPipe) id: string,
    @Body() body: FormBody,
    @PageStaff() staff: StaffUser,
    @Page() page: PageContext,
    @Res() response: Response,
  ) {
    await this.act(response, page, 'role', async () => this.accounts.update(id, await validated(UpdateUserDto, { role: text(body, 'role') ?? '' }), staff));
  }

  @Post('comptes/:id/desactiver')
  @StaffPage('admin')
  async deactivate(
    @Param('id', uuidPipe) id: string,
    @Body() body: FormBody,
    @PageStaff() staff: StaffUser,
    @Page() page: PageContext,
    @Res() response: Response,
  ) {
    if (!confirmed(body)) {
      // Signing someone out at once deserves a second look: the page says whose account and what stops.
      const account = (await this.accounts.list()).find((candidate) => candidate.id === id && candidate.active);
      if (account && account.id !== staff.id) {
        return this.views.send(response, 'confirm', deactivateConfirmation(account), page, { title: `Désactiver le compte de ${account.name}` });
      }
    }
    await this.act(response, page, 'desactive', () => this.accounts.update(id, { active: false }, staff));
  }

  @Post('comptes/:id/reactiver')
  @StaffPage('admin')
  async reactivate(@Param('id', uuidPipe) id: string, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    await this.act(response, page, 'reactive', () => this.accounts.update(id, { active: true }, staff));
  }

  @Post('comptes/:id/invitation')
  @StaffPage('admin')
  async resend(@Param('id', uuidPipe) id: string, @Page() page: PageContext, @Res() response: Response) {
    await this.act(response, page, 'invitation', () => this.accounts.resendInvitation(id));
  }

  @Get('mot-de-passe')
  @StaffPage()
  changeForm(@Query('fait') done: unknown, @Page() page: PageContext, @Res() response: Response) {
    const flash = done === '1' ? 'Mot de passe changé. Vos autres sessions (autres appareils, autres navigateurs) sont déconnectées.' : null;
    this.views.send(response, 'staff/password', { errors: {}, alert: null }, { ...page, flash }, { title: 'Changer mon mot de passe' });
  }

  @Post('mot-de-passe')
  @StaffPage()
  async change(@Body() body: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    try {
      const dto = await validated(ChangePasswordDto, { currentPassword: text(body, 'currentPassword'), newPassword: text(body, 'newPassword') });
      const result = await this.passwords.change(staff, dto.currentPassword, dto.newPassword);
      this.session.startSession(response, result.accessToken);
      response.redirect(303, '/staff/mot-de-passe?fait=1');
    } catch (error) {
      const failure = formFailure(error, ['validation_failed']);
      this.views.send(response, 'staff/password', { errors: failure.errors, alert: failure.alert }, page, {
        title: 'Changer mon mot de passe',
        status: failure.status,
      });
    }
  }

  @Get('mot-de-passe-oublie')
  forgottenForm(@Page() page: PageContext, @Res() response: Response) {
    this.views.send(response, 'staff/password-forgotten', { values: {}, errors: {}, alert: null, sent: false }, page, { title: 'Mot de passe oublié' });
  }

  @Post('mot-de-passe-oublie')
  @PasswordResetRateLimit()
  async forgotten(@Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const values = { email: (text(body, 'email') ?? '').trim() };
    try {
      const dto = await validated(PasswordResetRequestDto, values);
      await this.passwords.requestReset(dto.email);
      this.views.send(response, 'staff/password-forgotten', { values, errors: {}, alert: null, sent: RESET_ANSWER }, page, { title: 'Mot de passe oublié' });
    } catch (error) {
      const failure = formFailure(error, ['validation_failed']);
      this.views.send(response, 'staff/password-forgotten', { values, errors: failure.errors, alert: failure.alert, sent: false }, page, {
        title: 'Mot de passe oublié',
        status: failure.status,
      });
    }
  }

  @Get('nouveau-mot-de-passe')
  async chooseForm(@Query('jeton') token: unknown, @Page() page: PageContext, @Res() response: Response) {
    const jeton = typeof token === 'string' ? token : '';
    const holder = await this.linkOpen(() => this.passwords.holder(jeton), page, response);
    if (holder) this.sendChoose(response, page, { jeton, holder, errors: {}, alert: null });
  }

  @Post('nouveau-mot-de-passe')
  async choose(@Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const jeton = text(body, 'jeton') ?? '';
    const holder = await this.linkOpen(() => this.passwords.holder(jeton), page, response);
    if (!holder) return;
    try {
      const dto = await validated(PasswordResetConfirmDto, { token: jeton, password: text(body, 'password') });
      const result = await this.passwords.choose(dto.token, dto.password);
      this.session.startSession(response, result.accessToken);
      response.redirect(303, result.user.role === 'viewer' ? '/staff/rapports' : '/staff/agenda');
    } catch (error) {
      if (error instanceof DomainError && error.code === 'link_invalid') return this.sendLinkInvalid(response, page, error);
      const failure = formFailure(error, ['validation_failed']);
      this.sendChoose(response, page, { jeton, holder, errors: failure.errors, alert: failure.alert }, failure.status);
    }
  }

  /** The link's holder, or the page saying the link no longer works (and null). */
  private async linkOpen<T>(check: () => Promise<T>, page: PageContext, response: Response): Promise<T | null> {
    try {
      return await check();
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'link_invalid') throw error;
      this.sendLinkInvalid(response, page, error);
      return null;
    }
  }

  private sendLinkInvalid(response: Response, page: PageContext, error: DomainError): void {
    this.views.send(response, 'staff/link-invalid', { detail: error.detail }, page, { title: 'Lien plus valable', status: 410 });
  }

  private sendSetup(response: Response, page: PageContext, model: object, status = 200): void {
    this.views.send(response, 'staff/setup', model, page, { title: 'Première installation', status });
  }

  private sendChoose(
    response: Response,
    page: PageContext,
    model: { jeton: string; holder: { purpose: string }; errors: object; alert: string | null },
    status = 200,
  ): void {
    const invitation = model.holder.purpose === 'invitation';
    this.views.send(response, 'staff/password-choose', { ...model, invitation }, page, {
      title: invitation ? 'Activer mon compte' : 'Choisir un nouveau mot de passe',
      status,
    });
  }

  private async sendList(response: Response, page: PageContext, model: { values: object; errors: object; alert: string | null }, status = 200): Promise<void> {
    const me = page.staff?.id;
    const accounts = (await this.accounts.list()).map((account) => ({
      ...account,
      roleLabel: ROLE_LABELS[account.role],
      isMe: account.id === me,
      roles: ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role], selected: role === account.role })),
    }));
    const roles = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
    this.views.send(response, 'staff/accounts', { ...model, accounts, roles }, page, { title: 'Comptes de l’équipe', status });
  }

  /** An action on one account: back to the list with what was done, or the list with why not. */
  private async act(response: Response, page: PageContext, done: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      response.redirect(303, `/staff/comptes?fait=${done}`);
    } catch (error) {
      const failure = formFailure(error, ['validation_failed', 'conflict', 'user_not_found']);
      await this.sendList(
        response,
        page,
        { values: {}, errors: {}, alert: failure.code === 'validation_failed' ? (Object.values(failure.errors)[0] ?? failure.alert) : failure.alert },
        failure.status,
      );
    }
  }
}

function deactivateConfirmation(account: { id: string; name: string; email: string; role: Role }): Confirmation {
  return {
    heading: `Désactiver le compte de ${account.name} ?`,
    details: [
      { label: 'Adresse e-mail', value: account.email },
      { label: 'Rôle', value: ROLE_LABELS[account.role] },
    ],
    warning:
      'La personne est déconnectée tout de suite et ne peut plus se connecter ; son calendrier personnel (flux iCal) cesse de fonctionner. Rien de ce qu’elle a enregistré n’est effacé, et vous pourrez réactiver le compte.',
    action: `/staff/comptes/${account.id}/desactiver`,
    fields: [],
    confirmLabel: 'Oui, désactiver le compte',
    backUrl: '/staff/comptes',
    backLabel: 'Non, revenir aux comptes',
  };
}
