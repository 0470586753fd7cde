import { adminToken, bookingRequest, createStaff, firstOpenSession, ListedSession, listSessions } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** Runs only on real PostgreSQL (test/run.js leaves it out of the embedded run): concurrency is proven there. */
describe('booking under concurrent requests on PostgreSQL', () => {
  let first: TestApp;
  let second: TestApp;
  let api: Client;
  let other: Client;
  let session: ListedSession;

  beforeAll(async () => {
    first = await startTestApp();
    // A second instance of the service on the same database: the guarantee must not live in memory.
    second = await startTestApp({ sameDatabaseAs: first });
    api = client(first.baseUrl);
    other = client(second.baseUrl);
    session = await firstOpenSession(api);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  async function seats(slotId: string) {
    const [row] = await first.dataSource.query(
      `SELECT sl.booked, (SELECT count(*)::int FROM bookings b WHERE b.slot_id = sl.id AND b.status = 'confirmed') AS confirmed FROM slots sl WHERE sl.id = $1`,
      [slotId],
    );
    return row;
  }

  it('gives the last seat to exactly one of 50 parallel bookings across two instances; the others get 409 slot_full', async () => {
    const slotId = session.slots[0].id;
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? api : other).post('/api/bookings', bookingRequest(slotId))));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    expect(responses.filter((response) => response.status === 409).every((response) => response.body.code === 'slot_full')).toBe(true);
    expect(await seats(slotId)).toEqual({ booked: 1, confirmed: 1 });
    const outbox = await first.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_messages o JOIN bookings b ON b.id = o.booking_id WHERE b.slot_id = $1`,
      [slotId],
    );
    expect(outbox[0].n).toBe(1);
  });

  it('lets one of 20 parallel requests with the same e-mail through, the others get already_booked or slot_full', async () => {
    const slotId = session.slots[1].id;
    const request = bookingRequest(slotId);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? api : other).post('/api/bookings', request)));
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 409)).toHaveLength(19);
    expect(await seats(slotId)).toEqual({ booked: 1, confirmed: 1 });
  });

  it('keeps seats exact when cancellations, reschedules and bookings race on the same slots', async () => {
    const later = (await listSessions(api, '2027-01-01', '2027-01-31'))[0];
    const [a, b] = [later.slots[0].id, later.slots[1].id];
    const holder = (await api.post('/api/bookings', bookingRequest(a))).body;
    // The holder moves from a to b while 10 others rush for b and then a, and the holder cancels.
    const rush = await Promise.all([
      api.post(`/api/bookings/${holder.id}/reschedule`, { slotId: b }, holder.manageToken),
      ...Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? api : other).post('/api/bookings', bookingRequest(i < 5 ? b : a))),
      other.post(`/api/bookings/${holder.id}/cancel`, {}, holder.manageToken),
    ]);
    expect(rush.every((response) => response.status < 500)).toBe(true);
    for (const slotId of [a, b]) {
      const { booked, confirmed } = await seats(slotId);
      expect(booked).toBe(confirmed);
      expect(booked).toBeLessThanOrEqual(1);
    }
    const [state] = await first.dataSource.query(`SELECT status FROM bookings WHERE id = $1`, [holder.id]);
    expect(state.status).toBe('cancelled');
  });

  it('leaves no confirmed booking on a session an admin cancels while 20 people are booking it', async () => {
    const admin = await adminToken(api);
    const advisors = await Promise.all(Array.from({ length: 5 }, () => createStaff(api, admin, 'advisor')));
    const march = (await listSessions(api, '2027-03-01', '2027-03-31'))[0];
    const staffed = await api.put(`/api/permanences/${march.id}/advisors`, { advisorIds: advisors.map((advisor) => advisor.id) }, admin);
    const slots: Array<{ id: string }> = staffed.body.slots;
    expect(slots).toHaveLength(20);
    const responses = await Promise.all([
      ...slots.slice(0, 10).map((slot, i) => (i % 2 === 0 ? api : other).post('/api/bookings', bookingRequest(slot.id))),
      other.post(`/api/permanences/${march.id}/cancel`, { reason: 'Fermeture exceptionnelle' }, admin),
      ...slots.slice(10).map((slot, i) => (i % 2 === 0 ? other : api).post('/api/bookings', bookingRequest(slot.id))),
    ]);
    const cancel = responses[10];
    expect([cancel.status, cancel.body.status]).toEqual([200, 'cancelled']);
    const bookings = responses.filter((response) => response !== cancel);
    expect(bookings).toHaveLength(20);
    expect(bookings.every((response) => response.status === 201 || (response.status === 422 && response.body.code === 'session_cancelled'))).toBe(true);
    const [state] = await first.dataSource.query(
      `SELECT (SELECT count(*)::int FROM bookings b JOIN slots sl ON sl.id = b.slot_id WHERE sl.session_id = $1 AND b.status = 'confirmed') AS confirmed,
              (SELECT sum(booked)::int FROM slots WHERE session_id = $1) AS booked,
              (SELECT count(*)::int FROM slots WHERE session_id = $1 AND bookable) AS bookable`,
      [march.id],
    );
    expect(state).toEqual({ confirmed: 0, booked: 0, bookable: 0 });
    // Whoever got a 201 before the cancellation is to be told it was cancelled.
    const booked = bookings.filter((response) => response.status === 201).map((response) => response.body.id);
    const told = await first.dataSource.query(`SELECT booking_id FROM outbox_messages WHERE kind = 'session_cancelled' AND booking_id = ANY($1::uuid[])`, [
      booked,
    ]);
    expect(told).toHaveLength(booked.length);
  });

  it('refuses, in PostgreSQL itself, a seat count beyond capacity whatever the application does', async () => {
    const slotId = session.slots[0].id;
    await expect(first.dataSource.query(`UPDATE slots SET booked = capacity + 1 WHERE id = $1`, [slotId])).rejects.toThrow(/slots_booked_within_capacity/);
  });
});
