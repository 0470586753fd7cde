import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

type Booked = { id: string; manageToken: string };

/**
 * Alice and Bruno hold the two desks of the permanence of 31 December 2026; Camille booked Alice's,
 * Eve Bruno's, Farid and Gaëlle registered for a workshop the same afternoon. The clock stops on
 * 27 November 2026.
 */
describe('who reaches a booking, and what may be kept of the answers', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let alice: string;
  let viewer: string;
  const bookings: Record<'alice' | 'bruno' | 'brunoToo' | 'workshop' | 'workshopToo', Booked> = {} as never;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    const [a, b, v] = [
      await createStaff(api, admin, 'advisor', 'Alice Conseil'),
      await createStaff(api, admin, 'advisor', 'Bruno Conseil'),
      await createStaff(api, admin, 'viewer', 'Métropole'),
    ];
    alice = await login(api, a.email, a.password);
    viewer = await login(api, v.email, v.password);
    const [december] = await listSessions(api, '2026-12-31', '2026-12-31');
    const staffed = (await api.put(`/api/permanences/${december.id}/advisors`, { advisorIds: [a.id, b.id] }, admin)).body;
    const desk = (id: string) => staffed.slots.filter((slot: { advisor: { id: string } }) => slot.advisor.id === id).map((slot: { id: string }) => slot.id);
    const [aliceSlots, brunoSlots] = [desk(a.id), desk(b.id)];
    const book = async (request: Record<string, unknown>): Promise<Booked> => {
      const response = await api.post('/api/bookings', request);
      if (response.status !== 201) throw new Error(`booking failed: ${response.status} ${response.text}`);
      return response.body;
    };
    bookings.alice = await book(bookingRequest(aliceSlots[0], { attendee: { name: 'Camille', email: 'camille@asso.test' } }));
    bookings.bruno = await book(bookingRequest(brunoSlots[0], { attendee: { name: 'Eve', email: 'eve@asso.test' } }));
    bookings.brunoToo = await book(bookingRequest(brunoSlots[1], { attendee: { name: 'Hugo', email: 'hugo@asso.test' } }));
    const workshop = await createWorkshop(api, admin, { startsAt: '2026-12-31T14:00:00+01:00', endsAt: '2026-12-31T17:30:00+01:00' });
    bookings.workshop = await book(registrationRequest(workshop.id, { attendee: { name: 'Farid', email: 'farid@asso.test' } }));
    bookings.workshopToo = await book(registrationRequest(workshop.id, { attendee: { name: 'Gaëlle', email: 'gaelle@asso.test' } }));
  });
  afterAll(() => app.close());

  async function status(id: string): Promise<string> {
    const [row] = await app.dataSource.query(`SELECT status FROM bookings WHERE id = $1`, [id]);
    return row.status;
  }

  describe('an advisor', () => {
    it('reads their own desk’s bookings and the workshops’ registrations', async () => {
      const own = await api.get(`/api/bookings/${bookings.alice.id}`, alice);
      expect([own.status, own.body.attendee.name]).toEqual([200, 'Camille']);
      const workshop = await api.get(`/api/bookings/${bookings.workshop.id}`, alice);
      expect([workshop.status, workshop.body.attendee.name]).toEqual([200, 'Farid']);
      expect((await api.get(`/api/bookings/${bookings.alice.id}/invite.ics`, alice)).status).toBe(200);
    });

    it('neither reads nor cancels a booking on a colleague’s desk (403), which stays as it was', async () => {
      const read = await api.get(`/api/bookings/${bookings.bruno.id}`, alice);
      expect([read.status, read.body.code]).toEqual([403, 'forbidden']);
      expect(read.text).not.toContain('eve@asso.test');
      const file = await api.get(`/api/bookings/${bookings.bruno.id}/invite.ics`, alice);
      expect([file.status, file.body.code]).toEqual([403, 'forbidden']);
      const cancel = await api.post(`/api/bookings/${bookings.bruno.id}/cancel`, { reason: 'Essai' }, alice);
      expect([cancel.status, cancel.body.code]).toEqual([403, 'forbidden']);
      expect(await status(bookings.bruno.id)).toBe('confirmed');
      const [messages] = await app.dataSource.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE booking_id = $1 AND kind = 'booking_cancelled'`, [
        bookings.bruno.id,
      ]);
      expect(messages.n).toBe(0);
    });

    it('cancels a workshop registration', async () => {
      const cancel = await api.post(`/api/bookings/${bookings.workshopToo.id}/cancel`, { reason: 'Prévenu par téléphone' }, alice);
      expect([cancel.status, cancel.body.status, cancel.body.cancelledBy]).toEqual([200, 'cancelled', 'staff']);
    });
  });

  it('lets an admin read and cancel any booking; the viewer none', async () => {
    expect((await api.get(`/api/bookings/${bookings.bruno.id}`, viewer)).status).toBe(403);
    expect((await api.post(`/api/bookings/${bookings.brunoToo.id}/cancel`, {}, viewer)).status).toBe(403);
    expect((await api.get(`/api/bookings/${bookings.bruno.id}`, admin)).body.attendee.name).toBe('Eve');
    const cancel = await api.post(`/api/bookings/${bookings.brunoToo.id}/cancel`, {}, admin);
    expect([cancel.status, cancel.body.status]).toEqual([200, 'cancelled']);
  });

  it('puts the manage link in the attendee’s calendar file only, never in the one staff download', async () => {
    const manageLink = `/reservations/${bookings.alice.id}?token=`;
    const attendee = await api.get(`/api/bookings/${bookings.alice.id}/invite.ics?token=${bookings.alice.manageToken}`);
    expect(attendee.status).toBe(200);
    // Folded lines (RFC 5545 §3.1) joined again before looking.
    expect(attendee.text.replace(/\r\n[ \t]/g, '')).toContain(manageLink);
    for (const token of [alice, admin]) {
      const staffFile = await api.get(`/api/bookings/${bookings.alice.id}/invite.ics`, token);
      expect(staffFile.status).toBe(200);
      const unfolded = staffFile.text.replace(/\r\n[ \t]/g, '');
      expect(unfolded).toContain('BEGIN:VEVENT');
      expect(unfolded).toContain('Avec Alice Conseil.');
      expect(unfolded).not.toContain('/reservations/');
      expect(unfolded).not.toContain('token=');
    }
  });

  describe('Cache-Control: no-store', () => {
    const pageAs = (path: string, token?: string) =>
      fetch(`${app.baseUrl}${path}`, { headers: { accept: 'text/html', ...(token ? { cookie: `rv_session=${token}` } : {}) }, redirect: 'manual' });

    it('on a booking read with its manage token, and on its manage page', async () => {
      const read = await api.get(`/api/bookings/${bookings.alice.id}?token=${bookings.alice.manageToken}`);
      expect([read.status, read.headers.get('cache-control')]).toEqual([200, 'no-store']);
      const page = await pageAs(`/reservations/${bookings.alice.id}?token=${bookings.alice.manageToken}`);
      expect([page.status, page.headers.get('cache-control')]).toEqual([200, 'no-store']);
    });

    it('on the booking’s calendar file, for its holder and for staff alike', async () => {
      const holder = await api.get(`/api/bookings/${bookings.alice.id}/invite.ics?token=${bookings.alice.manageToken}`);
      expect([holder.status, holder.headers.get('cache-control')]).toEqual([200, 'no-store']);
      const staff = await api.get(`/api/bookings/${bookings.alice.id}/invite.ics`, alice);
      expect([staff.status, staff.headers.get('cache-control')]).toEqual([200, 'no-store']);
    });

    it('on every answer to staff: API and pages', async () => {
      for (const [path, token] of [
        [`/api/bookings/${bookings.alice.id}`, alice],
        ['/api/organisations', viewer],
        ['/api/reports/attendance?from=2026-12-01&to=2026-12-31', admin],
      ] as const) {
        const response = await api.get(path, token);
        expect([path, response.status, response.headers.get('cache-control')]).toEqual([path, 200, 'no-store']);
      }
      for (const [path, token] of [
        ['/staff/agenda?date=2026-12-31', alice],
        ['/staff/rapports', viewer],
        ['/staff/rapports/export.csv?du=2026-12-01&au=2026-12-31', viewer],
        ['/staff/organisations', admin],
        ['/staff/flux', alice],
      ] as const) {
        const response = await pageAs(path, token);
        expect([path, response.status, response.headers.get('cache-control')]).toEqual([path, 200, 'no-store']);
      }
    });

    it('on the agenda, which still answers 304 to its ETag', async () => {
      const first = await api.get('/api/agenda?date=2026-12-31', alice);
      expect([first.status, first.headers.get('cache-control')]).toEqual([200, 'no-store']);
      expect(first.text).toContain('Camille');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"/);
      const again = await api.request('GET', '/api/agenda?date=2026-12-31', { token: alice, headers: { 'if-none-match': etag } });
      expect([again.status, again.headers.get('cache-control'), again.headers.get('etag')]).toEqual([304, 'no-store', etag]);
    });

    it('not on public answers without personal data', async () => {
      const permanences = await api.get('/api/permanences?from=2026-12-01&to=2026-12-31');
      expect(permanences.status).toBe(200);
      expect(permanences.headers.get('cache-control') ?? '').not.toContain('no-store');
      const home = await pageAs('/');
      expect(home.status).toBe(200);
      expect(home.headers.get('cache-control') ?? '').not.toContain('no-store');
    });
  });
});
