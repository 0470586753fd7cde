import { OutboxSender } from '../src/notifications/outbox-sender.service';
import { adminToken, bookingRequest, createWorkshop, listSessions, registrationRequest } from './support/factories';
import { client } from './support/http';
import { TestSmtpServer } from './support/smtp';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Two instances of the service on one database, as behind a load balancer: what must happen once
 * happens once, whichever instance does it and however their work interleaves.
 */
describe('two instances on one database', () => {
  let smtp: TestSmtpServer;
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    one = await startTestApp({ env: { SMTP_URL: smtp.url } });
    two = await startTestApp({ sameDatabaseAs: one, env: { SMTP_URL: smtp.url } });
  });

  afterAll(async () => {
    await two?.close();
    await one?.close();
    await smtp?.stop();
  });

  const setClocks = (instant: string) => {
    one.clock.set(instant);
    two.clock.set(instant);
  };

  it('bookings and registrations spread over both never overbook, and each e-mail and reminder goes once', async () => {
    const apis = [client(one.baseUrl), client(two.baseUrl)];
    const admin = await adminToken(apis[0]);
    const [session] = await listSessions(apis[0], '2026-12-01', '2026-12-31');
    const workshop = await createWorkshop(apis[1], admin, { capacity: 5, startsAt: '2026-12-17T09:00:00+01:00', endsAt: '2026-12-17T12:00:00+01:00' });
    // 4 slots × 6 people and 15 people for 5 seats, alternating instances, all at once.
    const requests = [
      ...session.slots.flatMap((slot, s) =>
        Array.from({ length: 6 }, (_, i) => bookingRequest(slot.id, { attendee: { name: `S${s}-${i}`, email: `s${s}-${i}@asso.test` } })),
      ),
      ...Array.from({ length: 15 }, (_, i) => registrationRequest(workshop.id, { attendee: { name: `W${i}`, email: `w${i}@asso.test` } })),
    ];
    const answers = await Promise.all(requests.map((request, i) => apis[i % 2].post('/api/bookings', request)));
    expect(answers.filter((answer) => answer.status === 201 && answer.body.slotId).length).toBe(4);
    expect(answers.filter((answer) => answer.status === 409).length).toBe(20);
    const registrations = answers.filter((answer) => answer.status === 201 && answer.body.workshopId);
    expect(registrations.filter((answer) => answer.body.status === 'confirmed').length).toBe(5);
    expect(
      registrations
        .filter((answer) => answer.body.status === 'waitlisted')
        .map((answer) => answer.body.waitlistPosition)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    const [counts] = await one.dataSource.query(
      `SELECT (SELECT count(*)::int FROM slots s WHERE s.booked <> (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'confirmed')) AS drift,
              (SELECT confirmed FROM workshops WHERE id = $1) AS confirmed, (SELECT waitlisted FROM workshops WHERE id = $1) AS waitlisted`,
      [workshop.id],
    );
    expect(counts).toEqual({ drift: 0, confirmed: 5, waitlisted: 10 });

    // Both senders drain at once: every message is sent by one of them, once.
    const [a, b] = await Promise.all([one.app.get(OutboxSender).drain(), two.app.get(OutboxSender).drain()]);
    const [{ n: messages }] = await one.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages`);
    expect(a + b).toBe(messages);
    const ids = smtp.received.map((mail) => mail.parsed.messageId);
    expect(ids).toHaveLength(messages);
    expect(new Set(ids).size).toBe(messages);

    // Less than 48 hours before every slot of the permanence (the last at 12:00 Paris), both instances
    // record the reminders at the same moment.
    setClocks('2026-12-29T12:00:00Z');
    const queued = await Promise.all([
      one.app.get(OutboxSender).queueReminders(),
      two.app.get(OutboxSender).queueReminders(),
      one.app.get(OutboxSender).queueReminders(),
    ]);
    expect(queued.reduce((sum, n) => sum + n, 0)).toBe(4);
    await Promise.all([one.app.get(OutboxSender).drain(), two.app.get(OutboxSender).drain()]);
    const reminders = smtp.received.filter((mail) => /rappel/i.test(mail.parsed.subject ?? ''));
    expect(reminders).toHaveLength(4);
    expect(new Set(reminders.map((mail) => mail.envelopeTo[0])).size).toBe(4);
  });

  it('extends the permanence horizon once when both instances run the daily job together', async () => {
    setClocks('2027-03-10T02:15:00Z');
    const [{ n: before }] = await one.dataSource.query(`SELECT count(*)::int AS n FROM permanence_sessions`);
    const created = await Promise.all([one.generator.extendHorizon(), two.generator.extendHorizon(), one.generator.daily(), two.generator.daily()]);
    const [{ n: after }] = await one.dataSource.query(`SELECT count(*)::int AS n FROM permanence_sessions`);
    // From 2027-11-27 to 2028-03-10: the last Thursdays of December, January and February.
    expect(after - before).toBe(3);
    // Whichever of the four calls takes the lock first generates them; the others find nothing to do.
    expect(created.reduce((sum: number, n) => sum + (n ?? Number.NaN), 0)).toBe(3);
    const [{ n: duplicates }] = await one.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT series_id, occurrence_date FROM permanence_sessions GROUP BY 1, 2 HAVING count(*) > 1) d`,
    );
    expect(duplicates).toBe(0);
  });
});
