import { randomUUID } from 'node:crypto';
import { bookingRequest, listSessions } from './support/factories';
import { client, Client } from './support/http';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, TestApp } from './support/test-app';
import { urlFor } from './support/databases';

/** Asks until `check` passes or `ms` are over. */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/**
 * The service reaches PostgreSQL through a relay the test cuts, as a restart of the server does:
 * every connection dropped at once, new ones refused, then accepted again.
 */
describe('PostgreSQL going away under the service', () => {
  let direct: TestApp;
  let proxied: TestApp;
  let proxy: TcpProxy;
  let api: Client;

  beforeAll(async () => {
    direct = await startTestApp();
    const target = new URL(urlFor(direct.database!));
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).up();
    target.hostname = '127.0.0.1';
    target.port = String(proxy.port);
    proxied = await startTestApp({ sameDatabaseAs: direct, env: { DATABASE_URL: target.toString(), DATABASE_POOL_SIZE: '4' } });
    api = client(proxied.baseUrl);
  });

  afterAll(async () => {
    await proxy?.up().catch(() => undefined);
    await proxied?.close();
    await proxy?.down();
    await direct?.close();
  });

  it('answers 503 problem+json while it is down, says so on /health, writes nothing, and recovers by itself', async () => {
    expect((await api.get('/health')).status).toBe(200);
    const [session] = await listSessions(api);
    const slot = session.slots[0];

    await proxy.down();
    const health = await api.get('/health');
    expect(health.status).toBe(503);
    expect(health.headers.get('content-type')).toContain('application/problem+json');
    expect(health.body.code).toBe('service_unavailable');

    const listing = await api.get('/api/permanences');
    expect(listing.status).toBe(503);
    expect(listing.body).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(JSON.stringify(listing.body)).not.toMatch(/ECONN|stack|at \w+ \(/);

    const booking = await api.post('/api/bookings', bookingRequest(slot.id, { attendee: { name: 'Pendant la coupure', email: 'coupure@asso.test' } }));
    expect(booking.status).toBe(503);

    const page = await fetch(`${proxied.baseUrl}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Le service est momentanément indisponible');

    // Nothing was written through the other instance's eyes.
    const written = await direct.dataSource.query(`SELECT count(*)::int AS n FROM bookings WHERE attendee_email = 'coupure@asso.test'`);
    expect(written[0].n).toBe(0);

    await proxy.up();
    expect(await eventually(async () => (await api.get('/health')).status === 200)).toBe(true);
    const after = await api.post('/api/bookings', bookingRequest(slot.id, { attendee: { name: 'Après la coupure', email: 'apres@asso.test' } }));
    expect(after.status).toBe(201);
  });

  it('fails a request cleanly when the connections are cut in the middle, and serves the next one', async () => {
    const [session] = await listSessions(api);
    const requests = Array.from({ length: 8 }, (_, i) => api.post('/api/bookings', bookingRequest(session.slots[1 + (i % 3)].id)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await proxy.down();
    const answers = await Promise.all(requests);
    for (const answer of answers) expect([201, 409, 503]).toContain(answer.status);
    await proxy.up();
    expect(await eventually(async () => (await api.get('/health')).status === 200)).toBe(true);
    // Every booking answered 201 is there; none is half-written (seats match confirmed bookings).
    const created = answers.filter((answer) => answer.status === 201).map((answer) => answer.body.id);
    const found = await direct.dataSource.query('SELECT count(*)::int AS n FROM bookings WHERE id = ANY($1)', [created]);
    expect(found[0].n).toBe(created.length);
    const drift = await direct.dataSource.query(
      `SELECT count(*)::int AS n FROM slots s WHERE s.booked <> (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'confirmed')`,
    );
    expect(drift[0].n).toBe(0);
  });

  it('keeps a booking whose acknowledgement was lost after the commit, and hands it, with its manage token, to the retry with the same Idempotency-Key', async () => {
    expect(await eventually(async () => (await api.get('/health')).status === 200)).toBe(true);
    const sessions = await listSessions(api);
    const slot = sessions[1].slots[0];
    const body = bookingRequest(slot.id, { attendee: { name: 'Coupée après le commit', email: 'apres-commit@asso.test' } });
    const headers = { 'idempotency-key': `"${randomUUID()}"` };

    const cut = proxy.cutAfterCommitOf('INSERT INTO bookings');
    const first = await api.request('POST', '/api/bookings', { body, headers });
    await cut;
    expect([first.status, first.body.code]).toEqual([503, 'service_unavailable']);
    const stored: Array<{ id: string }> = await direct.dataSource.query(`SELECT id FROM bookings WHERE attendee_email = 'apres-commit@asso.test'`);
    expect(stored).toHaveLength(1);

    await proxy.up();
    expect(await eventually(async () => (await api.get('/health')).status === 200)).toBe(true);
    const retry = await api.request('POST', '/api/bookings', { body, headers });
    expect([retry.status, retry.body.id, retry.body.status]).toEqual([201, stored[0].id, 'confirmed']);
    expect((await api.get(`/api/bookings/${retry.body.id}`, retry.body.manageToken)).status).toBe(200);

    // Whoever knows only the e-mail and the slot gets no manage token.
    const withoutKey = await api.post('/api/bookings', body);
    expect([withoutKey.status, withoutKey.body.code, withoutKey.body.manageToken]).toEqual([409, 'already_booked', undefined]);
    const again = await direct.dataSource.query(`SELECT count(*)::int AS n FROM bookings WHERE attendee_email = 'apres-commit@asso.test'`);
    expect(again[0].n).toBe(1);
    const confirmations = await direct.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE booking_id = $1 AND kind = 'booking_confirmed'`, [
      stored[0].id,
    ]);
    expect(confirmations[0].n).toBe(1);
  });
});
