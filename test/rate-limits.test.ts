import { RateLimitStore } from '../src/common/rate-limits';
import { client, Client } from './support/http';
import { ADMIN, startTestApp, TestApp } from './support/test-app';

const json = (email: string) => ({
  slotId: '00000000-0000-4000-8000-000000000000',
  attendee: { name: 'Rafale', email },
  organisation: { name: 'Asso' },
  consent: true,
});

describe('rate limits (RATE_LIMITS=on), counted in the database', () => {
  let app: TestApp;
  let second: TestApp;
  let api: Client;
  let api2: Client;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'on' } });
    second = await startTestApp({ env: { RATE_LIMITS: 'on' }, sameDatabaseAs: app });
    api = client(app.baseUrl);
    api2 = client(second.baseUrl);
  });

  afterAll(async () => {
    await second?.close();
    await app?.close();
  });

  beforeEach(async () => {
    await app.dataSource.query('DELETE FROM rate_limits');
  });

  it('limits bookings per e-mail address, across instances, with a problem+json 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await (i % 2 ? api : api2).post('/api/bookings', json('same@asso.test'))).status);
    // Each got its normal answer (the slot does not exist), none was refused by the limit.
    expect(statuses.every((status) => status === 422 || status === 404)).toBe(true);
    const refused = await api.post('/api/bookings', json('SAME@asso.test '));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('too_many_requests');
    expect(Number(refused.headers.get('retry-after-booking-email'))).toBeGreaterThan(0);
    // Another address from the same IP is still served.
    expect((await api.post('/api/bookings', json('other@asso.test'))).status).not.toBe(429);
  });

  it('limits bookings per IP address, whatever the e-mail', async () => {
    for (let i = 0; i < 30; i += 1) {
      const response = await api.post('/api/bookings', json(`person${i}@asso.test`));
      expect(response.status).not.toBe(429);
    }
    expect((await api.post('/api/bookings', json('thirty-first@asso.test'))).status).toBe(429);
    // The count is shared: the other instance refuses too.
    expect((await api2.post('/api/bookings', json('thirty-second@asso.test'))).status).toBe(429);
  });

  it('locks an account after five wrong passwords, for fifteen minutes, then lets the right one in', async () => {
    for (let i = 0; i < 5; i += 1) {
      const wrong = await api.post('/api/auth/login', { email: ADMIN.email, password: `wrong-${i}` });
      expect(wrong.status).toBe(401);
    }
    const locked = await api.post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
    expect(locked.status).toBe(429);
    expect(locked.body.detail).toContain('verrouillé');
    // An address that is not an account locks the same way, so the lock reveals nothing.
    for (let i = 0; i < 5; i += 1) expect((await api2.post('/api/auth/login', { email: 'nobody@cress.test', password: 'x' })).status).toBe(401);
    expect((await api2.post('/api/auth/login', { email: 'nobody@cress.test', password: 'x' })).status).toBe(429);

    const later = new Date(app.clock.now().getTime() + 16 * 60_000);
    app.clock.set(later);
    second.clock.set(later);
    const allowed = await api.post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
    expect(allowed.status).toBe(200);
  });

  it('checks at most five of sixty wrong passwords sent at once, then refuses the right one while locked', async () => {
    // From sixty addresses (behind the trusted proxy), so the per-IP limit plays no part.
    const from = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i + 1}` });
    const guesses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => api.request('POST', '/api/auth/login', { body: { email: ADMIN.email, password: `guess-${i}` }, headers: from(i) })),
    );
    const statuses = guesses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    const right = await api2.request('POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password }, headers: from(60) });
    expect([right.status, right.body.code]).toEqual([429, 'too_many_requests']);
  });

  it('counts every spelling that finds the account against one lock (U+0130 is lower-cased as PostgreSQL does)', async () => {
    const admin = (await api.post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password })).body.accessToken;
    const created = await api.post('/api/users', { email: 'tim@cress.test', name: 'Tim', role: 'advisor', password: 'tim-password-123' }, admin);
    expect(created.status).toBe(201);
    const [{ same }] = await app.dataSource.query(`SELECT lower('tİm@cress.test') = 'tim@cress.test' AS same`);
    expect(same).toBe(true); // the lookup finds Tim's account by this spelling
    for (let i = 0; i < 5; i += 1) expect((await api.post('/api/auth/login', { email: 'tİm@cress.test', password: `wrong-${i}` })).status).toBe(401);
    for (const email of ['tim@cress.test', 'tİm@cress.test', 'TIM@cress.test']) {
      expect((await api.post('/api/auth/login', { email, password: 'tim-password-123' })).status).toBe(429);
    }
  });

  it('a successful login clears the failures', async () => {
    for (let i = 0; i < 4; i += 1) expect((await api.post('/api/auth/login', { email: ADMIN.email, password: 'wrong' })).status).toBe(401);
    expect((await api.post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password })).status).toBe(200);
    for (let i = 0; i < 4; i += 1) expect((await api.post('/api/auth/login', { email: ADMIN.email, password: 'wrong' })).status).toBe(401);
    expect((await api.post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password })).status).toBe(200);
  });

  it('limits login attempts per IP address across accounts', async () => {
    for (let i = 0; i < 20; i += 1) expect((await api.post('/api/auth/login', { email: `guess${i}@cress.test`, password: 'x' })).status).toBe(401);
    const refused = await api.post('/api/auth/login', { email: 'guess-more@cress.test', password: 'x' });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('too_many_requests');
  });

  it('the booking page is limited by the same counters as the API', async () => {
    for (let i = 0; i < 10; i += 1) await api.post('/api/bookings', json('page@asso.test'));
    // Any page with a form hands out this browser's CSRF token.
    const page = await fetch(`${app.baseUrl}/staff/connexion`, { headers: { accept: 'text/html' } });
    const csrfCookie = page.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('rv_csrf='))!
      .split(';')[0];
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(token).toBeDefined();
    const posted = await fetch(`${app.baseUrl}/reserver/creneau/00000000-0000-4000-8000-000000000000`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: csrfCookie },
      body: new URLSearchParams({ _csrf: token!, 'attendee.email': 'page@asso.test' }),
      redirect: 'manual',
    });
    expect(posted.status).toBe(429);
    expect(await posted.text()).toContain('Trop de demandes');
  });

  it('prunes counters whose window and block are over', async () => {
    await api.post('/api/bookings', json('prune@asso.test'));
    const before = await app.dataSource.query('SELECT count(*)::int AS n FROM rate_limits');
    expect(before[0].n).toBeGreaterThan(0);
    app.clock.set(new Date(app.clock.now().getTime() + 2 * 3600_000));
    expect(await app.app.get(RateLimitStore).prune()).toBe(before[0].n);
  });
});
