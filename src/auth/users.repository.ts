import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../common/sql';
import { Role, User } from './user.entity';

/** What a signed-in request's account is checked by. */
export type SignedInAccount = Pick<User, 'id' | 'email' | 'name' | 'role' | 'active' | 'tokenVersion'>;

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOneBy(User, { id });
  }

  /**
   * What checking a signed-in request needs of its account, as a named statement: it runs on every
   * staff request (through TypeORM's findOneBy it cost about a tenth of a small request's time).
   */
  async signedIn(id: string): Promise<SignedInAccount | null> {
    const [user] = await preparedQuery<SignedInAccount>(
      this.dataSource,
      'signed-in-user',
      'SELECT id, email, name, role, active, token_version AS "tokenVersion" FROM users WHERE id = $1',
      [id],
    );
    return user ?? null;
  }

  /**
   * An address as withPasswordByEmail matches it: lower() in PostgreSQL, whose case mapping follows
   * the database's locale and differs from JavaScript's (`İ`, U+0130, is `i` in C.UTF-8 but `i̇` in
   * toLowerCase), so the login lock keyed by it covers every spelling that finds the account.
   */
  async lookupKey(email: string): Promise<string> {
    const [row] = await this.dataSource.query<Array<{ key: string }>>('SELECT lower($1::text) AS key', [email]);
    return row.key;
  }

  /** With the password hash, for login only; lookupKey is the same normalisation. */
  withPasswordByEmail(email: string): Promise<User | null> {
    return this.dataSource.manager
      .createQueryBuilder(User, 'user')
      .addSelect('user.passwordHash')
      .where('lower(user.email) = lower(:email)', { email })
      .getOne();
  }

  /** With the password hash, for checking the current password before a change. */
  withPasswordById(id: string): Promise<User | null> {
    return this.dataSource.manager.createQueryBuilder(User, 'user').addSelect('user.passwordHash').where('user.id = :id', { id }).getOne();
  }

  async count(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM users`);
    return row.n;
  }

  /** An account whose owner has not chosen a password yet (invited), or the first admin (setup). */
  async insertWith(manager: EntityManager, values: { email: string; name: string; role: Role; passwordHash: string | null }): Promise<User> {
    return manager.save(manager.create(User, { ...values, active: true, tokenVersion: 0 }));
  }

  /** A new password, chosen by the account's owner: every token issued before is revoked. */
  async setPassword(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await manager.query(`UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now() WHERE id = $1`, [id, passwordHash]);
  }

  /** Whether the account has chosen a password (an invited one has not yet). */
  async hasPassword(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [row] = await manager.query<Array<{ set: boolean }>>(`SELECT password_hash IS NOT NULL AS set FROM users WHERE id = $1 FOR UPDATE`, [id]);
    return row?.set ?? false;
  }

  /** Accounts with whether each has chosen its password, for the admins' list. */
  async listWithPasswordState(): Promise<Array<User & { passwordSet: boolean }>> {
    const { entities, raw } = await this.dataSource.manager
      .createQueryBuilder(User, 'user')
      .addSelect('user.password_hash IS NOT NULL', 'password_set')
      .orderBy('user.role', 'ASC')
      .addOrderBy('user.name', 'ASC')
      .getRawAndEntities<{ password_set: boolean }>();
    return entities.map((user, index) => Object.assign(user, { passwordSet: raw[index].password_set }));
  }

  list(): Promise<User[]> {
    return this.dataSource.manager.find(User, { order: { role: 'ASC', name: 'ASC' } });
  }

  /** Active staff who may hold a desk at a permanence. */
  activeAdvisors(ids: string[], manager: EntityManager): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager
      .createQueryBuilder(User, 'user')
      .where('user.id IN (:...ids)', { ids })
      .andWhere('user.active')
      .andWhere(`user.role IN ('advisor', 'admin')`)
      .getMany();
  }

  async insert(values: { email: string; name: string; role: Role; passwordHash: string }, manager: EntityManager = this.dataSource.manager): Promise<User> {
    const created = manager.create(User, { ...values, active: true, tokenVersion: 0 });
    return manager.save(created);
  }

  /** Creates the account unless one with that e-mail exists; safe when several instances start together. */
  async insertIfAbsent(values: { email: string; name: string; role: Role; passwordHash: string }): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
      [values.email, values.name, values.role, values.passwordHash],
    );
    return rows.length > 0;
  }

  async update(
    id: string,
    changes: Partial<Pick<User, 'name' | 'role' | 'active' | 'passwordHash' | 'email'>>,
    revoke: boolean,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(User)
      .set({ ...changes, ...(revoke ? { tokenVersion: () => 'token_version + 1' } : {}) })
      .where('id = :id', { id })
      .execute();
  }
}
