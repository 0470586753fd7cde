import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { JournalService } from '../journal/journal.service';
import { toStaffUser } from '../auth/auth.service';
import { CreateUserDto, UpdateUserDto } from '../auth/dto/user.dto';
import { hashPassword } from '../auth/passwords';
import { StaffUser } from '../auth/staff-user';
import { UsersRepository } from '../auth/users.repository';

export type StaffAccount = StaffUser & { active: boolean; createdAt: string };

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly journal: JournalService,
  ) {}

  /** An account with a password set by the API caller (AccountsService.create invites when there is none). */
  async create(dto: CreateUserDto & { password: string }, actor: StaffUser): Promise<StaffAccount> {
    const passwordHash = await hashPassword(dto.password);
    const user = await this.dataSource.transaction(async (manager) => {
      const created = await this.users.insert({ email: dto.email, name: dto.name, role: dto.role, passwordHash }, manager);
      await this.journal.record(manager, {
        actor,
        action: 'account.created',
        subject: { type: 'user', id: created.id },
        summary: `Compte créé pour ${dto.name} (${dto.role})`,
        details: { role: dto.role },
      });
      return created;
    });
    return this.get(user.id);
  }

  async list(): Promise<StaffAccount[]> {
    return (await this.users.list()).map((user) => ({ ...toStaffUser(user), active: user.active, createdAt: user.createdAt.toISOString() }));
  }

  async get(id: string): Promise<StaffAccount> {
    const user = await this.users.byId(id);
    if (!user) throw new DomainError('user_not_found', 'Aucun compte ne porte cet identifiant.');
    return { ...toStaffUser(user), active: user.active, createdAt: user.createdAt.toISOString() };
  }

  /** A deactivation, role change or new password revokes every token the account holds. */
  async update(id: string, dto: UpdateUserDto, actor: StaffUser): Promise<StaffAccount> {
    const before = await this.get(id);
    const revoke = dto.active === false || dto.role !== undefined || dto.password !== undefined;
    const changes = {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(dto.role !== undefined ? { role: dto.role } : {}),
      ...(dto.active !== undefined ? { active: dto.active } : {}),
      ...(dto.password !== undefined ? { passwordHash: await hashPassword(dto.password) } : {}),
    };
    const deactivated = dto.active === false && before.active;
    await this.dataSource.transaction(async (manager) => {
      await this.users.update(id, changes, revoke, manager);
      await this.journal.record(manager, {
        actor,
        action: deactivated ? 'account.deactivated' : 'account.updated',
        subject: { type: 'user', id },
        summary: deactivated ? `Compte de ${before.name} désactivé` : `Compte de ${before.name} modifié`,
        // Which fields, never the password itself.
        details: { changed: Object.keys(changes).map((key) => (key === 'passwordHash' ? 'password' : key)) },
      });
    });
    return this.get(id);
  }
}
