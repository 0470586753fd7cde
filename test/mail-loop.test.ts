import { bookingRequest, listSessions } from './support/factories';
import { client } from './support/http';
import { TestSmtpServer } from './support/smtp';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The mail loop as it runs in production (OUTBOX_POLL_MS on), not driven by the test: a booking's
 * confirmation goes out within a few rounds, on PostgreSQL and on the embedded database, where the
 * loop's own queries keep the event loop busy and once made it wait for minutes.
 */
describe('the mail loop, running by itself', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ env: { SMTP_URL: smtp.url, OUTBOX_POLL_MS: '200' } });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  it('sends a confirmation within a few seconds of the booking, with no request waiting', async () => {
    const api = client(app.baseUrl);
    const [session] = await listSessions(api);
    const booked = await api.post('/api/bookings', bookingRequest(session.slots[0].id, { attendee: { name: 'Boucle', email: 'boucle@asso.test' } }));
    expect(booked.status).toBe(201);
    const deadline = Date.now() + 5_000;
    while (smtp.to('boucle@asso.test').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(smtp.to('boucle@asso.test')).toHaveLength(1);
  });
});
