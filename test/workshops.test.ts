import { adminToken, createStaff, createWorkshop, login, registrationRequest, WorkshopView } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

describe('statute workshops', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });
  afterAll(() => app.close());

  const register = (workshop: WorkshopView, overrides: Record<string, unknown> = {}) => api.post('/api/bookings', registrationRequest(workshop.id, overrides));
  const listed = async (workshop: WorkshopView) => (await api.get(`/api/workshops/${workshop.id}`)).body as WorkshopView;
  const positions = async (workshop: WorkshopView) =>
    ((await api.get(`/api/workshops/${workshop.id}/registrations`, admin)).body as Array<{ id: string; status: string; waitlistPosition: number | null }>)
      .filter((registration) => registration.status === 'waitlisted')
      .map((registration) => [registration.id, registration.waitlistPosition]);
  async function outboxKinds(bookingId: string): Promise<string[]> {
    const rows = await app.dataSource.query(`SELECT kind FROM outbox_messages WHERE booking_id = $1 ORDER BY seq`, [bookingId]);
    return rows.map((row: { kind: string }) => row.kind);
  }

  it('lets only an admin create a workshop, and lists it publicly with its seats', async () => {
    const advisor = await createStaff(api, admin, 'advisor');
    const refused = await api.post(
      '/api/workshops',
      { title: 'x', startsAt: '2027-01-01T09:00:00Z', endsAt: '2027-01-01T12:00:00Z', location: 'x', capacity: 5 },
      await login(api, advisor.email, advisor.password),
    );
    expect([refused.status, refused.body.code]).toEqual([403, 'forbidden']);
    const workshop = await createWorkshop(api, admin, { startsAt: '2027-01-14T09:00:00+01:00', endsAt: '2027-01-14T12:30:00+01:00' });
    expect(workshop).toMatchObject({
      capacity: 20,
      available: 20,
      waitlisted: 0,
      status: 'open',
      timeZone: 'Europe/Paris',
      startsAt: '2027-01-14T08:00:00.000Z',
    });
    expect(workshop.registrationClosesAt).toBe(workshop.startsAt);
    const list = await api.get('/api/workshops?from=2027-01-01&to=2027-01-31');
    expect(list.body.map((listedWorkshop: WorkshopView) => listedWorkshop.id)).toEqual([workshop.id]);
  });

  it('accepts RFC 3339 instants with six or nine fraction digits, as Python, PostgreSQL and Go write them', async () => {
    const response = await api.post(
      '/api/workshops',
      { title: 'x', startsAt: '2027-01-21T09:00:00.123456+01:00', endsAt: '2027-01-21T11:30:00.987654321Z', location: 'x', capacity: 5 },
      admin,
    );
    expect([response.status, response.body.startsAt, response.body.endsAt]).toEqual([201, '2027-01-21T08:00:00.123Z', '2027-01-21T11:30:00.987Z']);
    const moved = await api.patch(`/api/workshops/${response.body.id}`, { registrationClosesAt: '2027-01-20T18:00:00.000000Z' }, admin);
    expect([moved.status, moved.body.registrationClosesAt]).toEqual([200, '2027-01-20T18:00:00.000Z']);
  });

  it('refuses incoherent workshop dates with field errors', async () => {
    const response = await api.post(
      '/api/workshops',
      { title: 'x', startsAt: '2027-01-14T12:00:00+01:00', endsAt: '2027-01-14T09:00:00+01:00', location: 'x', capacity: 5 },
      admin,
    );
    expect([response.status, response.body.code, response.body.errors[0].field]).toEqual([400, 'validation_failed', 'endsAt']);
    const past = await api.post(
      '/api/workshops',
      { title: 'x', startsAt: '2026-01-14T09:00:00+01:00', endsAt: '2026-01-14T12:00:00+01:00', location: 'x', capacity: 5 },
      admin,
    );
    expect([past.status, past.body.errors[0].field]).toEqual([400, 'startsAt']);
  });

  it('confirms while seats remain, then waitlists with 1-based positions', async () => {
    const workshop = await createWorkshop(api, admin, { capacity: 2 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await register(workshop)).body);
    expect(statuses.map((booking) => [booking.status, booking.waitlistPosition])).toEqual([
      ['confirmed', undefined],
      ['confirmed', undefined],
      ['waitlisted', 1],
      ['waitlisted', 2],
      ['waitlisted', 3],
    ]);
    expect(statuses[0]).toMatchObject({ workshopId: workshop.id, workshopTitle: workshop.title, slotId: null, startsAt: workshop.startsAt });
    expect(await listed(workshop)).toMatchObject({ available: 0, waitlisted: 3, status: 'full' });
    expect(await outboxKinds(statuses[0].id)).toEqual(['workshop_confirmed']);
    expect(await outboxKinds(statuses[2].id)).toEqual(['workshop_waitlisted']);
  });

  it('gives a cancelled seat to the first person waiting, in the same transaction, and closes up the line', async () => {
    const workshop = await createWorkshop(api, admin, { capacity: 1 });
    const [seated, first, second, third] = [
      (await register(workshop)).body,
      (await register(workshop)).body,
      (await register(workshop)).body,
      (await register(workshop)).body,
    ];
    const cancelled = await api.post(`/api/bookings/${seated.id}/cancel`, {}, seated.manageToken);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: 'attendee' });
    const promoted = await api.get(`/api/bookings/${first.id}`, first.manageToken);
    expect(promoted.body).toMatchObject({ status: 'confirmed', promotedAt: '2026-11-27T10:00:00.000Z' });
    expect(promoted.body.waitlistPosition).toBeUndefined();
    expect(await positions(workshop)).toEqual([
      [second.id, 1],
      [third.id, 2],
    ]);
    expect((await api.get(`/api/bookings/${third.id}`, third.manageToken)).body.waitlistPosition).toBe(2);
    expect(await outboxKinds(first.id)).toEqual(['workshop_waitlisted', 'workshop_promoted']);
    expect(await listed(workshop)).toMatchObject({ available: 0, waitlisted: 2 });
  });

  it('lets a waitlisted person leave the line with their token; the others move up', async () => {
    const workshop = await createWorkshop(api, admin, { capacity: 1 });
    await register(workshop);
    const [a, b, c] = [(await register(workshop)).body, (await register(workshop)).body, (await register(workshop)).body];
    const left = await api.post(`/api/bookings/${b.id}/cancel`, {}, b.manageToken);
    expect(left.body.status).toBe('cancelled');
    expect(await positions(workshop)).toEqual([
      [a.id, 1],
      [c.id, 2],
    ]);
    expect(await listed(workshop)).toMatchObject({ available: 0, waitlisted: 2 });
    // Leaving twice changes nothing.
    expect((await api.post(`/api/bookings/${b.id}/cancel`, {}, b.manageToken)).body.status).toBe('cancelled');
    expect(await listed(workshop)).toMatchObject({ waitlisted: 2 });
  });

  it('promotes as many as a raised capacity allows, and refuses to drop anybody when lowering it', async () => {
    const workshop = await createWorkshop(api, admin, { capacity: 2 });
    const bookings = [];
    for (let i = 0; i < 6; i++) bookings.push((await register(workshop)).body);
    const raised = await api.patch(`/api/workshops/${workshop.id}`, { capacity: 5 }, admin);
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ capacity: 5, available: 0, waitlisted: 1 });
    const statuses = await Promise.all(bookings.map(async (booking) => (await api.get(`/api/bookings/${booking.id}`, booking.manageToken)).body.status));
    expect(statuses).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'waitlisted']);
    const lowered = await api.patch(`/api/workshops/${workshop.id}`, { capacity: 4 }, admin);
    expect([lowered.status, lowered.body.code, lowered.body.errors[0].field]).toEqual([422, 'capacity_below_confirmed', 'capacity']);
    expect(await listed(workshop)).toMatchObject({ capacity: 5, waitlisted: 1 });
  });

  it('answers 409 workshop_full when the waitlist is off', async () => {
    const workshop = await createWorkshop(api, admin, { capacity: 1, waitlistEnabled: false });
    expect((await register(workshop)).status).toBe(201);
    const full = await register(workshop);
    expect([full.status, full.body.code]).toEqual([409, 'workshop_full']);
    expect(await listed(workshop)).toMatchObject({ available: 0, waitlisted: 0, status: 'full' });
  });

  it('refuses the same e-mail twice, whatever its case, but lets one organisation send several people', async () => {
    const workshop = await createWorkshop(api, admin);
    const organisation = { name: 'Coop Exemple', siret: '73282932000074' };
    expect((await register(workshop, { attendee: { name: 'A', email: 'a@coop.test' }, organisation })).status).toBe(201);
    expect((await register(workshop, { attendee: { name: 'B', email: 'b@coop.test' }, organisation })).status).toBe(201);
    const twice = await register(workshop, { attendee: { name: 'A', email: 'A@Coop.test' }, organisation });
    expect([twice.status, twice.body.code]).toEqual([409, 'already_booked']);
  });

  it('applies a per-organisation limit, by SIRET or else by name', async () => {
    const workshop = await createWorkshop(api, admin, { organisationLimit: 2 });
    const bySiret = { name: 'Coop', siret: '73282932000074' };
    expect((await register(workshop, { organisation: bySiret })).status).toBe(201);
    expect((await register(workshop, { organisation: { ...bySiret, name: 'Autre nom' } })).status).toBe(201);
    const third = await register(workshop, { organisation: bySiret });
    expect([third.status, third.body.code]).toEqual([409, 'organisation_limit_reached']);
    const byName = { name: 'Association Solidaire' };
    expect((await register(workshop, { organisation: byName })).status).toBe(201);
    expect((await register(workshop, { organisation: { name: ' association solidaire ' } })).status).toBe(201);
    expect((await register(workshop, { organisation: byName })).body.code).toBe('organisation_limit_reached');
  });

  it('refuses a registration before the window opens and after it closes', async () => {
    const workshop = await createWorkshop(api, admin, { registrationOpensAt: '2026-12-01T08:00:00Z', registrationClosesAt: '2027-03-10T18:00:00+01:00' });
    expect(workshop.status).toBe('closed');
    const early = await register(workshop);
    expect([early.status, early.body.code]).toEqual([422, 'registration_not_open']);
    app.clock.set('2026-12-01T08:00:00Z');
    expect((await register(workshop)).status).toBe(201);
    app.clock.set('2027-03-10T17:00:00Z');
    const late = await register(workshop);
    expect([late.status, late.body.code]).toEqual([422, 'registration_closed']);
    expect(await listed(workshop)).toMatchObject({ status: 'closed' });
    app.clock.set('2026-11-27T10:00:00Z');
  });

  it('cancels a workshop with its reason: every registration is cancelled and each person is to be told', async () => {
    const workshop = await createWorkshop(api, admin, { capacity: 1 });
    const [seated, waiting] = [(await register(workshop)).body, (await register(workshop)).body];
    const response = await api.post(`/api/workshops/${workshop.id}/cancel`, { reason: 'Intervenante indisponible' }, admin);
    expect(response.body).toMatchObject({ status: 'cancelled', statusReason: 'Intervenante indisponible', available: 0, waitlisted: 0 });
    for (const booking of [seated, waiting]) {
      const held = await api.get(`/api/bookings/${booking.id}`, booking.manageToken);
      expect(held.body).toMatchObject({
        status: 'cancelled',
        cancelledBy: 'staff',
        cancelReason: 'Intervenante indisponible',
        attention: 'workshop_cancelled',
      });
      expect((await outboxKinds(booking.id)).pop()).toBe('workshop_cancelled');
    }
    const after = await register(workshop);
    expect([after.status, after.body.code]).toEqual([422, 'workshop_cancelled']);
  });

  it('marks confirmed registrations when the workshop moves, so their holders are told', async () => {
    const workshop = await createWorkshop(api, admin);
    const booking = (await register(workshop)).body;
    const moved = await api.patch(`/api/workshops/${workshop.id}`, { startsAt: '2027-03-25T09:00:00+01:00', endsAt: '2027-03-25T12:30:00+01:00' }, admin);
    expect(moved.body).toMatchObject({ startsAt: '2027-03-25T08:00:00.000Z', registrationClosesAt: '2027-03-25T08:00:00.000Z' });
    expect((await api.get(`/api/bookings/${booking.id}`, booking.manageToken)).body).toMatchObject({
      attention: 'workshop_changed',
      startsAt: '2027-03-25T08:00:00.000Z',
    });
    expect(await outboxKinds(booking.id)).toEqual(['workshop_confirmed', 'workshop_changed']);
  });

  it('refuses to reschedule a workshop registration, and a booking naming both a slot and a workshop', async () => {
    const workshop = await createWorkshop(api, admin);
    const booking = (await register(workshop)).body;
    const moved = await api.post(`/api/bookings/${booking.id}/reschedule`, { slotId: '00000000-0000-4000-8000-000000000000' }, booking.manageToken);
    expect([moved.status, moved.body.code]).toEqual([422, 'not_reschedulable']);
    const both = await api.post('/api/bookings', { ...registrationRequest(workshop.id), slotId: '00000000-0000-4000-8000-000000000000' });
    expect([both.status, both.body.code]).toEqual([400, 'validation_failed']);
    const unknown = await api.post('/api/bookings', registrationRequest('00000000-0000-4000-8000-000000000000'));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'workshop_not_found']);
  });
});
