import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthService, LoginResult, toStaffUser } from '../auth/auth.service';
import { CreateUserDto, UpdateUserDto } from '../auth/dto/user.dto';
import { hashPassword } from '../auth/passwords';
import { StaffAccount, UsersService } from './users.service';
import { UsersRepository } from '../auth/users.repository';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { StaffUser } from '../auth/staff-user';
import { JournalService } from '../journal/journal.service';
import { SetupDto } from './dto/accounts.dto';
import { OneTimeTokens, OneTimeTokensRepository } from './one-time-tokens';
import { checkStrength } from './password-strength';

export type ListedAccount = StaffAccount & { invitationPending: boolean };

export const LINK_INVALID = 'Ce lien n’est plus valable : il a déjà servi, a expiré ou n’existe pas.';

/** Staff accounts as the admins run them: first start, invitations, roles and states. */
@Injectable()
export class AccountsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly tokens: OneTimeTokensRepository,
    private readonly tokenCodec: OneTimeTokens,
    private readonly outbox: OutboxRepository,
    private readonly auth: AuthService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly journal: JournalService,
  ) {}

  /**
   * First start: with no account and no ADMIN_EMAIL, one line gives the setup address. Its token is
   * an HMAC of the open setup row's id (only the hash is stored), so every start, on every instance,
   * prints the same address until the first admin exists.
   */
  async onApplicationBootstrap(): Promise<void> {
    const url = await this.setupUrl();
    if (url) this.logger.log(`No staff account yet: create the first admin at ${url}`);
  }

  /** The setup address while no account exists (and none comes from ADMIN_EMAIL), else null. */
  async setupUrl(): Promise<string | null> {
    if (this.config.adminEmail || (await this.users.count()) > 0) return null;
    const id = await this.tokens.openSetup(this.clock.now());
    return `${this.config.publicUrl}/staff/installation?jeton=${this.tokenCodec.tokenOf(id)}`;
  }

  /** Whether a setup token may still create the first admin (for showing its page). */
  async checkSetupToken(token: string): Promise<void> {
    const row = await this.tokens.byToken(token);
    if (!row || row.purpose !== 'setup' || row.usedAt || (await this.users.count()) > 0) throw new DomainError('link_invalid', LINK_INVALID);
  }

  /**
   * The first admin. The users table is locked for the transaction, so two setups (or two instances)
   * cannot both find it empty and each create an admin.
   */
  async setup(token: string, dto: SetupDto): Promise<LoginResult> {
    await this.checkSetupToken(token);
    await checkStrength(dto.password, 'password', [dto.email, dto.name]);
    const passwordHash = await hashPassword(dto.password);
    const user = await this.dataSource.transaction(async (manager) => {
      await manager.query(`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`);
      const row = await this.tokens.byToken(token, manager, true);
      if (!row || row.purpose !== 'setup' || row.usedAt || (await this.users.count(manager)) > 0) throw new DomainError('link_invalid', LINK_INVALID);
      await this.tokens.markUsed(manager, row.id, this.clock.now());
      return this.users.insertWith(manager, { email: dto.email, name: dto.name, role: 'admin', passwordHash });
    });
    this.logger.log('Created the first admin account from the setup page');
    return this.auth.signIn(user);
  }

  async list(): Promise<ListedAccount[]> {
    return (await this.users.listWithPasswordState()).map((user) => ({
      ...toStaffUser(user),
      active: user.active,
      createdAt: user.createdAt.toISOString(),
      invitationPending: !user.passwordSet,
    }));
  }

  /**
   * A new account. Without a password (the pages, and API callers who leave it out) the person gets
   * an invitation to choose their own, valid 72 hours; no admin types or sends someone's password.
   */
  async create(dto: CreateUserDto, actor: StaffUser): Promise<StaffAccount> {
    if (dto.password !== undefined) return this.usersService.create({ ...dto, password: dto.password }, actor);
    const id = await this.dataSource.transaction(async (manager) => {
      const user = await this.users.insertWith(manager, { email: dto.email, name: dto.name, role: dto.role, passwordHash: null });
      const tokenId = await this.tokens.issue(manager, 'invitation', user.id, this.clock.now());
      await this.outbox.record(manager, [{ kind: 'account_invitation', recipient: user.email, payload: { tokenId } }]);
      await this.journal.record(manager, {
        actor,
        action: 'account.created',
        subject: { type: 'user', id: user.id },
        summary: `Compte créé pour ${dto.name} (${dto.role}), invitation envoyée`,
        details: { role: dto.role },
      });
      return user.id;
    });
    return this.usersService.get(id);
  }

  /** A new invitation link (the earlier ones stop working), for an active account without a password yet. */
  async resendInvitation(id: string): Promise<StaffAccount> {
    const account = await this.usersService.get(id);
    await this.dataSource.transaction(async (manager) => {
      if (await this.users.hasPassword(id, manager)) {
        throw new DomainError('conflict', 'Ce compte a déjà choisi son mot de passe : il peut utiliser « Mot de passe oublié » sur la page de connexion.');
      }
      if (!account.active) throw new DomainError('conflict', 'Ce compte est désactivé : réactivez-le avant de renvoyer l’invitation.');
      const now = this.clock.now();
      await this.tokens.closeOpen(manager, id, ['invitation'], now);
      const tokenId = await this.tokens.issue(manager, 'invitation', id, now);
      await this.outbox.record(manager, [{ kind: 'account_invitation', recipient: account.email, payload: { tokenId } }]);
    });
    return account;
  }

  /** A role change or a deactivation revokes the account's sessions and feed at once (UsersService). */
  async update(id: string, dto: UpdateUserDto, by: StaffUser): Promise<StaffAccount> {
    if (id === by.id && (dto.active === false || (dto.role !== undefined && dto.role !== 'admin'))) {
      throw new DomainError('conflict', 'Vous ne pouvez pas retirer votre propre accès d’administration : demandez-le à une autre personne administratrice.');
    }
    return this.usersService.update(id, dto, by);
  }
}
