import { OutboxSender } from '../src/notifications/outbox-sender.service';
import { bookingRequest, listSessions } from './support/factories';
import { client, Client } from './support/http';
import { TestSmtpServer } from './support/smtp';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, TestApp } from './support/test-app';
import { urlFor } from './support/databases';

/** Asks until `check` passes or `ms` are over. */
async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/**
 * The service reaches PostgreSQL through a relay the test controls: frozen (nothing relayed, nothing
 * closed, as in a network cut or a hung server), or cut for a moment (a blip).
 */
describe('PostgreSQL not answering under the service', () => {
  let direct: TestApp;
  let proxied: TestApp;
  let proxy: TcpProxy;
  let smtp: TestSmtpServer;
  let api: Client;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    direct = await startTestApp();
    const target = new URL(urlFor(direct.database!));
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).up();
    target.hostname = '127.0.0.1';
    target.port = String(proxy.port);
    // The default timeouts: the ones production runs with.
    proxied = await startTestApp({ sameDatabaseAs: direct, env: { DATABASE_URL: target.toString(), DATABASE_POOL_SIZE: '4', SMTP_URL: smtp.url } });
    api = client(proxied.baseUrl);
  });

  afterAll(async () => {
    proxy?.thaw();
    await proxy?.up().catch(() => undefined);
    await proxied?.close();
    await proxy?.down();
    await direct?.close();
    await smtp?.stop();
  });

  it('answers every request 503 problem+json within seconds while the connection is frozen, leaves nothing half-written, and recovers', async () => {
    expect((await api.get('/health')).status).toBe(200);
    const [session] = await listSessions(api);

    proxy.freeze();
    const started = Date.now();
    const ask = (path: string, body?: unknown) =>
      fetch(`${proxied.baseUrl}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        // Without bounds the requests wait for as long as the cut lasts: give up on them well before the test's timeout.
        signal: AbortSignal.timeout(30_000),
      }).then(
        async (response) => ({
          status: response.status,
          type: response.headers.get('content-type'),
          code: ((await response.json()) as { code: string }).code,
          after: Date.now() - started,
        }),
        () => ({ status: 'no answer', type: null, code: null, after: Date.now() - started }),
      );
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) =>
        ask('/api/bookings', bookingRequest(session.slots[i % 3].id, { attendee: { name: `Gel ${i}`, email: `gel${i}@asso.test` } })),
      ),
      ask('/health'),
    ]);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 503, code: 'service_unavailable' });
      expect(answer.type).toContain('application/problem+json');
      // The default bounds: 5 s for a connection, 6 s for an answer (see DatabaseTimeouts).
      expect(answer.after).toBeLessThan(15_000);
    }

    proxy.thaw();
    expect(await eventually(async () => (await api.get('/health')).status === 200)).toBe(true);
    // A statement still in the cut connection may reach the server once it flows again, as TCP delivers
    // what was sent before a close: such a booking is whole (its seat, its confirmation e-mail to come),
    // and the person asking again is told it exists (409).
    const drift = await direct.dataSource.query(
      `SELECT count(*)::int AS n FROM slots s WHERE s.booked <> (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'confirmed')`,
    );
    expect(drift[0].n).toBe(0);
    const withoutMessage = await direct.dataSource.query(
      `SELECT count(*)::int AS n FROM bookings b WHERE b.attendee_email LIKE 'gel%'
       AND NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.booking_id = b.id AND m.kind = 'booking_confirmed')`,
    );
    expect(withoutMessage[0].n).toBe(0);
    const after = await api.post('/api/bookings', bookingRequest(session.slots[3].id, { attendee: { name: 'Après le gel', email: 'apres-gel@asso.test' } }));
    expect(after.status).toBe(201);
  });

  it('sends an e-mail once when the database blips right after SMTP accepted it, and records it as sent', async () => {
    const [, session] = await listSessions(client(direct.baseUrl));
    const booked = await client(direct.baseUrl).post(
      '/api/bookings',
      bookingRequest(session.slots[0].id, { attendee: { name: 'Coupure', email: 'blip@asso.test' } }),
    );
    expect(booked.status).toBe(201);
    // The earlier test's messages are not this test's concern.
    await direct.dataSource.query(`UPDATE outbox_messages SET status = 'sent', sent_at = now() WHERE status = 'pending' AND recipient <> 'blip@asso.test'`);

    // The mail server has the message; the database goes away before the sender records it, for 1.5 s.
    const blip: { restored?: Promise<unknown> } = {};
    smtp.onMessage = (mail) => {
      if (blip.restored || !mail.envelopeTo.includes('blip@asso.test')) return;
      blip.restored = proxy
        .down()
        .then(() => new Promise((resolve) => setTimeout(resolve, 1_500)))
        .then(() => proxy.up());
    };
    const sender = proxied.app.get(OutboxSender);
    await sender.drain().catch(() => 0);
    smtp.onMessage = null;
    expect(blip.restored).toBeDefined();
    await blip.restored;

    // Long after any lease or retry delay, rounds find nothing more to send.
    proxied.clock.set(new Date(proxied.clock.now().getTime() + 3 * 3_600_000));
    expect(await eventually(async () => (await api.get('/health')).status === 200)).toBe(true);
    await sender.drain();
    expect(smtp.to('blip@asso.test')).toHaveLength(1);
    const rows = await direct.dataSource.query(`SELECT status, last_error AS "lastError" FROM outbox_messages WHERE recipient = 'blip@asso.test'`);
    expect(rows).toEqual([{ status: 'sent', lastError: null }]);
  });
});
