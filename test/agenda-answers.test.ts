import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { AgendaRepository } from '../src/agenda/agenda.repository';
import { UsersRepository } from '../src/auth/users.repository';
import { DatabaseSnapshot } from '../src/common/database-snapshot';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Each instance keeps the day's rows with their fingerprint, and the answers it made from them, and
 * the accounts of signed-in staff (src/agenda/agenda.service.ts, src/auth/auth.service.ts), with the
 * database snapshot they were read at (src/common/database-snapshot.ts). What must hold: nobody
 * gets another person's answer, no answer misses a change committed before the request — made
 * through this instance, another one, or straight in SQL — an account deactivated or revoked
 * anywhere is refused at once, and nothing is read again while nothing was committed.
 */
const DAY = '2026-12-31';

/** A GET as sent (no automatic decompression), to see the representation chosen. */
function rawGet(
  app: TestApp,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${app.baseUrl}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, bytes: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('agenda answers kept between requests', () => {
  let first: TestApp;
  let second: TestApp;
  let api: Client;
  let other: Client;
  let admin: string;
  let alice: { id: string; email: string; password: string; token: string };
  let bruno: { id: string; email: string; password: string; token: string };
  let aliceSlots: Array<{ id: string }>;
  let workshopId: string;
  const booked: Record<string, { id: string; manageToken: string }> = {};

  const agenda = async (app: TestApp, token: string, query = '') => {
    const response = await client(app.baseUrl).get(`/api/agenda?date=${DAY}${query}`, token);
    expect(response.status).toBe(200);
    return response;
  };
  /** The parts of GET /api/agenda's answer that the checks read. */
  interface AgendaAnswer {
    counts: { bookedSlots: number; registrations: number };
    items: Array<{
      id: string;
      type: string;
      title?: string;
      location?: string;
      free?: number;
      advisor: { name: string } | null;
      bookings: Array<Record<string, unknown>>;
    }>;
  }
  const bookingsOf = (body: { items: Array<{ bookings: Array<Record<string, unknown>> }> }) => body.items.flatMap((item) => item.bookings);

  beforeAll(async () => {
    first = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    second = await startTestApp({ now: '2026-11-27T10:00:00Z', sameDatabaseAs: first });
    api = client(first.baseUrl);
    other = client(second.baseUrl);
    admin = await adminToken(api);
    const [a, b] = [await createStaff(api, admin, 'advisor', 'Alice Conseil'), await createStaff(api, admin, 'advisor', 'Bruno Conseil')];
    alice = { ...a, token: await login(api, a.email, a.password) };
    bruno = { ...b, token: await login(api, b.email, b.password) };
    const [december] = await listSessions(api, DAY, DAY);
    const staffed = (await api.put(`/api/permanences/${december.id}/advisors`, { advisorIds: [alice.id, bruno.id] }, admin)).body;
    aliceSlots = staffed.slots.filter((slot: { advisor: { id: string } }) => slot.advisor.id === alice.id);
    const brunoSlots = staffed.slots.filter((slot: { advisor: { id: string } }) => slot.advisor.id === bruno.id);
    booked.alice = (await api.post('/api/bookings', bookingRequest(aliceSlots[0].id, { attendee: { name: 'Camille', email: 'camille@asso.test' } }))).body;
    booked.bruno = (await api.post('/api/bookings', bookingRequest(brunoSlots[0].id, { attendee: { name: 'Eve', email: 'eve@asso.test' } }))).body;
    workshopId = (await createWorkshop(api, admin, { capacity: 2, startsAt: '2026-12-31T14:00:00+01:00', endsAt: '2026-12-31T17:30:00+01:00' })).id;
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('gives each advisor and the admin their own day, the same bytes while nothing changes', async () => {
    for (let round = 0; round < 2; round++) {
      const [aliceDay, brunoDay, everybody, brunoForAdmin] = await Promise.all([
        agenda(first, alice.token),
        agenda(first, bruno.token),
        agenda(first, admin),
        agenda(first, admin, `&advisorId=${bruno.id}`),
      ]);
      expect(aliceDay.body.advisor).toEqual({ id: alice.id, name: 'Alice Conseil' });
      expect(bookingsOf(aliceDay.body).map((booking) => booking.id)).toEqual([booked.alice.id]);
      expect(brunoDay.body.advisor).toEqual({ id: bruno.id, name: 'Bruno Conseil' });
      expect(bookingsOf(brunoDay.body).map((booking) => booking.id)).toEqual([booked.bruno.id]);
      expect(brunoForAdmin.text).toBe(brunoDay.text);
      expect(everybody.body.advisor).toBeNull();
      expect(new Set(bookingsOf(everybody.body).map((booking) => booking.id))).toEqual(new Set([booked.alice.id, booked.bruno.id]));
      const again = await agenda(first, alice.token);
      expect([again.text, again.headers.get('etag')]).toEqual([aliceDay.text, aliceDay.headers.get('etag')]);
    }
  });

  it('never misses a change committed before the request, wherever it was made', async () => {
    const seen = async (check: (body: AgendaAnswer) => boolean) => {
      // Asked of both instances, each having kept its previous answer.
      for (const app of [first, second]) expect(check((await agenda(app, alice.token)).body)).toBe(true);
    };
    await Promise.all([agenda(first, alice.token), agenda(second, alice.token)]);

    // A booking through the first instance.
    booked.new = (await api.post('/api/bookings', bookingRequest(aliceSlots[1].id, { attendee: { name: 'Dominique', email: 'dominique@asso.test' } }))).body;
    await seen((body) => bookingsOf(body).some((booking) => booking.id === booked.new.id) && body.counts.bookedSlots === 2);

    // Its cancellation through the second.
    expect((await other.post(`/api/bookings/${booked.new.id}/cancel`, {}, booked.new.manageToken)).status).toBe(200);
    await seen((body) => !bookingsOf(body).some((booking) => booking.id === booked.new.id) && body.counts.bookedSlots === 1);

    // A workshop registration (the workshop's counters and its bookings).
    await other.post('/api/bookings', registrationRequest(workshopId, { attendee: { name: 'Farid', email: 'farid@asso.test' } }));
    await seen((body) => body.counts.registrations === 1 && bookingsOf(body).some((booking) => (booking.attendee as { name: string }).name === 'Farid'));

    // Straight in SQL, in every table the agenda reads.
    const changes: Array<[string, string, (body: AgendaAnswer) => boolean]> = [
      [
        `UPDATE bookings SET message = 'Changé en SQL' WHERE id = '${booked.alice.id}'`,
        alice.token,
        (body) => bookingsOf(body).some((booking) => booking.message === 'Changé en SQL'),
      ],
      [
        `UPDATE permanence_sessions SET location = 'Salle du conseil' WHERE date = '${DAY}'`,
        alice.token,
        (body) => body.items[0].location === 'Salle du conseil',
      ],
      [
        `UPDATE slots SET capacity = 2 WHERE id = '${aliceSlots[2].id}'`,
        alice.token,
        (body) => body.items.find((item: { id: string }) => item.id === aliceSlots[2].id)!.free === 2,
      ],
      [
        `UPDATE workshops SET title = 'Atelier renommé' WHERE id = '${workshopId}'`,
        alice.token,
        (body) => body.items.some((item: { title?: string }) => item.title === 'Atelier renommé'),
      ],
      [`UPDATE users SET name = 'Alice Renommée' WHERE id = '${alice.id}'`, alice.token, (body) => body.items[0].advisor!.name === 'Alice Renommée'],
      [
        `UPDATE desks SET advisor_id = NULL WHERE advisor_id = '${bruno.id}'`,
        admin,
        (body) => body.items.some((item: { type: string; advisor: unknown }) => item.type === 'slot' && item.advisor === null),
      ],
    ];
    for (const [sql, token, check] of changes) {
      await Promise.all([agenda(first, token), agenda(second, token)]);
      await first.dataSource.query(sql);
      for (const app of [first, second]) expect([sql, check((await agenda(app, token)).body)]).toEqual([sql, true]);
    }
  });

  it('answers If-None-Match with 304 until the day changes, and gzip to clients that accept it', async () => {
    const headers = { authorization: `Bearer ${alice.token}` };
    const plain = await rawGet(first, `/api/agenda?date=${DAY}`, { ...headers, 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('no-store');
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const packed = await rawGet(first, `/api/agenda?date=${DAY}`, { ...headers, 'accept-encoding': 'gzip, deflate, br' });
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(packed.bytes).equals(plain.bytes)).toBe(true);
    expect(packed.bytes.length).toBeLessThan(plain.bytes.length);
    expect(packed.headers.etag).not.toBe(plain.headers.etag);

    const etag = plain.headers.etag as string;
    const unchanged = await rawGet(second, `/api/agenda?date=${DAY}`, { ...headers, 'accept-encoding': 'identity', 'if-none-match': etag });
    expect([unchanged.status, unchanged.bytes.length]).toEqual([304, 0]);
    await first.dataSource.query(`UPDATE bookings SET attendance_note = 'Note ajoutée' WHERE id = '${booked.alice.id}'`);
    const changed = await rawGet(second, `/api/agenda?date=${DAY}`, { ...headers, 'accept-encoding': 'identity', 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.bytes.toString('utf8')).toContain('Note ajoutée');
    // Another person's answer is never a match for one's own ETag.
    const brunoWithAlicesTag = await rawGet(first, `/api/agenda?date=${DAY}`, {
      authorization: `Bearer ${bruno.token}`,
      'accept-encoding': 'identity',
      'if-none-match': changed.headers.etag as string,
    });
    expect(brunoWithAlicesTag.status).toBe(200);
  });

  it('reads a changed day once for every simultaneous request, each person still getting their own answer', async () => {
    await first.dataSource.query(`UPDATE bookings SET message = 'Encore changé' WHERE id = '${booked.alice.id}'`);
    const reads = jest.spyOn(second.app.get(AgendaRepository), 'slots');
    try {
      const viewers = [alice.token, bruno.token, admin];
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => agenda(second, viewers[i % 3])));
      for (const [k, token] of viewers.entries()) {
        const own = answers.filter((_, i) => i % 3 === k);
        expect(new Set(own.map((answer) => answer.text)).size).toBe(1);
        // What a request made alone now gives (kept or not): the same bytes.
        expect((await agenda(first, token)).text).toBe(own[0].text);
      }
      expect(answers[0].text).toContain('Encore changé');
      expect(answers[1].text).not.toContain('Encore changé');
      const slotBookings = (body: { items: Array<{ type: string; bookings: Array<{ id: string }> }> }) =>
        new Set(body.items.filter((item) => item.type === 'slot').flatMap((item) => item.bookings.map((booking) => booking.id)));
      expect(slotBookings(answers[0].body)).toEqual(new Set([booked.alice.id]));
      // Bruno left his desk in an earlier test: his day has the workshops and no slot.
      expect(answers[1].body.items.filter((item: { type: string }) => item.type === 'slot')).toEqual([]);
      expect(slotBookings(answers[2].body)).toEqual(new Set([booked.alice.id, booked.bruno.id]));
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('reads nothing again while nothing was committed, and the day’s rows only when they changed', async () => {
    const snapshots = jest.spyOn(second.app.get(DatabaseSnapshot), 'current');
    const fingerprints = jest.spyOn(second.app.get(AgendaRepository), 'fingerprint');
    const reads = jest.spyOn(second.app.get(AgendaRepository), 'slots');
    const accounts = jest.spyOn(second.app.get(UsersRepository), 'signedIn');
    const counts = () => [fingerprints.mock.calls.length, reads.mock.calls.length, accounts.mock.calls.length];
    const clear = () => [snapshots, fingerprints, reads, accounts].forEach((spy) => spy.mockClear());
    try {
      // The snapshot is the whole server's: other test files write meanwhile. Each request checks its
      // account, then the day, each against the snapshot it took; a read must happen exactly when that
      // snapshot differs from the previous request's. Repeated until each check met an unmoved snapshot
      // at least once (where a needless read would fail the test).
      let unmoved = 0;
      for (let round = 0; round < 20 && unmoved === 0; round++) {
        const kept = await agenda(second, alice.token);
        clear();
        for (let i = 0; i < 5; i++) expect((await agenda(second, alice.token)).text).toBe(kept.text);
        const taken = await Promise.all(snapshots.mock.results.map((result) => result.value as Promise<string>));
        expect(taken).toHaveLength(10);
        const [account, day] = [0, 1].map((k) => taken.filter((_, i) => i % 2 === k));
        const moved = (list: string[]) => list.slice(1).filter((snapshot, i) => snapshot !== list[i]).length;
        // The first request of the five may find either snapshot moved since `kept`: at most one read each for it.
        expect(accounts.mock.calls.length - moved(account)).toBeGreaterThanOrEqual(0);
        expect(accounts.mock.calls.length - moved(account)).toBeLessThanOrEqual(1);
        expect(fingerprints.mock.calls.length - moved(day)).toBeGreaterThanOrEqual(0);
        expect(fingerprints.mock.calls.length - moved(day)).toBeLessThanOrEqual(1);
        expect(reads).not.toHaveBeenCalled();
        unmoved = Math.min(4 - moved(account), 4 - moved(day));
      }
      expect(unmoved).toBeGreaterThan(0);

      // Another day changes: the account and the day's fingerprint are read again, not the day's rows.
      const kept = await agenda(second, alice.token);
      await first.dataSource.query(`UPDATE permanence_sessions SET location = location WHERE date <> $1`, [DAY]);
      clear();
      expect((await agenda(second, alice.token)).text).toBe(kept.text);
      expect(counts()).toEqual([1, 0, 1]);

      // The day changes: its rows are read again.
      await first.dataSource.query(`UPDATE bookings SET message = 'Changé entre deux requêtes' WHERE id = $1`, [booked.alice.id]);
      clear();
      expect((await agenda(second, alice.token)).text).toContain('Changé entre deux requêtes');
      expect(counts()).toEqual([1, 1, 1]);
    } finally {
      [snapshots, fingerprints, reads, accounts].forEach((spy) => spy.mockRestore());
    }
  });

  it('names a legal form as the list does now, on every instance, once an admin renames it', async () => {
    const labelsOf = (body: AgendaAnswer) => bookingsOf(body).map((entry) => (entry.organisation as { legalFormLabel: string }).legalFormLabel);
    expect(labelsOf((await agenda(second, admin)).body as AgendaAnswer)).toContain('Association');
    expect((await api.patch('/api/lists/legal-forms/association', { label: 'Association loi 1901' }, admin)).status).toBe(200);
    for (const app of [first, second]) {
      const labels = labelsOf((await agenda(app, admin)).body as AgendaAnswer);
      expect(labels).toContain('Association loi 1901');
      expect(labels).not.toContain('Association');
    }
  });

  it('refuses an account deactivated or revoked on any instance at once', async () => {
    const claire = await createStaff(api, admin, 'advisor', 'Claire Conseil');
    const token = await login(api, claire.email, claire.password);
    const status = async (app: TestApp) => (await client(app.baseUrl).get(`/api/agenda?date=${DAY}`, token)).status;
    expect([await status(first), await status(second)]).toEqual([200, 200]);

    // Straight in SQL (through the API, deactivating also revokes the tokens: last below).
    await first.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [claire.id]);
    expect([await status(second), await status(first)]).toEqual([401, 401]);
    await first.dataSource.query(`UPDATE users SET active = true WHERE id = $1`, [claire.id]);
    expect([await status(second), await status(first)]).toEqual([200, 200]);
    await first.dataSource.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [claire.id]);
    expect([await status(second), await status(first)]).toEqual([401, 401]);

    // Through the first instance's API.
    const fresh = await login(api, claire.email, claire.password);
    const day = async (app: TestApp) => (await client(app.baseUrl).get(`/api/agenda?date=${DAY}`, fresh)).status;
    expect([await day(first), await day(second)]).toEqual([200, 200]);
    expect((await api.patch(`/api/users/${claire.id}`, { active: false }, admin)).status).toBe(200);
    expect([await day(second), await day(first)]).toEqual([401, 401]);
  });
});
