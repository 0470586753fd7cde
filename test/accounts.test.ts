import { randomBytes } from 'node:crypto';
import { AccountsService } from '../src/accounts/accounts.service';
import { OutboxSender } from '../src/notifications/outbox-sender.service';
import { adminToken, login } from './support/factories';
import { client, Client, HttpResponse } from './support/http';
import { TestSmtpServer } from './support/smtp';
import { startTestApp, TestApp } from './support/test-app';

const NOW = '2026-11-27T10:00:00.000Z';
const STRONG = 'Sureau-Piano-Marelle-47';
const STRONGER = 'Vélo-Lampe-Orage-92';

function expectProblem(response: HttpResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
}

const address = () => `${randomBytes(5).toString('hex')}@cress.test`;

describe('staff accounts run by the team: invitations, password links, own password', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ now: NOW, env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://rdv.cress.test' } });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });
  afterEach(() => app.clock.set(NOW));

  /** Sends what the outbox holds and gives the token of the last link e-mailed to `to`. */
  async function linkSentTo(to: string): Promise<string> {
    await app.app.get(OutboxSender).drain();
    const mails = smtp.to(to);
    expect(mails.length).toBeGreaterThan(0);
    const match = /https:\/\/rdv\.cress\.test\/staff\/nouveau-mot-de-passe\?jeton=([A-Za-z0-9_-]{43})/.exec(mails[mails.length - 1].parsed.text ?? '');
    expect(match).not.toBeNull();
    return match![1];
  }

  async function invite(role = 'advisor') {
    const email = address();
    const created = await api.post('/api/users', { email, name: 'Camille Invitée', role }, admin);
    expect(created.status).toBe(201);
    return { id: created.body.id as string, email };
  }

  describe('invitations', () => {
    it('creates an account without a password and e-mails a link to choose one, which signs in once', async () => {
      const { id, email } = await invite();
      const listed = (await api.get('/api/users', admin)).body.find((user: { id: string }) => user.id === id);
      expect(listed).toMatchObject({ email, active: true, invitationPending: true });
      // No password yet: nothing signs in.
      expectProblem(await api.post('/api/auth/login', { email, password: STRONG }), 401, 'invalid_credentials');

      const token = await linkSentTo(email);
      const mail = smtp.to(email).at(-1)!;
      expect(mail.parsed.subject).toMatch(/choisissez votre mot de passe/);
      expect(mail.parsed.text).toContain('72 heures');

      const chosen = await api.post('/api/auth/password-reset/confirm', { token, password: STRONG });
      expect(chosen.status).toBe(200);
      expect(chosen.body.user).toMatchObject({ id, email, role: 'advisor' });
      expect((await api.get('/api/auth/me', chosen.body.accessToken)).status).toBe(200);
      await expect(login(api, email, STRONG)).resolves.toEqual(expect.any(String));

      expectProblem(await api.post('/api/auth/password-reset/confirm', { token, password: STRONGER }), 410, 'link_invalid');
      await expect(login(api, email, STRONG)).resolves.toEqual(expect.any(String));
    });

    it('stores only the SHA-256 of a link: the raw token is neither in the tokens table nor in the outbox', async () => {
      const { email } = await invite();
      const token = await linkSentTo(email);
      const tokens = await app.dataSource.query<Array<Record<string, unknown>>>(
        `SELECT t.*, encode(t.token_hash, 'hex') AS hex FROM one_time_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = $1`,
        [email],
      );
      expect(tokens).toHaveLength(1);
      expect(JSON.stringify(tokens)).not.toContain(token);
      const { createHash } = await import('node:crypto');
      expect(tokens[0].hex).toBe(createHash('sha256').update(token).digest('hex'));
      const outbox = await app.dataSource.query<Array<{ payload: string }>>(`SELECT payload::text AS payload FROM outbox_messages WHERE recipient = $1`, [
        email,
      ]);
      expect(outbox).toHaveLength(1);
      expect(outbox[0].payload).not.toContain(token);
    });

    it('expires an invitation after 72 hours (the injected clock)', async () => {
      const { email } = await invite();
      const token = await linkSentTo(email);
      app.clock.set('2026-11-30T10:00:01.000Z');
      expectProblem(await api.post('/api/auth/password-reset/confirm', { token, password: STRONG }), 410, 'link_invalid');
    });

    it('re-sends an invitation with a new link; the old one stops working; no re-send once the password is chosen', async () => {
      const { id, email } = await invite();
      const first = await linkSentTo(email);
      expect((await api.post(`/api/users/${id}/invitation`, {}, admin)).status).toBe(202);
      const second = await linkSentTo(email);
      expect(second).not.toBe(first);
      expectProblem(await api.post('/api/auth/password-reset/confirm', { token: first, password: STRONG }), 410, 'link_invalid');
      expect((await api.post('/api/auth/password-reset/confirm', { token: second, password: STRONG })).status).toBe(200);
      expectProblem(await api.post(`/api/users/${id}/invitation`, {}, admin), 409, 'conflict');
    });

    it('refuses a short or common password with a French field message, and the link still works after', async () => {
      const { email } = await invite();
      const token = await linkSentTo(email);
      const short = await api.post('/api/auth/password-reset/confirm', { token, password: 'court' });
      expectProblem(short, 400, 'validation_failed');
      expect(short.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(/12/) }]);
      const common = await api.post('/api/auth/password-reset/confirm', { token, password: 'motdepasse123' });
      expectProblem(common, 400, 'validation_failed');
      expect(common.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(/trop courant/) }]);
      const rows = await app.dataSource.query(`SELECT password_hash FROM users WHERE email = $1`, [email]);
      expect(rows[0].password_hash).toBeNull();
      expect((await api.post('/api/auth/password-reset/confirm', { token, password: STRONG })).status).toBe(200);
    });

    it('keeps API callers that set a password working (no invitation sent)', async () => {
      const email = address();
      const created = await api.post('/api/users', { email, name: 'Avec mot de passe', role: 'viewer', password: 'staff-password-123' }, admin);
      expect(created.status).toBe(201);
      await app.app.get(OutboxSender).drain();
      expect(smtp.to(email)).toHaveLength(0);
      await expect(login(api, email, 'staff-password-123')).resolves.toEqual(expect.any(String));
    });

    it('lets an admin neither deactivate nor demote their own account', async () => {
      const me = (await api.get('/api/auth/me', admin)).body.id;
      expectProblem(await api.patch(`/api/users/${me}`, { active: false }, admin), 409, 'conflict');
      expectProblem(await api.patch(`/api/users/${me}`, { role: 'viewer' }, admin), 409, 'conflict');
    });
  });

  describe('forgotten password', () => {
    async function accountWithPassword() {
      const { id, email } = await invite();
      const chosen = await api.post('/api/auth/password-reset/confirm', { token: await linkSentTo(email), password: STRONG });
      expect(chosen.status).toBe(200);
      return { id, email };
    }

    it('gives the same answer for an unknown address, and sends nothing to it', async () => {
      const { email } = await accountWithPassword();
      const known = await api.post('/api/auth/password-reset', { email });
      const unknown = await api.post('/api/auth/password-reset', { email: 'personne@cress.test' });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(unknown.text).toBe(known.text);
      await app.app.get(OutboxSender).drain();
      expect(smtp.to('personne@cress.test')).toHaveLength(0);
      expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE recipient = 'personne@cress.test'`))[0].n).toBe(0);
    });

    it('sends a link valid one hour that sets a new password and signs out every other session', async () => {
      const { email } = await accountWithPassword();
      const phone = await login(api, email, STRONG);
      const laptop = await login(api, email, STRONG);
      expect((await api.post('/api/auth/password-reset', { email })).status).toBe(202);
      const token = await linkSentTo(email);
      expect(smtp.to(email).at(-1)!.parsed.text).toContain('une heure');

      const reset = await api.post('/api/auth/password-reset/confirm', { token, password: STRONGER });
      expect(reset.status).toBe(200);
      expectProblem(await api.get('/api/auth/me', phone), 401, 'unauthenticated');
      expectProblem(await api.get('/api/auth/me', laptop), 401, 'unauthenticated');
      expect((await api.get('/api/auth/me', reset.body.accessToken)).status).toBe(200);
      expectProblem(await api.post('/api/auth/login', { email, password: STRONG }), 401, 'invalid_credentials');
      await expect(login(api, email, STRONGER)).resolves.toEqual(expect.any(String));
      expectProblem(await api.post('/api/auth/password-reset/confirm', { token, password: STRONG }), 410, 'link_invalid');
    });

    it('refuses a reset link after one hour', async () => {
      const { email } = await accountWithPassword();
      await api.post('/api/auth/password-reset', { email });
      const token = await linkSentTo(email);
      app.clock.set('2026-11-27T11:00:01.000Z');
      expectProblem(await api.post('/api/auth/password-reset/confirm', { token, password: STRONGER }), 410, 'link_invalid');
    });

    it('sends nothing to a deactivated account, and its open link stops working', async () => {
      const { id, email } = await accountWithPassword();
      await api.post('/api/auth/password-reset', { email });
      const token = await linkSentTo(email);
      expect((await api.patch(`/api/users/${id}`, { active: false }, admin)).status).toBe(200);
      expectProblem(await api.post('/api/auth/password-reset/confirm', { token, password: STRONGER }), 410, 'link_invalid');
      const before = smtp.to(email).length;
      expect((await api.post('/api/auth/password-reset', { email })).status).toBe(202);
      await app.app.get(OutboxSender).drain();
      expect(smtp.to(email)).toHaveLength(before);
    });
  });

  describe('own password', () => {
    it('requires the current password, refuses a common one, and signs out the other sessions only', async () => {
      const { email } = await invite();
      const first = await api.post('/api/auth/password-reset/confirm', { token: await linkSentTo(email), password: STRONG });
      const here = first.body.accessToken as string;
      const elsewhere = await login(api, email, STRONG);

      const wrong = await api.post('/api/auth/password', { currentPassword: 'pas-le-bon-mot-de-passe', newPassword: STRONGER }, here);
      expectProblem(wrong, 400, 'validation_failed');
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: expect.any(String) }]);
      const common = await api.post('/api/auth/password', { currentPassword: STRONG, newPassword: 'azertyuiop123' }, here);
      expectProblem(common, 400, 'validation_failed');
      expect(common.body.errors).toEqual([{ field: 'newPassword', message: expect.stringMatching(/trop courant/) }]);
      expect((await api.get('/api/auth/me', elsewhere)).status).toBe(200);

      const changed = await api.post('/api/auth/password', { currentPassword: STRONG, newPassword: STRONGER }, here);
      expect(changed.status).toBe(200);
      expect((await api.get('/api/auth/me', changed.body.accessToken)).status).toBe(200);
      expectProblem(await api.get('/api/auth/me', elsewhere), 401, 'unauthenticated');
      await expect(login(api, email, STRONGER)).resolves.toEqual(expect.any(String));
    });

    it('needs a signed-in staff member', async () => {
      expectProblem(await api.post('/api/auth/password', { currentPassword: STRONG, newPassword: STRONGER }), 401, 'unauthenticated');
    });
  });
});

describe('forgotten-password requests are rate-limited', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let api: Client;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ now: NOW, env: { SMTP_URL: smtp.url, RATE_LIMITS: 'on' } });
    api = client(app.baseUrl);
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  it('sends at most three e-mails an hour to one address, answering alike, and refuses an eleventh request from one IP address with 429', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 11; i++) answers.push((await api.post('/api/auth/password-reset', { email: 'admin@cress.test' })).status);
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(answers[10]).toBe(429);
    await app.app.get(OutboxSender).drain();
    expect(smtp.to('admin@cress.test')).toHaveLength(3);
  });
});

describe('first start without ADMIN_EMAIL', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ now: NOW, env: { ADMIN_EMAIL: '', ADMIN_PASSWORD: '' } });
  });
  afterAll(() => app.close());

  it('gives the same setup address at every start, stored hashed, and creates only one first admin when used twice at once', async () => {
    const accounts = app.app.get(AccountsService);
    const url = await accounts.setupUrl();
    expect(url).toMatch(/\/staff\/installation\?jeton=[A-Za-z0-9_-]{43}$/);
    expect(await accounts.setupUrl()).toBe(url);
    // Another JWT_SECRET (a second start with a new one): its own address works, the earlier one no longer.
    const other = await startTestApp({ now: NOW, sameDatabaseAs: app, env: { ADMIN_EMAIL: '', ADMIN_PASSWORD: '', JWT_SECRET: 'x'.repeat(40) } });
    try {
      const otherUrl = await other.app.get(AccountsService).setupUrl();
      expect(otherUrl).not.toBe(url);
      await expect(accounts.checkSetupToken(new URL(otherUrl!).searchParams.get('jeton')!)).resolves.toBeUndefined();
      await expect(accounts.checkSetupToken(new URL(url!).searchParams.get('jeton')!)).rejects.toMatchObject({ code: 'link_invalid' });
    } finally {
      await other.close();
    }
    expect(await accounts.setupUrl()).toBe(url);
    const token = new URL(url!).searchParams.get('jeton')!;
    expect(JSON.stringify(await app.dataSource.query(`SELECT * FROM one_time_tokens`))).not.toContain(token);

    const results = await Promise.allSettled([
      accounts.setup(token, { name: 'Première', email: 'premiere@cress.test', password: STRONG }),
      accounts.setup(token, { name: 'Seconde', email: 'seconde@cress.test', password: STRONGER }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'link_invalid' } });
    expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`))[0].n).toBe(1);
    expect(await accounts.setupUrl()).toBeNull();
    await expect(accounts.setup(token, { name: 'Tierce', email: 'tierce@cress.test', password: STRONG })).rejects.toMatchObject({ code: 'link_invalid' });
  });
});
