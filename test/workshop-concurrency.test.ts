import { adminToken, createWorkshop, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** Runs only on real PostgreSQL (test/run.js leaves it out of the embedded run), with two instances. */
describe('workshop registration under concurrent requests on PostgreSQL', () => {
  let first: TestApp;
  let second: TestApp;
  let apis: Client[];
  let admin: string;

  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({ sameDatabaseAs: first });
    apis = [client(first.baseUrl), client(second.baseUrl)];
    admin = await adminToken(apis[0]);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  /** Every invariant of a workshop, read from the bookings themselves and compared with its counters. */
  async function invariants(workshopId: string) {
    const [state] = await first.dataSource.query(
      `SELECT w.capacity, w.confirmed, w.waitlisted,
              (SELECT count(*)::int FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'confirmed') AS "confirmedRows",
              (SELECT count(*)::int FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'waitlisted') AS "waitlistedRows",
              (SELECT count(DISTINCT b.waitlist_seq)::int FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'waitlisted') AS "distinctPlaces"
       FROM workshops w WHERE w.id = $1`,
      [workshopId],
    );
    return state;
  }

  it('gives 100 parallel registrations for 20 seats exactly 20 confirmed and 80 waitlisted at positions 1..80', async () => {
    const workshop = await createWorkshop(apis[0], admin, { capacity: 20 });
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => apis[i % 2].post('/api/bookings', registrationRequest(workshop.id))));
    expect(responses.every((response) => response.status === 201)).toBe(true);
    expect(responses.filter((response) => response.body.status === 'confirmed')).toHaveLength(20);
    const positions = responses.filter((response) => response.body.status === 'waitlisted').map((response) => response.body.waitlistPosition);
    expect(positions.sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(await invariants(workshop.id)).toEqual({ capacity: 20, confirmed: 20, waitlisted: 80, confirmedRows: 20, waitlistedRows: 80, distinctPlaces: 80 });
    const listed = (await apis[1].get(`/api/workshops/${workshop.id}/registrations`, admin)).body;
    expect(listed.filter((row: { status: string }) => row.status === 'waitlisted').map((row: { waitlistPosition: number }) => row.waitlistPosition)).toEqual(
      Array.from({ length: 80 }, (_, i) => i + 1),
    );
  });

  it('keeps every invariant while cancellations race registrations and a capacity change', async () => {
    const workshop = await createWorkshop(apis[0], admin, { capacity: 10 });
    const seated = [];
    for (let i = 0; i < 25; i++) seated.push((await apis[i % 2].post('/api/bookings', registrationRequest(workshop.id))).body);
    // 10 confirmed and 15 waiting. Now 12 of them cancel (confirmed and waiting alike) while 30 more register
    // and the capacity goes up to 14, all at once over both instances.
    const leaving = [...seated.slice(0, 6), ...seated.slice(14, 20)];
    const rush = await Promise.all([
      ...leaving.map((booking, i) => apis[i % 2].post(`/api/bookings/${booking.id}/cancel`, {}, booking.manageToken)),
      ...Array.from({ length: 30 }, (_, i) => apis[(i + 1) % 2].post('/api/bookings', registrationRequest(workshop.id))),
      apis[0].patch(`/api/workshops/${workshop.id}`, { capacity: 14 }, admin),
    ]);
    expect(rush.map((response) => response.status).filter((status) => status >= 300)).toEqual([]);
    const state = await invariants(workshop.id);
    expect(state).toEqual({
      capacity: 14,
      confirmed: 14,
      waitlisted: 25 + 30 - 12 - 14,
      confirmedRows: 14,
      waitlistedRows: 25 + 30 - 12 - 14,
      distinctPlaces: 25 + 30 - 12 - 14,
    });
    const listed = (await apis[0].get(`/api/workshops/${workshop.id}/registrations`, admin)).body;
    const positions = listed.filter((row: { status: string }) => row.status === 'waitlisted').map((row: { waitlistPosition: number }) => row.waitlistPosition);
    expect(positions).toEqual(Array.from({ length: state.waitlisted }, (_, i) => i + 1));
    // The people promoted are exactly the ones who waited longest.
    const promoted = await first.dataSource.query(
      `SELECT count(*)::int AS n FROM bookings WHERE workshop_id = $1 AND promoted_at IS NOT NULL AND status = 'confirmed'`,
      [workshop.id],
    );
    expect(promoted[0].n).toBeGreaterThan(0);
  });

  it('refuses, in PostgreSQL itself, a waitlist next to a free seat and more confirmed than seats', async () => {
    const workshop = await createWorkshop(apis[0], admin, { capacity: 3 });
    await expect(first.dataSource.query(`UPDATE workshops SET waitlisted = 1 WHERE id = $1`, [workshop.id])).rejects.toThrow(
      /workshops_no_wait_with_free_seat/,
    );
    await expect(first.dataSource.query(`UPDATE workshops SET confirmed = 4 WHERE id = $1`, [workshop.id])).rejects.toThrow(
      /workshops_confirmed_within_capacity/,
    );
  });
});
