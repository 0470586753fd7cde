import { DateTime } from 'luxon';
import { adminToken, bookingRequest, createStaff, ListedSession, listSessions, login } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const paris = (instant: string) => DateTime.fromISO(instant, { zone: 'Europe/Paris' }).toFormat('yyyy-MM-dd HH:mm');

describe('exceptions to the permanence series', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });
  afterAll(() => app.close());

  async function sessionOn(date: string): Promise<ListedSession> {
    const [session] = await listSessions(api, date, date);
    return session;
  }

  async function outboxFor(bookingId: string) {
    return app.dataSource.query(`SELECT kind, recipient, payload FROM outbox_messages WHERE booking_id = $1 ORDER BY seq`, [bookingId]);
  }

  it('keeps exceptions to admins: 401 without a token, 403 for an advisor', async () => {
    const session = await sessionOn('2026-12-31');
    const anonymous = await api.post(`/api/permanences/${session.id}/cancel`, { reason: 'x' });
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'unauthenticated']);
    const advisor = await createStaff(api, admin, 'advisor');
    const token = await login(api, advisor.email, advisor.password);
    const forbidden = await api.post(`/api/permanences/${session.id}/cancel`, { reason: 'x' }, token);
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'forbidden']);
    expect((await sessionOn('2026-12-31')).status).toBe('scheduled');
  });

  it('cancels a session with its reason: its bookings are cancelled and each attendee is to be told', async () => {
    const session = await sessionOn('2026-12-31');
    const booking = (await api.post('/api/bookings', bookingRequest(session.slots[0].id))).body;
    const response = await api.post(`/api/permanences/${session.id}/cancel`, { reason: 'Conseillère indisponible' }, admin);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'cancelled', statusReason: 'Conseillère indisponible' });
    expect(response.body.slots.every((slot: { available: number }) => slot.available === 0)).toBe(true);
    const held = await api.get(`/api/bookings/${booking.id}`, booking.manageToken);
    expect(held.body).toMatchObject({ status: 'cancelled', cancelledBy: 'staff', cancelReason: 'Conseillère indisponible', attention: 'session_cancelled' });
    expect(await outboxFor(booking.id)).toEqual([
      { kind: 'booking_confirmed', recipient: booking.attendee.email, payload: {} },
      { kind: 'session_cancelled', recipient: booking.attendee.email, payload: { reason: 'Conseillère indisponible' } },
    ]);
    const [seats] = await app.dataSource.query(`SELECT sum(booked)::int AS booked FROM slots WHERE session_id = $1`, [session.id]);
    expect(seats.booked).toBe(0);
    const again = await api.post(`/api/permanences/${session.id}/cancel`, { reason: 'Encore' }, admin);
    expect(again.body.statusReason).toBe('Conseillère indisponible');
    expect((await outboxFor(booking.id)).length).toBe(2);
  });

  it('moves a session to another date at the same wall-clock times, its bookings following', async () => {
    const session = await sessionOn('2027-03-25'); // before the switch to summer time (2027-03-28)
    const booking = (await api.post('/api/bookings', bookingRequest(session.slots[1].id))).body;
    const response = await api.post(`/api/permanences/${session.id}/move`, { date: '2027-04-01', reason: 'Salle indisponible' }, admin);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ date: '2027-04-01', originalDate: '2027-03-25', status: 'scheduled' });
    // Summer time now: same Paris hours, one hour earlier in UTC.
    expect([paris(response.body.startsAt), paris(response.body.endsAt)]).toEqual(['2027-04-01 09:00', '2027-04-01 13:00']);
    expect(response.body.slots.map((slot: { startsAt: string }) => paris(slot.startsAt))).toEqual([
      '2027-04-01 09:00',
      '2027-04-01 10:00',
      '2027-04-01 11:00',
      '2027-04-01 12:00',
    ]);
    const held = await api.get(`/api/bookings/${booking.id}`, booking.manageToken);
    expect(held.body).toMatchObject({ status: 'confirmed', attention: 'session_moved', startsAt: response.body.slots[1].startsAt });
    const [row] = await app.dataSource.query(`SELECT sequence FROM bookings WHERE id = $1`, [booking.id]);
    expect(row.sequence).toBe(1);
    expect((await outboxFor(booking.id)).map((message: { kind: string; payload: unknown }) => [message.kind, message.payload])).toEqual([
      ['booking_confirmed', {}],
      ['session_moved', { previousDate: '2027-03-25', date: '2027-04-01', reason: 'Salle indisponible' }],
    ]);
  });

  it('refuses to move a session into the past or onto its own date', async () => {
    const session = await sessionOn('2027-01-28');
    const past = await api.post(`/api/permanences/${session.id}/move`, { date: '2026-11-20' }, admin);
    expect([past.status, past.body.code, past.body.errors?.[0]?.field]).toEqual([400, 'validation_failed', 'date']);
    const same = await api.post(`/api/permanences/${session.id}/move`, { date: '2027-01-28' }, admin);
    expect([same.status, same.body.code]).toEqual([400, 'validation_failed']);
  });

  it('moves a session onto the spring-forward night: a start the switch skips begins at the switch, a slot it skips whole is refused', async () => {
    const night = await api.post('/api/permanences', { date: '2027-03-21', startTime: '02:30', endTime: '04:00', slotMinutes: 90 }, admin);
    expect(night.status).toBe(201);
    const moved = await api.post(`/api/permanences/${night.body.id}/move`, { date: '2027-03-28' }, admin);
    expect(moved.status).toBe(200);
    // 02:30 does not exist in Paris that night: the session and its slot start at the switch, 03:00 summer time.
    expect([paris(moved.body.startsAt), paris(moved.body.endsAt)]).toEqual(['2027-03-28 03:00', '2027-03-28 04:00']);
    expect(moved.body.slots.map((slot: { startsAt: string; endsAt: string }) => [paris(slot.startsAt), paris(slot.endsAt)])).toEqual([
      ['2027-03-28 03:00', '2027-03-28 04:00'],
    ]);

    const halves = await api.post('/api/permanences', { date: '2027-03-14', startTime: '02:30', endTime: '03:30', slotMinutes: 30 }, admin);
    expect(halves.status).toBe(201);
    // Its 02:30–03:00 slot would not exist at all: refused, not a 500, and nothing changed.
    const refused = await api.post(`/api/permanences/${halves.body.id}/move`, { date: '2027-03-28' }, admin);
    expect([refused.status, refused.body.code, refused.body.errors?.[0]?.field]).toEqual([400, 'validation_failed', 'date']);
    expect((await api.get(`/api/permanences/${halves.body.id}`)).body.date).toBe('2027-03-14');
  });

  it('adds an extra session outside the series, bookable like the others', async () => {
    const advisor = await createStaff(api, admin, 'advisor', 'Chloé Conseil');
    const response = await api.post(
      '/api/permanences',
      { date: '2027-02-11', startTime: '14:00', endTime: '16:00', slotMinutes: 30, location: 'Maison de l’ESS', advisorIds: [advisor.id] },
      admin,
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ date: '2027-02-11', location: 'Maison de l’ESS', status: 'scheduled' });
    expect(response.body.slots.map((slot: { startsAt: string }) => paris(slot.startsAt).slice(11))).toEqual(['14:00', '14:30', '15:00', '15:30']);
    expect(response.body.slots.every((slot: { advisor: { name: string } }) => slot.advisor.name === 'Chloé Conseil')).toBe(true);
    const listed = await listSessions(api, '2027-02-01', '2027-02-28');
    expect(listed.map((session) => session.date)).toEqual(['2027-02-11', '2027-02-25']);
    expect((await api.post('/api/bookings', bookingRequest(response.body.slots[0].id))).status).toBe(201);
  });

  it('refuses an unknown or deactivated advisor, and never drops a desk that holds bookings', async () => {
    const session = await sessionOn('2027-05-27');
    const unknown = await api.put(`/api/permanences/${session.id}/advisors`, { advisorIds: ['00000000-0000-4000-8000-000000000001'] }, admin);
    expect([unknown.status, unknown.body.code]).toEqual([422, 'advisor_invalid']);
    const [alice, bruno] = [await createStaff(api, admin, 'advisor'), await createStaff(api, admin, 'advisor')];
    const staffed = await api.put(`/api/permanences/${session.id}/advisors`, { advisorIds: [alice.id, bruno.id] }, admin);
    expect(staffed.body.slots).toHaveLength(8);
    const brunoSlot = staffed.body.slots.find((slot: { advisor: { id: string } }) => slot.advisor.id === bruno.id);
    expect((await api.post('/api/bookings', bookingRequest(brunoSlot.id))).status).toBe(201);
    const dropBruno = await api.put(`/api/permanences/${session.id}/advisors`, { advisorIds: [alice.id] }, admin);
    expect([dropBruno.status, dropBruno.body.code]).toEqual([422, 'desk_has_bookings']);
    expect((await sessionOn('2027-05-27')).slots).toHaveLength(8);
    // Handing Bruno's desk to another advisor keeps the booking.
    const chloe = await createStaff(api, admin, 'advisor');
    const handed = await api.put(`/api/permanences/${session.id}/advisors`, { advisorIds: [alice.id, chloe.id] }, admin);
    expect(handed.status).toBe(200);
    const slot = handed.body.slots.find((listed: { id: string }) => listed.id === brunoSlot.id);
    expect(slot).toMatchObject({ available: 0, advisor: { id: chloe.id } });
    await api.patch(`/api/users/${alice.id}`, { active: false }, admin);
    const inactive = await api.put(`/api/permanences/${session.id}/advisors`, { advisorIds: [alice.id, chloe.id] }, admin);
    expect([inactive.status, inactive.body.code]).toEqual([422, 'advisor_invalid']);
  });

  it('edits the series: new location for all sessions to come; new times only where nobody has booked', async () => {
    const [series] = (await api.get('/api/permanences/series', admin)).body;
    expect(series).toMatchObject({ rule: 'FREQ=MONTHLY;BYDAY=-1TH', startTime: '09:00', endTime: '13:00', slotMinutes: 60, timeZone: 'Europe/Paris' });
    const june = await sessionOn('2027-06-24');
    const booking = (await api.post('/api/bookings', bookingRequest(june.slots[0].id))).body;
    const response = await api.patch(
      `/api/permanences/series/${series.id}`,
      { startTime: '09:30', endTime: '12:30', slotMinutes: 45, location: 'Cité du design, Saint-Étienne' },
      admin,
    );
    expect(response.status).toBe(200);
    expect(response.body.series).toMatchObject({ startTime: '09:30', endTime: '12:30', slotMinutes: 45, location: 'Cité du design, Saint-Étienne' });
    expect(response.body.skippedSessions).toEqual(expect.arrayContaining([{ id: june.id, date: '2027-06-24', bookings: 1 }]));
    const july = await sessionOn('2027-07-29');
    expect(july.location).toBe('Cité du design, Saint-Étienne');
    expect(july.slots.map((slot) => paris(slot.startsAt).slice(11))).toEqual(['09:30', '10:15', '11:00', '11:45']);
    const keptJune = await sessionOn('2027-06-24');
    expect(keptJune.location).toBe('Cité du design, Saint-Étienne');
    expect(keptJune.slots.map((slot) => paris(slot.startsAt).slice(11))).toEqual(['09:00', '10:00', '11:00', '12:00']);
    expect((await outboxFor(booking.id)).map((message: { kind: string }) => message.kind)).toEqual(['booking_confirmed', 'session_changed']);
    // The moved session (an admin's own decision) keeps its place.
    expect((await sessionOn('2027-04-01')).slots.map((slot) => paris(slot.startsAt).slice(11))).toEqual(['09:00', '10:00', '11:00', '12:00']);
  });
});
