import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { toStaffUser } from './auth.service';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { hashPassword } from './passwords';
import { StaffUser } from './staff-user';
import { UsersRepository } from './users.repository';

export type StaffAccount = StaffUser & { active: boolean; createdAt: string };

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** An account with a password set by the API caller (AccountsService.create invites when there is none). */
  async create(dto: CreateUserDto & { password: string }): Promise<StaffAccount> {
    const user = await this.users.insert({ email: dto.email, name: dto.name, role: dto.role, passwordHash: await hashPassword(dto.password) });
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
  async update(id: string, dto: UpdateUserDto): Promise<StaffAccount> {
    await this.get(id);
    const revoke = dto.active === false || dto.role !== undefined || dto.password !== undefined;
    await this.users.update(
      id,
      {
        ...(dto.name !== undefined ? { name: dto.name } : {}),
        ...(dto.role !== undefined ? { role: dto.role } : {}),
        ...(dto.active !== undefined ? { active: dto.active } : {}),
        ...(dto.password !== undefined ? { passwordHash: await hashPassword(dto.password) } : {}),
      },
      revoke,
    );
    return this.get(id);
  }
}
