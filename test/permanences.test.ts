import { DateTime } from 'luxon';
import { client, Client } from './support/http';
import { PermanencesService } from '../src/permanences/permanences.service';
import { adminToken, bookingRequest, listSessions } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** The last Thursday of each month from `from`, computed independently of the service. */
function lastThursdays(from: string, months: number): string[] {
  const start = DateTime.fromISO(from, { zone: 'Europe/Paris' }).startOf('month');
  return Array.from({ length: months }, (_, i) => {
    let day = start.plus({ months: i }).endOf('month').startOf('day');
    while (day.weekday !== 4) day = day.minus({ days: 1 });
    return day.toISODate()!;
  });
}

function parisWallClock(instant: string): string {
  return DateTime.fromISO(instant, { zone: 'Europe/Paris' }).toFormat('HH:mm');
}

describe('permanence calendar', () => {
  describe('on a fresh database (now 2026-11-27, default settings)', () => {
    let app: TestApp;
    let api: Client;

    beforeAll(async () => {
      app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
      api = client(app.baseUrl);
    });
    afterAll(() => app.close());

    it('lists the last Thursday of every month for the 12-month horizon, from today on', async () => {
      const sessions = await listSessions(api, '2026-11-01', '2027-12-31');
      // 2026-11-26 is yesterday: the horizon starts with December.
      expect(sessions.map((session) => session.date)).toEqual(lastThursdays('2026-12-01', 12));
      expect(sessions.every((session) => session.status === 'scheduled')).toBe(true);
    });

    it('holds every session 09:00–13:00 Paris wall-clock, whatever the offset of the day', async () => {
      const sessions = await listSessions(api, '2026-12-01', '2027-11-30');
      for (const session of sessions) {
        expect([session.date, parisWallClock(session.startsAt), parisWallClock(session.endsAt)]).toEqual([session.date, '09:00', '13:00']);
      }
      // Winter (UTC+1) and summer (UTC+2) both appear in the horizon.
      const offsets = new Set(sessions.map((session) => session.startsAt.slice(11, 16)));
      expect(offsets).toEqual(new Set(['08:00', '07:00']));
    });

    it('splits each session into four 60-minute slots at one desk, each with one free seat', async () => {
      const [session] = await listSessions(api, '2026-12-31', '2026-12-31');
      expect(session.slots.map((slot) => [parisWallClock(slot.startsAt), parisWallClock(slot.endsAt)])).toEqual([
        ['09:00', '10:00'],
        ['10:00', '11:00'],
        ['11:00', '12:00'],
        ['12:00', '13:00'],
      ]);
      expect(session.slots.every((slot) => slot.capacity === 1 && slot.available === 1 && slot.advisor === undefined)).toBe(true);
      expect(session).toMatchObject({ timeZone: 'Europe/Paris', location: expect.any(String) });
    });

    it('lists from today for three months by default', async () => {
      const sessions = await listSessions(api);
      expect(sessions.map((session) => session.date)).toEqual(['2026-12-31', '2027-01-28', '2027-02-25']);
    });

    it('generates nothing twice, even when several generators run at once', async () => {
      const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM permanence_sessions`);
      const created = await Promise.all([app.generator.extendHorizon(), app.generator.extendHorizon(), app.generator.extendHorizon()]);
      expect(created).toEqual([0, 0, 0]);
      const after = await app.dataSource.query(`SELECT count(*)::int AS n FROM permanence_sessions`);
      expect(after[0].n).toBe(before[0].n);
      const slots = await app.dataSource.query(`SELECT count(*)::int AS n FROM slots`);
      expect(slots[0].n).toBe(before[0].n * 4);
    });

    it('extends the horizon as time passes, once per new month, with concurrent runs', async () => {
      app.clock.set('2027-02-15T10:00:00Z');
      const created = await Promise.all([app.generator.extendHorizon(), app.generator.extendHorizon()]);
      // From 2027-11-27 to 2028-02-15 the new last Thursdays are 2027-12-30 and 2028-01-27.
      expect(created.sort()).toEqual([0, 2]);
      const sessions = await listSessions(api, '2027-12-01', '2028-02-29');
      expect(sessions.map((session) => session.date)).toEqual(['2027-12-30', '2028-01-27']);
      app.clock.set('2026-11-27T10:00:00Z');
    });

    it('shows no seat as available once a slot has begun', async () => {
      app.clock.set('2026-12-31T09:30:00Z'); // 10:30 in Paris
      const [session] = await listSessions(api, '2026-12-31', '2026-12-31');
      expect(session.slots.map((slot) => slot.available)).toEqual([0, 0, 1, 1]);
      app.clock.set('2026-11-27T10:00:00Z');
    });

    it('offers, instead of a slot that can no longer be booked, the free slots left that day and those of the next session with any', async () => {
      const permanences = app.app.get(PermanencesService);
      const ids = async (date: string) => (await listSessions(api, date, date))[0].slots.map((slot) => slot.id);
      const [december, january, february, march] = [await ids('2026-12-31'), await ids('2027-01-28'), await ids('2027-02-25'), await ids('2027-03-25')];
      for (const slotId of [december[0], december[1], ...january]) expect((await api.post('/api/bookings', bookingRequest(slotId))).status).toBe(201);
      const around = async (slotId: string) => {
        const { sameDay, nextSession } = await permanences.freeAround(slotId);
        return { sameDay: sameDay.map((session) => session.slots.map((slot) => slot.id)), nextSession: nextSession?.slots.map((slot) => slot.id) ?? null };
      };
      // January is full: the next session with a free time is February's.
      expect(await around(december[0])).toEqual({ sameDay: [[december[2], december[3]]], nextSession: february });
      // 11:30 in Paris: the 11:00 slot has begun and is no longer offered.
      app.clock.set('2026-12-31T10:30:00Z');
      expect(await around(december[0])).toEqual({ sameDay: [[december[3]]], nextSession: february });
      app.clock.set('2026-11-27T10:00:00Z');
      // A cancelled session offers nothing, neither as the same day nor as the next one.
      const [februarySession] = await listSessions(api, '2027-02-25', '2027-02-25');
      expect((await api.post(`/api/permanences/${februarySession.id}/cancel`, { reason: 'Salle indisponible' }, await adminToken(api))).status).toBe(200);
      expect(await around(february[0])).toEqual({ sameDay: [], nextSession: march });
      expect(await around(december[0])).toEqual({ sameDay: [[december[2], december[3]]], nextSession: march });
    });
  });

  describe.each([
    ['cancel', { date: '2025-12-25', status: 'cancelled', statusReason: 'Noël' }],
    ['previous_week', { date: '2025-12-18', status: 'scheduled', originalDate: '2025-12-25' }],
  ])('around Christmas 2025 with HOLIDAY_POLICY=%s', (policy, expected) => {
    let app: TestApp;
    let api: Client;

    beforeAll(async () => {
      app = await startTestApp({ now: '2025-11-01T10:00:00Z', env: { HOLIDAY_POLICY: policy } });
      api = client(app.baseUrl);
    });
    afterAll(() => app.close());

    it('places the session that falls on Christmas Day as the policy says, and leaves the others', async () => {
      const sessions = await listSessions(api, '2025-11-01', '2026-01-31');
      expect(sessions.map((session) => session.date)).toEqual(['2025-11-27', expected.date, '2026-01-29']);
      expect(sessions[1]).toMatchObject(expected);
      expect(sessions[0]).toMatchObject({ status: 'scheduled' });
      expect(sessions[0].originalDate).toBeUndefined();
      if (expected.status === 'scheduled') {
        expect(parisWallClock(sessions[1].startsAt)).toBe('09:00');
      }
    });

    it('refuses to book a cancelled session with a clear 422, or books the moved one', async () => {
      const [session] = await listSessions(api, '2025-12-01', '2025-12-31');
      const response = await api.post('/api/bookings', {
        slotId: session.slots[0].id,
        attendee: { name: 'Camille', email: 'camille@asso.test' },
        organisation: { name: 'Asso' },
        consent: true,
      });
      if (expected.status === 'cancelled') {
        expect(response.status).toBe(422);
        expect(response.body).toMatchObject({ code: 'session_cancelled', detail: expect.stringContaining('Noël') });
        expect(session.slots.every((slot) => slot.available === 0)).toBe(true);
      } else {
        expect([response.status, response.body.code]).toEqual([201, undefined]);
      }
    });
  });

  describe('with HOLIDAY_POLICY=next_week', () => {
    let app: TestApp;
    let api: Client;

    beforeAll(async () => {
      app = await startTestApp({ now: '2025-04-15T10:00:00Z', env: { HOLIDAY_POLICY: 'next_week' } });
      api = client(app.baseUrl);
    });
    afterAll(() => app.close());

    it('moves Ascension 2025 a week later, and cancels Christmas whose next week is New Year', async () => {
      const sessions = await listSessions(api, '2025-05-01', '2026-01-31');
      const may = sessions.find((session) => session.originalDate === '2025-05-29');
      expect(may).toMatchObject({ date: '2025-06-05', status: 'scheduled' });
      const december = sessions.find((session) => session.date === '2025-12-25');
      expect(december).toMatchObject({ status: 'cancelled', statusReason: 'Noël' });
    });
  });
});
