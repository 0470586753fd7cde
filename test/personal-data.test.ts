import { CONSENT_VERSION } from '../src/bookings/consent';
import { OutboxSender } from '../src/notifications/outbox-sender.service';
import { PersonalDataService } from '../src/personal-data/personal-data.service';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { TestSmtpServer } from './support/smtp';
import { startTestApp, TestApp } from './support/test-app';

const CAMILLE = 'Camille.Martin@asso.test';

describe('personal data: consent, export, erasure, retention', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let smtp: TestSmtpServer;

  async function at(instant: string): Promise<void> {
    app.clock.set(instant);
    admin = await adminToken(api);
  }
  async function book(request: Record<string, unknown>): Promise<{ id: string; status: string; manageToken: string }> {
    const response = await api.post('/api/bookings', request);
    if (response.status !== 201) throw new Error(`booking failed: ${response.status} ${response.text}`);
    return response.body;
  }
  const camille = { attendee: { name: 'Camille Martin', email: CAMILLE, phone: '06 12 34 56 78' }, message: 'Nous passons en SCIC, avec Mme Dupont.' };

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ now: '2026-11-02T08:00:00Z', env: { SMTP_URL: smtp.url } });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  it('records the consent with its time and the version of the notice shown', async () => {
    const [session] = await listSessions(api, '2026-11-01', '2026-11-30');
    const booking = await book(bookingRequest(session.slots[0].id, camille));
    const [row] = await app.dataSource.query('SELECT consent_at, consent_version FROM bookings WHERE id = $1', [booking.id]);
    expect(row.consent_version).toBe(CONSENT_VERSION);
    expect(new Date(row.consent_at).toISOString()).toBe('2026-11-02T08:00:00.000Z');
    // The notice the booking page shows carries the same version.
    const page = await (await fetch(`${app.baseUrl}/donnees-personnelles`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain(CONSENT_VERSION);
    expect(page).toContain('24 mois');
  });

  it('exports everything held about one address, whatever its case, to admins only', async () => {
    await app.app.get(OutboxSender).drain();
    const response = await api.get(`/api/personal-data?email=${encodeURIComponent(CAMILLE.toLowerCase())}`, admin);
    expect(response.status).toBe(200);
    expect(response.body.bookings).toHaveLength(1);
    expect(response.body.bookings[0]).toMatchObject({
      status: 'confirmed',
      attendee: { name: 'Camille Martin', email: CAMILLE, phone: '06 12 34 56 78' },
      message: 'Nous passons en SCIC, avec Mme Dupont.',
      consent: { at: '2026-11-02T08:00:00.000Z', version: CONSENT_VERSION },
      event: { type: 'permanence', startsAt: '2026-11-26T08:00:00.000Z' },
    });
    expect(response.body.messages.map((message: { kind: string; status: string }) => [message.kind, message.status])).toEqual([['booking_confirmed', 'sent']]);

    const advisor = await createStaff(api, admin, 'advisor');
    expect((await api.get(`/api/personal-data?email=${CAMILLE}`, await login(api, advisor.email, advisor.password))).status).toBe(403);
    expect((await api.get('/api/personal-data?email=pas-une-adresse', admin)).status).toBe(400);
    expect((await api.get('/api/personal-data?email=personne@asso.test', admin)).body.bookings).toEqual([]);
  });

  it('erases an address: upcoming bookings cancelled through the engine, nothing more sent to it, everything anonymised', async () => {
    const workshop = await createWorkshop(api, admin, {
      title: 'Atelier complet',
      capacity: 1,
      startsAt: '2026-12-10T09:00:00+01:00',
      endsAt: '2026-12-10T12:00:00+01:00',
    });
    const seat = await book(registrationRequest(workshop.id, camille));
    expect(seat.status).toBe('confirmed');
    const waiting = await book(registrationRequest(workshop.id, { attendee: { name: 'Hugo Blanc', email: 'hugo@asso.test' } }));
    expect(waiting.status).toBe('waitlisted');
    await app.app.get(OutboxSender).drain();
    const mailsBefore = smtp.to(CAMILLE.toLowerCase()).length + smtp.to(CAMILLE).length;

    const erased = await api.post('/api/personal-data/erase', { email: ' camille.martin@ASSO.test ' }, admin);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ cancelledBookings: 2, anonymisedBookings: 2, droppedMessages: 2 });

    // The seat went to the person waiting, who is told; Camille is written to no more.
    const promoted = await api.get(`/api/bookings/${waiting.id}?token=${waiting.manageToken}`);
    expect(promoted.body.status).toBe('confirmed');
    await app.app.get(OutboxSender).drain();
    expect(smtp.to('hugo@asso.test').some((mail) => /place/i.test(mail.parsed.subject ?? ''))).toBe(true);
    expect(smtp.to(CAMILLE.toLowerCase()).length + smtp.to(CAMILLE).length).toBe(mailsBefore);

    // Nothing about the address is left: not in bookings, not in messages.
    expect((await api.get(`/api/personal-data?email=${CAMILLE}`, admin)).body).toMatchObject({ bookings: [], messages: [] });
    const leftovers = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM bookings WHERE attendee_name ILIKE '%Camille%' OR attendee_email ILIKE '%camille%' OR attendee_phone IS NOT NULL AND attendee_phone LIKE '06 12%' OR message ILIKE '%Dupont%'`,
    );
    expect(leftovers[0].n).toBe(0);
    expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE recipient ILIKE '%camille%'`))[0].n).toBe(0);
    // The figures keep the bookings: the organisation and the statuses stay.
    const kept = await app.dataSource.query(
      `SELECT status, organisation_name, anonymised_at IS NOT NULL AS anonymised FROM bookings WHERE id = ANY($1) ORDER BY status`,
      [[seat.id]],
    );
    expect(kept).toEqual([{ status: 'cancelled', organisation_name: expect.any(String), anonymised: true }]);
  });

  it('anonymises contact data RETENTION_MONTHS after the event, keeping the report’s figures', async () => {
    const [december] = await listSessions(api, '2026-12-01', '2026-12-31');
    const [january] = await listSessions(api, '2027-01-01', '2027-01-31');
    const old = await book(
      bookingRequest(december.slots[0].id, { attendee: { name: 'Ancienne Personne', email: 'ancienne@asso.test', phone: '04 00 00 00 01' } }),
    );
    const recent = await book(bookingRequest(january.slots[0].id, { attendee: { name: 'Récente Personne', email: 'recente@asso.test' } }));
    await at('2026-12-31T11:00:00Z');
    expect((await api.put(`/api/bookings/${old.id}/attendance`, { status: 'present', note: 'Très motivée' }, admin)).status).toBe(200);
    const range = 'from=2026-12-01&to=2027-01-31';

    // 24 months after the December permanence, but not yet after the January one. The figures are read at
    // the same moment before and after, since a permanence counts as held or scheduled by the clock.
    await at('2028-12-31T13:00:00Z');
    const before = (await api.get(`/api/reports/attendance?${range}`, admin)).body;
    expect(await app.app.get(PersonalDataService).anonymiseExpired()).toBeGreaterThanOrEqual(1);
    const rows = await app.dataSource.query(
      'SELECT id, attendee_name, attendee_email, attendee_phone, message, attendance, attendance_note FROM bookings WHERE id = ANY($1)',
      [[old.id, recent.id]],
    );
    const byId = new Map(rows.map((row: { id: string }) => [row.id, row]));
    expect(byId.get(old.id)).toMatchObject({
      attendee_name: 'Personne anonymisée',
      attendee_phone: null,
      message: null,
      attendance: 'present',
      attendance_note: null,
    });
    expect(byId.get(old.id)).toHaveProperty('attendee_email', expect.stringMatching(/@anonyme\.invalid$/));
    expect(byId.get(recent.id)).toMatchObject({ attendee_name: 'Récente Personne', attendee_email: 'recente@asso.test' });

    const after = (await api.get(`/api/reports/attendance?${range}`, admin)).body;
    expect(after.figures).toEqual(before.figures);
    expect(after.rows.map((row: { attendeeName: string }) => row.attendeeName)).toContain('Personne anonymisée');
    // A second run finds nothing more to do.
    expect(await app.app.get(PersonalDataService).anonymiseExpired()).toBe(0);
  });
});
