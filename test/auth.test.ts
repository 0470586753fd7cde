import { randomBytes } from 'node:crypto';
import { AuthService } from '../src/auth/auth.service';
import { adminToken, createStaff, login } from './support/factories';
import { client, Client, HttpResponse } from './support/http';
import { ADMIN, startTestApp, TestApp } from './support/test-app';

const NOW = '2026-11-27T10:00:00.000Z';

function expectProblem(response: HttpResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
}

function newAccount(overrides: Record<string, unknown> = {}) {
  return { email: `${randomBytes(5).toString('hex')}@cress.test`, name: 'Conseillère Test', role: 'advisor', password: 'staff-password-123', ...overrides };
}

describe('staff accounts and login', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ now: NOW });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });

  afterAll(() => app.close());

  afterEach(() => app.clock.set(NOW));

  describe('the first admin', () => {
    it('logs in with ADMIN_EMAIL / ADMIN_PASSWORD and gets a token, its expiry and the user', async () => {
      const response = await api.post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        // The default JWT_TTL_SECONDS is 8 hours, counted from the app's clock.
        expiresAt: '2026-11-27T18:00:00.000Z',
        user: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: ADMIN.email, name: expect.any(String), role: 'admin' },
      });
    });

    it('is stored with an argon2id hash, never the password', async () => {
      const rows: Array<{ password_hash: string }> = await app.dataSource.query(`SELECT password_hash FROM users WHERE lower(email) = lower($1)`, [
        ADMIN.email,
      ]);
      expect(rows).toHaveLength(1);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0].password_hash).not.toContain(ADMIN.password);
    });

    it('is neither duplicated nor given a new password when the bootstrap runs again', async () => {
      const adminCount = async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`))[0].n;
      const hashOf = async () => (await app.dataSource.query(`SELECT password_hash FROM users WHERE lower(email) = lower($1)`, [ADMIN.email]))[0].password_hash;
      expect(await adminCount()).toBe(1);
      const hashBefore = await hashOf();

      await app.app.get(AuthService).onApplicationBootstrap();

      expect(await adminCount()).toBe(1);
      expect(await hashOf()).toBe(hashBefore);
      await expect(login(api, ADMIN.email, ADMIN.password)).resolves.toEqual(expect.any(String));
    });
  });

  describe('login', () => {
    it('answers a wrong password and an unknown e-mail with the same 401 invalid_credentials', async () => {
      const wrongPassword = await api.post('/api/auth/login', { email: ADMIN.email, password: 'not-the-password' });
      const unknownEmail = await api.post('/api/auth/login', { email: 'nobody@cress.test', password: ADMIN.password });
      expectProblem(wrongPassword, 401, 'invalid_credentials');
      expectProblem(unknownEmail, 401, 'invalid_credentials');
      expect(unknownEmail.text).toBe(wrongPassword.text);
      expect(wrongPassword.body).not.toHaveProperty('accessToken');
    });

    it('answers a malformed login with 400 validation_failed', async () => {
      expectProblem(await api.post('/api/auth/login', { email: 'not-an-email', password: 'x' }), 400, 'validation_failed');
      expectProblem(await api.post('/api/auth/login', { email: ADMIN.email }), 400, 'validation_failed');
    });
  });

  describe('GET /api/auth/me', () => {
    it('answers the signed-in user', async () => {
      const signIn = await api.post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
      const me = await api.get('/api/auth/me', signIn.body.accessToken);
      expect(me.status).toBe(200);
      expect(me.body).toEqual(signIn.body.user);
    });

    it('answers 401 unauthenticated without a token', async () => {
      expectProblem(await api.get('/api/auth/me'), 401, 'unauthenticated');
    });

    it('refuses a token once the clock passes its expiresAt', async () => {
      const signIn = await api.post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
      const expiresAt = new Date(signIn.body.expiresAt).getTime();

      app.clock.set(new Date(expiresAt - 1_000));
      expect((await api.get('/api/auth/me', signIn.body.accessToken)).status).toBe(200);

      app.clock.set(new Date(expiresAt + 1_000));
      expectProblem(await api.get('/api/auth/me', signIn.body.accessToken), 401, 'unauthenticated');
    });
  });

  describe('staff routes', () => {
    it('answers 401 unauthenticated to POST and GET /api/users without a token', async () => {
      expectProblem(await api.post('/api/users', newAccount()), 401, 'unauthenticated');
      expectProblem(await api.get('/api/users'), 401, 'unauthenticated');
    });

    it.each(['advisor', 'viewer'] as const)('answers 403 forbidden when the %s role creates an account, and creates nothing', async (role) => {
      const staff = await createStaff(api, admin, role);
      const token = await login(api, staff.email, staff.password);
      const account = newAccount();
      expectProblem(await api.post('/api/users', account, token), 403, 'forbidden');
      expectProblem(await api.get('/api/users', token), 403, 'forbidden');
      const rows = await app.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [account.email]);
      expect(rows).toHaveLength(0);
    });

    it('lets an admin create an account (201), which can then log in with its role', async () => {
      const account = newAccount({ role: 'viewer' });
      const response = await api.post('/api/users', account, admin);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        email: account.email,
        name: account.name,
        role: 'viewer',
        active: true,
        createdAt: expect.any(String),
      });
      const signIn = await api.post('/api/auth/login', { email: account.email, password: account.password });
      expect(signIn.status).toBe(200);
      expect(signIn.body.user).toEqual({ id: response.body.id, email: account.email, name: account.name, role: 'viewer' });
    });
  });

  describe('POST /api/users validation', () => {
    it.each([
      ['a password of 11 characters', { password: 'short-pass1' }, 'password'],
      ['an unknown role', { role: 'superuser' }, 'role'],
      ['an invalid e-mail', { email: 'not-an-email' }, 'email'],
      ['an empty name', { name: '' }, 'name'],
      ['an unknown field', { isAdmin: true }, 'isAdmin'],
    ])('answers 400 validation_failed to %s, naming the field', async (_, overrides, field) => {
      const account = newAccount(overrides);
      const response = await api.post('/api/users', account, admin);
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      expect(await app.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [account.email])).toHaveLength(0);
    });

    it('answers 409 email_taken to an e-mail already used, whatever its letter case', async () => {
      const account = newAccount();
      expect((await api.post('/api/users', account, admin)).status).toBe(201);
      const again = await api.post('/api/users', newAccount({ email: account.email.toUpperCase() }), admin);
      expectProblem(again, 409, 'email_taken');
      const rows = await app.dataSource.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [account.email]);
      expect(rows).toHaveLength(1);
    });

    it('answers 409 email_taken to the first admin’s e-mail', async () => {
      expectProblem(await api.post('/api/users', newAccount({ email: ADMIN.email }), admin), 409, 'email_taken');
    });
  });

  describe('GET /api/users', () => {
    it('lists the accounts without any password or hash field', async () => {
      const staff = await createStaff(api, admin, 'advisor');
      const response = await api.get('/api/users', admin);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ email: ADMIN.email, role: 'admin', active: true }),
          expect.objectContaining({ id: staff.id, email: staff.email, role: 'advisor', active: true }),
        ]),
      );
      for (const user of response.body) {
        expect(Object.keys(user).sort()).toEqual(['active', 'createdAt', 'email', 'id', 'invitationPending', 'name', 'role']);
      }
      expect(response.text).not.toMatch(/argon2|password|hash/i);
    });
  });

  describe('PATCH /api/users/:id', () => {
    it('revokes a deactivated user’s token at once and refuses their login; re-activation needs a new token', async () => {
      const staff = await createStaff(api, admin, 'advisor');
      const oldToken = await login(api, staff.email, staff.password);
      expect((await api.get('/api/auth/me', oldToken)).status).toBe(200);

      const deactivated = await api.patch(`/api/users/${staff.id}`, { active: false }, admin);
      expect(deactivated.status).toBe(200);
      expect(deactivated.body).toMatchObject({ id: staff.id, active: false });
      expectProblem(await api.get('/api/auth/me', oldToken), 401, 'unauthenticated');
      expectProblem(await api.post('/api/auth/login', { email: staff.email, password: staff.password }), 401, 'invalid_credentials');

      const reactivated = await api.patch(`/api/users/${staff.id}`, { active: true }, admin);
      expect(reactivated.body).toMatchObject({ id: staff.id, active: true });
      const newToken = await login(api, staff.email, staff.password);
      expect(newToken).not.toBe(oldToken);
      expect((await api.get('/api/auth/me', newToken)).body).toMatchObject({ id: staff.id, role: 'advisor' });
      expectProblem(await api.get('/api/auth/me', oldToken), 401, 'unauthenticated');
    });

    it('revokes the tokens issued before a role change', async () => {
      const staff = await createStaff(api, admin, 'viewer');
      const oldToken = await login(api, staff.email, staff.password);
      expect((await api.get('/api/auth/me', oldToken)).body).toMatchObject({ role: 'viewer' });

      const changed = await api.patch(`/api/users/${staff.id}`, { role: 'admin' }, admin);
      expect(changed.body).toMatchObject({ id: staff.id, role: 'admin' });
      // The old token claimed "viewer": it must not keep working, under either role.
      expectProblem(await api.get('/api/auth/me', oldToken), 401, 'unauthenticated');
      expectProblem(await api.get('/api/users', oldToken), 401, 'unauthenticated');

      const newToken = await login(api, staff.email, staff.password);
      expect((await api.get('/api/users', newToken)).status).toBe(200);
    });

    it('leaves other users’ tokens working', async () => {
      const kept = await createStaff(api, admin, 'advisor');
      const keptToken = await login(api, kept.email, kept.password);
      const other = await createStaff(api, admin, 'advisor');
      expect((await api.patch(`/api/users/${other.id}`, { active: false }, admin)).status).toBe(200);
      expect((await api.get('/api/auth/me', keptToken)).status).toBe(200);
    });

    it('answers 404 user_not_found to an unknown id', async () => {
      expectProblem(await api.patch('/api/users/00000000-0000-4000-8000-000000000000', { active: false }, admin), 404, 'user_not_found');
    });
  });
});
