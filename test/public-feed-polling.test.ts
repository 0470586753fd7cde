import { FeedsRepository } from '../src/feeds/feeds.repository';
import { PublicFeedChanges } from '../src/feeds/public-feed-changes';
import { adminToken, createWorkshop, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Calendar apps poll the public feed, mostly for a 304. It is answered ahead of Express's routing
 * (src/common/http-front.ts), and each instance learns that the feed's rows changed from PostgreSQL's
 * notifications (src/feeds/public-feed-changes.ts) instead of a fingerprint query on every poll.
 * What must hold: the same answers as the application's own, and never a 304 for a feed that changed
 * before the poll was sent — whichever instance (or whatever else) changed it.
 */
const FEED = '/calendar/public.ics';
const LISTENER = 'rendez-vous-ess (public feed changes)';
const SECURITY_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-resource-policy',
  'cross-origin-opener-policy',
];

async function poll(app: TestApp, headers: Record<string, string> = {}, method = 'GET') {
  // fetch would ask for gzip and unpack it: the bytes are compared as sent (gzip is tested in feeds.test.ts).
  const response = await fetch(`${app.baseUrl}${FEED}`, { method, headers: { 'accept-encoding': 'identity', ...headers } });
  const raw = Buffer.from(await response.arrayBuffer());
  // `body` unfolded (RFC 5545 §3.1), so that texts can be looked for whole.
  return { status: response.status, headers: response.headers, raw, body: raw.toString('utf8').replace(/\r\n[ \t]/g, '') };
}

describe('polling the public feed', () => {
  let first: TestApp;
  let second: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    first = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    second = await startTestApp({ now: '2026-11-27T10:00:00Z', sameDatabaseAs: first, env: { CORS_ORIGINS: 'https://partenaire.example' } });
    api = client(first.baseUrl);
    admin = await adminToken(api);
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const listeners = async () =>
    (
      await first.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [LISTENER])
    )[0].n as number;

  async function until(condition: () => Promise<boolean>, what: string) {
    for (const started = Date.now(); Date.now() - started < 15_000;) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`still not ${what} after 15 s`);
  }

  it('carries the same headers as the application’s other answers, for GET, HEAD and a query string', async () => {
    const feed = await poll(first);
    const api = await fetch(`${first.baseUrl}/api/permanences`);
    expect(feed.status).toBe(200);
    for (const name of SECURITY_HEADERS) expect([name, feed.headers.get(name)]).toEqual([name, api.headers.get(name)]);
    expect(feed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(feed.headers.get('x-powered-by')).toBeNull();
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const head = await poll(first, {}, 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(feed.raw.length).toBeGreaterThan(1000);
    expect(head.headers.get('etag')).toBe(feed.headers.get('etag'));
    expect(Number(head.headers.get('content-length'))).toBe(feed.raw.length);
    const withQuery = await fetch(`${first.baseUrl}${FEED}?source=outlook`, { headers: { 'accept-encoding': 'identity' } });
    expect(withQuery.headers.get('etag')).toBe(feed.headers.get('etag'));
    expect(Buffer.from(await withQuery.arrayBuffer()).equals(feed.raw)).toBe(true);
    const notModified = await poll(first, { 'if-none-match': feed.headers.get('etag')! });
    expect(notModified).toMatchObject({ status: 304, body: '' });
    expect(notModified.headers.get('etag')).toBe(feed.headers.get('etag'));
    expect(notModified.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('leaves cross-origin requests to the application, which applies CORS_ORIGINS', async () => {
    const allowed = await poll(second, { origin: 'https://partenaire.example' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://partenaire.example');
    const other = await poll(second, { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.body).toBe(allowed.body);
  });

  it('never answers 304 once the feed changed, whichever instance changed it', async () => {
    const workshop = await createWorkshop(api, admin, { capacity: 40 });
    for (let round = 0; round < 12; round++) {
      const before = await poll(second);
      // Alternately: a registration through the other instance, a registration through this one, an
      // edit straight in the database (as an administrator's script would).
      if (round % 3 === 2) {
        await first.dataSource.query(`UPDATE workshops SET title = $2 WHERE id = $1`, [workshop.id, `Atelier renommé ${round}`]);
      } else {
        const via = round % 3 === 0 ? api : client(second.baseUrl);
        expect((await via.post('/api/bookings', registrationRequest(workshop.id))).status).toBe(201);
      }
      const after = await poll(second, { 'if-none-match': before.headers.get('etag')! });
      expect([round, after.status]).toEqual([round, 200]);
      expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
      const registered = round + 1 - Math.floor((round + 1) / 3);
      expect(after.body).toContain(`Places restantes : ${40 - registered} sur 40.`);
      if (round % 3 === 2) expect(after.body).toContain(`Atelier renommé ${round}`);
    }
  });

  it('builds the feed once for the polls that arrive together after a change', async () => {
    const before = await poll(second);
    await first.dataSource.query(`UPDATE workshops SET title = title || ' (mis à jour)' WHERE id = (SELECT id FROM workshops ORDER BY starts_at LIMIT 1)`);
    const reads = jest.spyOn(second.app.get(FeedsRepository), 'sessions');
    try {
      const polls = await Promise.all(Array.from({ length: 20 }, () => poll(second, { 'if-none-match': before.headers.get('etag')! })));
      expect(new Set(polls.map((answer) => `${answer.status} ${answer.headers.get('etag')}`))).toEqual(new Set([`200 ${polls[0].headers.get('etag')}`]));
      expect(polls[0].headers.get('etag')).not.toBe(before.headers.get('etag'));
      expect(polls[0].body).toContain('(mis à jour)');
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('knows from notifications whether the rows changed, and listens again after losing its connection', async () => {
    const changes = second.app.get(PublicFeedChanges);
    await until(async () => (await changes.version()) !== null, 'listening');
    const quiet = await changes.version();
    expect(await changes.version()).toBe(quiet);
    await first.dataSource.query(
      `UPDATE permanence_sessions SET location = location WHERE starts_at > now() AND id = (SELECT id FROM permanence_sessions ORDER BY starts_at LIMIT 1)`,
    );
    const moved = await changes.version();
    expect(moved).not.toBe(quiet);
    expect(await changes.version()).toBe(moved);

    const etag = (await poll(second)).headers.get('etag')!;
    const killed = await first.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
      [LISTENER],
    );
    expect(killed).toHaveLength(2);
    // Meanwhile, a change: the next polls see it (from the fingerprint, or from the new connection).
    const workshop = await createWorkshop(api, admin, { title: 'Atelier pendant la coupure' });
    const during = await poll(second, { 'if-none-match': etag });
    expect(during.status).toBe(200);
    expect(during.body).toContain('Atelier pendant la coupure');
    await until(async () => (await listeners()) === 2, 'listening again on both instances');
    await until(async () => (await changes.version()) !== null, 'giving versions again');
    await api.patch(`/api/workshops/${workshop.id}`, { title: 'Atelier après la coupure' }, admin);
    const after = await poll(second, { 'if-none-match': during.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(after.body).toContain('Atelier après la coupure');
  });
});
