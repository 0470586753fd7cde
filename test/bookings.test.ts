import { createHash } from 'node:crypto';
import { bookingRequest, createStaff, adminToken, firstOpenSession, ListedSession, listSessions } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

describe('booking a permanence slot', () => {
  let app: TestApp;
  let api: Client;
  let session: ListedSession;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    session = await firstOpenSession(api);
  });
  afterAll(() => app.close());

  async function count(table: string): Promise<number> {
    const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
    return row.n;
  }

  it('books a free slot: 201 with the booking, its times and a manage token given once', async () => {
    const request = bookingRequest(session.slots[0].id);
    const response = await api.post('/api/bookings', request);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      status: 'confirmed',
      slotId: session.slots[0].id,
      startsAt: session.slots[0].startsAt,
      endsAt: session.slots[0].endsAt,
      timeZone: 'Europe/Paris',
      attendee: { name: request.attendee.name, email: request.attendee.email, phone: '04 77 00 00 00' },
      organisation: { name: request.organisation.name, siret: '73282932000074', legalForm: 'association', postcode: '42000' },
      topics: ['legal_status', 'responsible_purchasing'],
      manageToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(response.body.manageUrl).toBe(`http://localhost:3000/reservations/${response.body.id}?token=${response.body.manageToken}`);
    const listed = await listSessions(api, session.date, session.date);
    expect(listed[0].slots[0].available).toBe(0);
  });

  it('stores only the hash of the manage token, and records the confirmation to send', async () => {
    const response = await api.post('/api/bookings', bookingRequest(session.slots[1].id));
    const [row] = await app.dataSource.query(`SELECT manage_token_hash, ical_uid, sequence, consent_at FROM bookings WHERE id = $1`, [response.body.id]);
    expect(row.manage_token_hash.equals(createHash('sha256').update(response.body.manageToken).digest())).toBe(true);
    expect(JSON.stringify(await app.dataSource.query(`SELECT * FROM bookings WHERE id = $1`, [response.body.id]))).not.toContain(response.body.manageToken);
    expect(row).toMatchObject({ ical_uid: `${response.body.id}@rendez-vous-ess`, sequence: 0 });
    expect(row.consent_at.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    const outbox = await app.dataSource.query(`SELECT kind, recipient, status FROM outbox_messages WHERE booking_id = $1`, [response.body.id]);
    expect(outbox).toEqual([{ kind: 'booking_confirmed', recipient: response.body.attendee.email, status: 'pending' }]);
  });

  it('answers 409 slot_full for a slot already taken, and writes nothing', async () => {
    const before = [await count('bookings'), await count('outbox_messages')];
    const response = await api.post('/api/bookings', bookingRequest(session.slots[0].id));
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 409, code: 'slot_full', title: expect.any(String), detail: expect.any(String) });
    expect([await count('bookings'), await count('outbox_messages')]).toEqual(before);
  });

  it('answers 409 already_booked for the same e-mail twice on one slot, whatever its case', async () => {
    const first = bookingRequest(session.slots[2].id, { attendee: { name: 'Dominique', email: 'dominique@coop.test' } });
    expect((await api.post('/api/bookings', first)).status).toBe(201);
    const twice = await api.post('/api/bookings', { ...first, attendee: { name: 'Dominique', email: 'Dominique@Coop.TEST' } });
    expect([twice.status, twice.body.code]).toEqual([409, 'already_booked']);
  });

  it('gives each advisor staffing a session a desk with its own slots', async () => {
    const admin = await adminToken(api);
    const advisors = [await createStaff(api, admin, 'advisor', 'Alice Conseil'), await createStaff(api, admin, 'advisor', 'Bruno Conseil')];
    const staffed = await api.put(`/api/permanences/${session.id}/advisors`, { advisorIds: advisors.map((advisor) => advisor.id) }, admin);
    expect(staffed.status).toBe(200);
    const elevenOClock = staffed.body.slots.filter((slot: { startsAt: string }) => slot.startsAt === session.slots[2].startsAt);
    expect(elevenOClock.map((slot: { advisor: { name: string } }) => slot.advisor.name).sort()).toEqual(['Alice Conseil', 'Bruno Conseil']);
    // The existing desk (with its booking) went to one advisor; the other desk is free at 11:00.
    expect(elevenOClock.map((slot: { available: number }) => slot.available).sort()).toEqual([0, 1]);
    const free = elevenOClock.find((slot: { available: number }) => slot.available === 1);
    const sameEmailOtherDesk = await api.post('/api/bookings', bookingRequest(free.id, { attendee: { name: 'Dominique', email: 'dominique@coop.test' } }));
    expect(sameEmailOtherDesk.status).toBe(201);
    const outbox = await app.dataSource.query(`SELECT kind, recipient FROM outbox_messages WHERE booking_id = $1 ORDER BY kind`, [sameEmailOtherDesk.body.id]);
    const advisorEmail = advisors.find((advisor) => advisor.name === sameEmailOtherDesk.body.advisor.name)!.email;
    expect(outbox).toEqual([
      { kind: 'advisor_slot_booked', recipient: advisorEmail },
      { kind: 'booking_confirmed', recipient: 'dominique@coop.test' },
    ]);
  });

  it('refuses a slot that has begun with 422 slot_in_past', async () => {
    app.clock.set(new Date(new Date(session.slots[3].startsAt).getTime() + 60_000));
    const response = await api.post('/api/bookings', bookingRequest(session.slots[3].id));
    app.clock.set('2026-11-27T10:00:00Z');
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('slot_in_past');
  });

  it('answers 404 slot_not_found for an unknown slot', async () => {
    const response = await api.post('/api/bookings', bookingRequest('00000000-0000-4000-8000-000000000000'));
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('slot_not_found');
  });

  describe('with the manage token', () => {
    let booking: { id: string; manageToken: string; slotId: string };
    let later: ListedSession;

    beforeAll(async () => {
      later = (await listSessions(api, '2027-01-01', '2027-01-31'))[0];
      booking = (await api.post('/api/bookings', bookingRequest(later.slots[0].id))).body;
    });

    it('reads the booking with ?token= or a Bearer token, never returning the token', async () => {
      for (const response of [
        await api.get(`/api/bookings/${booking.id}?token=${booking.manageToken}`),
        await api.get(`/api/bookings/${booking.id}`, booking.manageToken),
      ]) {
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ id: booking.id, status: 'confirmed', slotId: later.slots[0].id });
        expect(response.text).not.toContain(booking.manageToken);
      }
    });

    it('refuses a wrong token as if the booking did not exist, and asks for a missing one', async () => {
      const wrong = await api.get(`/api/bookings/${booking.id}?token=${booking.manageToken.slice(0, -2)}xx`);
      expect([wrong.status, wrong.body.code]).toEqual([404, 'booking_not_found']);
      const missing = await api.get(`/api/bookings/${booking.id}`);
      expect([missing.status, missing.body.code]).toEqual([401, 'token_required']);
    });

    it('reschedules atomically: the new slot is taken and the old one freed, with a new SEQUENCE', async () => {
      const response = await api.post(`/api/bookings/${booking.id}/reschedule?token=${booking.manageToken}`, { slotId: later.slots[1].id });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: booking.id, slotId: later.slots[1].id, startsAt: later.slots[1].startsAt, status: 'confirmed' });
      const [listed] = await listSessions(api, later.date, later.date);
      expect(listed.slots.map((slot) => slot.available)).toEqual([1, 0, 1, 1]);
      const [row] = await app.dataSource.query(`SELECT sequence, ical_uid FROM bookings WHERE id = $1`, [booking.id]);
      expect(row).toEqual({ sequence: 1, ical_uid: `${booking.id}@rendez-vous-ess` });
      const outbox = await app.dataSource.query(`SELECT kind FROM outbox_messages WHERE booking_id = $1 ORDER BY seq`, [booking.id]);
      expect(outbox.map((message: { kind: string }) => message.kind)).toEqual(['booking_confirmed', 'booking_rescheduled']);
    });

    it('keeps the booking where it is when the new slot is full', async () => {
      const other = await api.post('/api/bookings', bookingRequest(later.slots[2].id));
      expect(other.status).toBe(201);
      const response = await api.post(`/api/bookings/${booking.id}/reschedule`, { slotId: later.slots[2].id }, booking.manageToken);
      expect([response.status, response.body.code]).toEqual([409, 'slot_full']);
      const [listed] = await listSessions(api, later.date, later.date);
      expect(listed.slots.map((slot) => slot.available)).toEqual([1, 0, 0, 1]);
      const current = await api.get(`/api/bookings/${booking.id}`, booking.manageToken);
      expect(current.body.slotId).toBe(later.slots[1].id);
    });

    it('refuses to reschedule onto the same slot or one that has begun', async () => {
      const same = await api.post(`/api/bookings/${booking.id}/reschedule`, { slotId: later.slots[1].id }, booking.manageToken);
      expect([same.status, same.body.code]).toEqual([422, 'same_slot']);
      app.clock.set(new Date(new Date(session.slots[3].startsAt).getTime() + 1000));
      const past = await api.post(`/api/bookings/${booking.id}/reschedule`, { slotId: session.slots[3].id }, booking.manageToken);
      app.clock.set('2026-11-27T10:00:00Z');
      expect([past.status, past.body.code]).toEqual([422, 'slot_in_past']);
      const current = await api.get(`/api/bookings/${booking.id}`, booking.manageToken);
      expect(current.body.slotId).toBe(later.slots[1].id);
    });

    it('cancels idempotently: the seat is freed once, and a second cancel answers the same', async () => {
      const first = await api.post(`/api/bookings/${booking.id}/cancel`, {}, booking.manageToken);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'cancelled', cancelledBy: 'attendee', cancelledAt: '2026-11-27T10:00:00.000Z' });
      const second = await api.post(`/api/bookings/${booking.id}/cancel?token=${booking.manageToken}`, {});
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      const [listed] = await listSessions(api, later.date, later.date);
      expect(listed.slots.map((slot) => slot.available)).toEqual([1, 1, 0, 1]);
      const cancels = await app.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE booking_id = $1 AND kind = 'booking_cancelled'`, [
        booking.id,
      ]);
      expect(cancels[0].n).toBe(1);
    });

    it('refuses to reschedule a cancelled booking', async () => {
      const response = await api.post(`/api/bookings/${booking.id}/reschedule`, { slotId: later.slots[3].id }, booking.manageToken);
      expect([response.status, response.body.code]).toEqual([422, 'booking_cancelled']);
    });
  });

  it('lets staff cancel a booking without its token, recording that staff did', async () => {
    const later = (await listSessions(api, '2027-02-01', '2027-02-28'))[0];
    const booking = (await api.post('/api/bookings', bookingRequest(later.slots[0].id))).body;
    const admin = await adminToken(api);
    const response = await api.post(`/api/bookings/${booking.id}/cancel`, { reason: 'Doublon' }, admin);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'cancelled', cancelledBy: 'staff', cancelReason: 'Doublon' });
    const viewer = await createStaff(api, admin, 'viewer');
    const login = await api.post('/api/auth/login', { email: viewer.email, password: viewer.password });
    const forbidden = await api.post(`/api/bookings/${booking.id}/cancel`, {}, login.body.accessToken);
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'forbidden']);
  });
});
