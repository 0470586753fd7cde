import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

describe('the advisors’ day: agenda and attendance', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let alice: { id: string; email: string; password: string; token: string };
  let bruno: { id: string; email: string; password: string; token: string };

  /** Moves the clock, and signs everybody in again (tokens last 8 hours). */
  async function at(instant: string): Promise<void> {
    app.clock.set(instant);
    admin = await adminToken(api);
    alice.token = await login(api, alice.email, alice.password);
    bruno.token = await login(api, bruno.email, bruno.password);
  }
  const bookings: Record<string, { id: string; manageToken: string }> = {};

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    const [a, b] = [await createStaff(api, admin, 'advisor', 'Alice Conseil'), await createStaff(api, admin, 'advisor', 'Bruno Conseil')];
    alice = { ...a, token: await login(api, a.email, a.password) };
    bruno = { ...b, token: await login(api, b.email, b.password) };
    const [december] = await listSessions(api, '2026-12-31', '2026-12-31');
    const staffed = (await api.put(`/api/permanences/${december.id}/advisors`, { advisorIds: [alice.id, bruno.id] }, admin)).body;
    const aliceSlots = staffed.slots.filter((slot: { advisor: { id: string } }) => slot.advisor.id === alice.id);
    const brunoSlots = staffed.slots.filter((slot: { advisor: { id: string } }) => slot.advisor.id === bruno.id);
    bookings.first = (
      await api.post(
        '/api/bookings',
        bookingRequest(aliceSlots[0].id, {
          attendee: { name: 'Camille', email: 'camille@asso.test' },
          organisation: { name: 'Coop A', legalForm: 'cooperative' },
          topics: ['legal_status'],
          message: 'Passage en SCIC',
        }),
      )
    ).body;
    bookings.third = (
      await api.post('/api/bookings', bookingRequest(aliceSlots[2].id, { attendee: { name: 'Dominique', email: 'dominique@asso.test' } }))
    ).body;
    bookings.bruno = (await api.post('/api/bookings', bookingRequest(brunoSlots[1].id, { attendee: { name: 'Eve', email: 'eve@asso.test' } }))).body;
    const workshop = await createWorkshop(api, admin, { capacity: 1, startsAt: '2026-12-31T14:00:00+01:00', endsAt: '2026-12-31T17:30:00+01:00' });
    bookings.seated = (await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Farid', email: 'farid@asso.test' } }))).body;
    bookings.waiting = (await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Gaëlle', email: 'gaelle@asso.test' } }))).body;
  });
  afterAll(() => app.close());

  it('shows an advisor their own desk and every workshop of the day, in time order, with the bookings', async () => {
    const response = await api.get('/api/agenda?date=2026-12-31', alice.token);
    expect(response.status).toBe(200);
    const { items, counts, advisor } = response.body;
    expect(advisor).toEqual({ id: alice.id, name: 'Alice Conseil' });
    expect(items.map((item: { type: string; startsAt: string }) => [item.type, item.startsAt])).toEqual([
      ['slot', '2026-12-31T08:00:00.000Z'],
      ['slot', '2026-12-31T09:00:00.000Z'],
      ['slot', '2026-12-31T10:00:00.000Z'],
      ['slot', '2026-12-31T11:00:00.000Z'],
      ['workshop', '2026-12-31T13:00:00.000Z'],
    ]);
    expect(items[0].bookings).toEqual([
      expect.objectContaining({
        status: 'confirmed',
        attendee: { name: 'Camille', email: 'camille@asso.test', phone: null },
        organisation: expect.objectContaining({ name: 'Coop A', legalForm: 'cooperative', legalFormLabel: 'Coopérative (SCOP, SCIC, CAE…)' }),
        topics: ['legal_status'],
        message: 'Passage en SCIC',
        attendance: null,
        attendanceRecordedBy: null,
        attendanceRecordedAt: null,
      }),
    ]);
    expect(items[1]).toMatchObject({ free: 1, bookings: [] });
    expect(items[4].bookings.map((booking: { status: string; waitlistPosition?: number }) => [booking.status, booking.waitlistPosition])).toEqual([
      ['confirmed', undefined],
      ['waitlisted', 1],
    ]);
    expect(counts).toMatchObject({ slots: 4, bookedSlots: 2, freeSlots: 2, workshops: 1, registrations: 1, waitlisted: 1, bookings: 3, unrecorded: 3 });
    expect(JSON.stringify(items)).not.toContain('eve@asso.test');
  });

  it('lets an admin see one advisor’s day or everybody’s, and keeps advisors to their own', async () => {
    const everybody = await api.get('/api/agenda?date=2026-12-31', admin);
    expect(everybody.body.items.filter((item: { type: string }) => item.type === 'slot')).toHaveLength(8);
    const brunoDay = await api.get(`/api/agenda?date=2026-12-31&advisorId=${bruno.id}`, admin);
    expect(brunoDay.body.advisor.name).toBe('Bruno Conseil');
    expect(brunoDay.body.counts.bookedSlots).toBe(1);
    const nosy = await api.get(`/api/agenda?date=2026-12-31&advisorId=${bruno.id}`, alice.token);
    expect([nosy.status, nosy.body.code]).toEqual([403, 'forbidden']);
    expect((await api.get('/api/agenda')).status).toBe(401);
    const viewer = await createStaff(api, admin, 'viewer');
    expect((await api.get('/api/agenda', await login(api, viewer.email, viewer.password))).status).toBe(403);
    const bad = await api.get('/api/agenda?date=2026-12-32', alice.token);
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'date']);
  });

  it('refuses attendance before the event has started', async () => {
    const early = await api.put(`/api/bookings/${bookings.first.id}/attendance`, { status: 'present' }, alice.token);
    expect([early.status, early.body.code]).toEqual([422, 'event_not_started']);
  });

  it('records attendance once started, keeps who and when, and lets it be corrected', async () => {
    await at('2026-12-31T08:05:00Z');
    const recorded = await api.put(`/api/bookings/${bookings.first.id}/attendance`, { status: 'absent' }, alice.token);
    expect(recorded.status).toBe(200);
    expect(recorded.body).toEqual({
      id: bookings.first.id,
      attendance: 'absent',
      attendanceNote: null,
      recordedBy: { id: alice.id, name: 'Alice Conseil' },
      recordedAt: '2026-12-31T08:05:00.000Z',
    });
    await at('2026-12-31T08:20:00Z');
    const corrected = await api.put(`/api/bookings/${bookings.first.id}/attendance`, { status: 'present', note: 'Arrivée en retard' }, alice.token);
    expect(corrected.body).toMatchObject({ attendance: 'present', attendanceNote: 'Arrivée en retard', recordedAt: '2026-12-31T08:20:00.000Z' });
    const [row] = await app.dataSource.query(`SELECT attendance, attendance_recorded_by AS "by" FROM bookings WHERE id = $1`, [bookings.first.id]);
    expect(row).toEqual({ attendance: 'present', by: alice.id });
    const day = await api.get('/api/agenda?date=2026-12-31', alice.token);
    expect(day.body.counts).toMatchObject({ present: 1, unrecorded: 2 });
    const shown = day.body.items
      .flatMap((item: { bookings: { id: string }[] }) => item.bookings)
      .find((booking: { id: string }) => booking.id === bookings.first.id);
    expect(shown).toMatchObject({
      attendance: 'present',
      attendanceNote: 'Arrivée en retard',
      attendanceRecordedBy: { id: alice.id, name: 'Alice Conseil' },
      attendanceRecordedAt: '2026-12-31T08:20:00.000Z',
    });
    await at('2026-11-27T10:00:00Z');
  });

  it('takes no attendance for a waitlisted or cancelled booking, nor from another desk’s advisor', async () => {
    await at('2026-12-31T15:00:00Z');
    const waiting = await api.put(`/api/bookings/${bookings.waiting.id}/attendance`, { status: 'present' }, alice.token);
    expect([waiting.status, waiting.body.code]).toEqual([422, 'attendance_not_applicable']);
    const otherDesk = await api.put(`/api/bookings/${bookings.bruno.id}/attendance`, { status: 'present' }, alice.token);
    expect([otherDesk.status, otherDesk.body.code]).toEqual([403, 'forbidden']);
    expect((await api.put(`/api/bookings/${bookings.bruno.id}/attendance`, { status: 'excused' }, admin)).status).toBe(200);
    expect((await api.put(`/api/bookings/${bookings.seated.id}/attendance`, { status: 'present' }, alice.token)).status).toBe(200);
    await at('2026-11-27T10:00:00Z');
    await api.post(`/api/bookings/${bookings.third.id}/cancel`, {}, bookings.third.manageToken);
    await at('2026-12-31T15:00:00Z');
    const cancelled = await api.put(`/api/bookings/${bookings.third.id}/attendance`, { status: 'present' }, alice.token);
    expect([cancelled.status, cancelled.body.code]).toEqual([422, 'attendance_not_applicable']);
    const invalid = await api.put(`/api/bookings/${bookings.first.id}/attendance`, { status: 'late' }, alice.token);
    expect([invalid.status, invalid.body.errors[0].field]).toEqual([400, 'status']);
    await at('2026-11-27T10:00:00Z');
  });
});
