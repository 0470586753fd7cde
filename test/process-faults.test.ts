import { Client as PgClient } from 'pg';
import { bookingRequest } from './support/factories';
import { createTestDatabase, dropDatabase, urlFor } from './support/databases';
import { ServiceProcess, startServiceProcess } from './support/service-process';
import { TestSmtpServer } from './support/smtp';

/**
 * The built service as its own process, stopped by SIGTERM or killed by SIGKILL at the worst moment:
 * while a booking waits on its slot's row lock, or between handing an e-mail to SMTP and recording
 * that it was sent.
 */
describe('the service process under SIGTERM and SIGKILL', () => {
  let database: string;
  let pg: PgClient;
  const processes: ServiceProcess[] = [];

  async function start(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = await startServiceProcess({ DATABASE_URL: urlFor(database), OUTBOX_POLL_MS: '0', ...env });
    processes.push(service);
    return service;
  }
  /** The slots of the n-th coming session: each test takes its own session. */
  async function slotsOf(service: ServiceProcess, n: number): Promise<string[]> {
    // The process runs on the real clock: a session under way today is skipped.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const response = await fetch(`${service.baseUrl}/api/permanences?from=${day(0)}&to=${day(200)}`);
    const sessions = (await response.json()) as Array<{ startsAt: string; slots: Array<{ id: string }> }>;
    return sessions.filter((session) => Date.parse(session.startsAt) > Date.now() + 3_600_000)[n].slots.map((slot) => slot.id);
  }
  const post = (service: ServiceProcess, body: unknown) =>
    fetch(`${service.baseUrl}/api/bookings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** Holds a slot's row lock, as a long transaction would, until the returned function is called. */
  async function holdSlot(slotId: string): Promise<() => Promise<void>> {
    await pg.query('BEGIN');
    await pg.query('SELECT id FROM slots WHERE id = $1 FOR UPDATE', [slotId]);
    return async () => {
      await pg.query('COMMIT');
    };
  }
  async function waitingOnLocks(): Promise<number> {
    // Asked inside holdSlot's transaction: PostgreSQL would answer every call from the statistics
    // snapshot of the first (stats_fetch_consistency = cache), never seeing the booking arrive.
    await pg.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'rendez-vous-ess' AND wait_event_type = 'Lock'`,
    );
    return rows[0].n;
  }
  async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  async function consistency(): Promise<{ drift: number; withoutMessage: number }> {
    const drift = await pg.query(
      `SELECT count(*)::int AS n FROM slots s WHERE s.booked <> (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'confirmed')`,
    );
    const withoutMessage = await pg.query(
      `SELECT count(*)::int AS n FROM bookings b WHERE NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.booking_id = b.id AND m.kind = 'booking_confirmed')`,
    );
    return { drift: drift.rows[0].n, withoutMessage: withoutMessage.rows[0].n };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    pg = new PgClient({ connectionString: urlFor(database) });
    await pg.connect();
  });

  afterAll(async () => {
    for (const service of processes) await service.stop();
    await pg?.end();
    if (database) await dropDatabase(database);
  });

  it('on SIGTERM stops accepting, finishes the booking in flight, closes its connections and exits 0', async () => {
    const service = await start();
    const [slot] = await slotsOf(service, 0);
    const release = await holdSlot(slot);
    const inFlight = post(service, bookingRequest(slot, { attendee: { name: 'En vol', email: 'en-vol@asso.test' } }));
    await until(async () => (await waitingOnLocks()) === 1);

    service.child.kill('SIGTERM');
    await until(() => service.output().includes('finishing the requests in flight'));
    // No new connection is accepted, and the process waits for the booking.
    await expect(fetch(`${service.baseUrl}/health`)).rejects.toThrow();
    expect(service.child.exitCode).toBeNull();

    await release();
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    expect(await service.exited).toBe(0);
    const { rows } = await pg.query(`SELECT status FROM bookings WHERE attendee_email = 'en-vol@asso.test'`);
    expect(rows).toEqual([{ status: 'confirmed' }]);
    // Its pool is closed: no session of the service is left holding anything.
    const sessions = await pg.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'rendez-vous-ess'`,
    );
    expect(sessions.rows[0].n).toBe(0);
    expect(await consistency()).toEqual({ drift: 0, withoutMessage: 0 });
  });

  it('killed with bookings in flight: each is whole or absent, and a new process serves at once', async () => {
    const service = await start();
    const slots = await slotsOf(service, 1);
    const release = await holdSlot(slots[0]);
    const requests = [
      ...Array.from({ length: 3 }, (_, i) => post(service, bookingRequest(slots[0], { attendee: { name: `Kill ${i}`, email: `kill${i}@asso.test` } }))),
      ...Array.from({ length: 3 }, (_, i) =>
        post(service, bookingRequest(slots[1 + i], { attendee: { name: `Kill other ${i}`, email: `kill-other${i}@asso.test` } })),
      ),
    ].map((request) =>
      request.then(
        (response) => response.status,
        () => 'no answer' as const,
      ),
    );
    await until(async () => (await waitingOnLocks()) >= 1);

    service.child.kill('SIGKILL');
    expect(await service.exited).toBe('SIGKILL');
    await release();
    const answers = await Promise.all(requests);
    // Whatever each request's fate, the database holds whole bookings only: a seat for each, and the
    // confirmation e-mail of each in the outbox (so a person whose answer was lost still learns of it).
    expect(await consistency()).toEqual({ drift: 0, withoutMessage: 0 });
    const stored = await pg.query(`SELECT attendee_email FROM bookings WHERE attendee_email LIKE 'kill%'`);
    const answered201 = answers.filter((status) => status === 201).length;
    expect(stored.rows.length).toBeGreaterThanOrEqual(answered201);
    // At most one of the three on the held slot got it (capacity 1).
    expect(stored.rows.filter((row) => /^kill\d@/.test(row.attendee_email)).length).toBeLessThanOrEqual(1);

    const next = await start();
    const free = (await slotsOf(next, 2))[3];
    const booked = await post(next, bookingRequest(free, { attendee: { name: 'Après', email: 'apres-kill@asso.test' } }));
    expect(booked.status).toBe(201);
  });

  it('killed between SMTP and "sent": the message goes again after the lease, with the same Message-ID', async () => {
    const smtp = await new TestSmtpServer().start();
    // The earlier tests' messages are not this test's concern.
    await pg.query(`UPDATE outbox_messages SET status = 'sent', sent_at = now() WHERE status = 'pending'`);
    try {
      const sender = await start({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100' });
      // The SMTP server has the message; the sender dies before it can record it as sent.
      smtp.onMessage = (mail) => {
        if (mail.envelopeTo.includes('deux-fois@asso.test')) sender.child.kill('SIGKILL');
      };
      const [slot] = await slotsOf(sender, 2);
      expect((await post(sender, bookingRequest(slot, { attendee: { name: 'Deux fois', email: 'deux-fois@asso.test' } }))).status).toBe(201);
      expect(await sender.exited).toBe('SIGKILL');
      smtp.onMessage = null;
      const first = smtp.to('deux-fois@asso.test');
      expect(first).toHaveLength(1);
      const { rows } = await pg.query(`SELECT status, locked_until IS NOT NULL AS leased FROM outbox_messages WHERE recipient = 'deux-fois@asso.test'`);
      expect(rows).toEqual([{ status: 'pending', leased: true }]);

      // Five minutes later, the dead sender's lease has run out; another instance sends it.
      await pg.query(`UPDATE outbox_messages SET locked_until = now() - interval '1 second' WHERE recipient = 'deux-fois@asso.test'`);
      await start({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100' });
      await until(() => smtp.to('deux-fois@asso.test').length === 2);
      const [a, b] = smtp.to('deux-fois@asso.test');
      // Same Message-ID: mail servers and clients keep one copy.
      expect(b.parsed.messageId).toBe(a.parsed.messageId);
      expect(b.parsed.subject).toBe(a.parsed.subject);
      await until(async () => (await pg.query(`SELECT status FROM outbox_messages WHERE recipient = 'deux-fois@asso.test'`)).rows[0].status === 'sent');
    } finally {
      await smtp.stop();
    }
  });
});
