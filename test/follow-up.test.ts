import { Workbook } from 'exceljs';
import { PersonalDataService } from '../src/personal-data/personal-data.service';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

interface Account {
  id: string;
  email: string;
  password: string;
  token: string;
}

/** Words of the notes: none may reach the viewer, the journal or a download. */
const SECRET = 'Trésorerie fragile, conflit au bureau';
const SECRET_EVE = 'Dossier France Active en cours';
const PROBLEM = expect.stringMatching(/^application\/problem\+json/);

describe('the follow-up of an attended appointment', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let alice: Account;
  let bruno: Account;
  let viewer: Account;
  let organisationId: string;
  const bookings: Record<string, { id: string; manageToken: string }> = {};

  /** Moves the clock, and signs everybody in again (tokens last 8 hours). */
  async function at(instant: string): Promise<void> {
    app.clock.set(instant);
    admin = await adminToken(api);
    for (const account of [alice, bruno, viewer]) account.token = await login(api, account.email, account.password);
  }

  async function account(role: 'advisor' | 'viewer', name: string): Promise<Account> {
    const created = await createStaff(api, admin, role, name);
    return { ...created, token: await login(api, created.email, created.password) };
  }

  async function row(bookingId: string) {
    const [found] = await app.dataSource.query(
      `SELECT note, orientations, to_char(follow_up_on, 'YYYY-MM-DD') AS "followUpOn", follow_up_advisor_id AS "advisorId", follow_up_done_at AS "doneAt",
              created_by AS "createdBy", created_at AS "createdAt", updated_by AS "updatedBy", updated_at AS "updatedAt"
       FROM booking_follow_ups WHERE booking_id = $1`,
      [bookingId],
    );
    return found ?? null;
  }

  async function journal(action: string): Promise<Array<{ summary: string; details: Record<string, unknown>; subject_id: string; actor_id: string }>> {
    return app.dataSource.query(`SELECT summary, details, subject_id, actor_id FROM staff_journal WHERE action = $1 ORDER BY at, id`, [action]);
  }

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    alice = await account('advisor', 'Alice Conseil');
    bruno = await account('advisor', 'Bruno Conseil');
    viewer = await account('viewer', 'Métropole');
    const [december] = await listSessions(api, '2026-12-31', '2026-12-31');
    const staffed = (await api.put(`/api/permanences/${december.id}/advisors`, { advisorIds: [alice.id, bruno.id] }, admin)).body;
    const slotsOf = (advisor: Account) => staffed.slots.filter((slot: { advisor: { id: string } }) => slot.advisor.id === advisor.id);
    const organisation = { name: 'Coop des Monts', postcode: '42000' };
    const book = async (slotId: string, name: string, email: string) =>
      (await api.post('/api/bookings', bookingRequest(slotId, { attendee: { name, email, phone: '06 11 22 33 44' }, organisation }))).body;
    bookings.camille = await book(slotsOf(alice)[0].id, 'Camille Martin', 'camille@monts.test');
    bookings.dominique = await book(slotsOf(alice)[2].id, 'Dominique Roux', 'dominique@monts.test');
    bookings.eve = await book(slotsOf(bruno)[1].id, 'Eve Blanc', 'eve@monts.test');
    const workshop = await createWorkshop(api, admin, { startsAt: '2026-12-31T14:00:00+01:00', endsAt: '2026-12-31T17:00:00+01:00' });
    bookings.farid = (
      await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Farid', email: 'farid@monts.test' }, organisation }))
    ).body;
    [{ id: organisationId }] = await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [bookings.camille.id]);
  });
  afterAll(() => app.close());

  it('is refused before the person is marked present', async () => {
    const early = await api.put(`/api/bookings/${bookings.camille.id}/follow-up`, { note: 'Trop tôt', orientations: ['dla'] }, alice.token);
    expect([early.status, early.headers.get('content-type'), early.body.code]).toEqual([422, PROBLEM, 'follow_up_not_applicable']);
    expect(early.body.detail).toContain('Présent');
    expect(await row(bookings.camille.id)).toBeNull();

    await at('2026-12-31T13:30:00Z');
    for (const [booking, status, token] of [
      [bookings.camille, 'present', alice.token],
      [bookings.dominique, 'absent', alice.token],
      [bookings.eve, 'present', bruno.token],
      [bookings.farid, 'present', admin],
    ] as const)
      expect((await api.put(`/api/bookings/${booking.id}/attendance`, { status }, token)).status).toBe(200);
    const absent = await api.put(`/api/bookings/${bookings.dominique.id}/follow-up`, { orientations: ['dla'] }, alice.token);
    expect([absent.status, absent.body.code]).toEqual([422, 'follow_up_not_applicable']);
    const workshop = await api.put(`/api/bookings/${bookings.farid.id}/follow-up`, { orientations: ['dla'] }, admin);
    expect([workshop.status, workshop.body.code, workshop.body.detail]).toEqual([422, 'follow_up_not_applicable', expect.stringContaining('atelier')]);
    expect(await row(bookings.dominique.id)).toBeNull();
    expect(await row(bookings.farid.id)).toBeNull();
  });

  it('lets the advisor of the desk record it, with who and when, and journals it without the note', async () => {
    await at('2026-12-31T13:40:00Z');
    const offered = await api.get('/api/orientations', alice.token);
    expect(offered.body.map((entry: { code: string }) => entry.code)).toEqual(['dla', 'france_active', 'urscop', 'incubator', 'region', 'other']);
    const saved = await api.put(
      `/api/bookings/${bookings.camille.id}/follow-up`,
      { note: `  ${SECRET}  `, orientations: ['dla', 'france_active'], followUpOn: '2027-01-15' },
      alice.token,
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      bookingId: bookings.camille.id,
      note: SECRET,
      orientations: [
        { code: 'dla', label: 'Dispositif local d’accompagnement (DLA)' },
        { code: 'france_active', label: 'France Active' },
      ],
      followUpOn: '2027-01-15',
      followUpAdvisor: { id: alice.id, name: 'Alice Conseil' },
      followUpDoneAt: null,
      createdBy: { id: alice.id, name: 'Alice Conseil' },
      createdAt: '2026-12-31T13:40:00.000Z',
      updatedBy: { id: alice.id, name: 'Alice Conseil' },
      updatedAt: '2026-12-31T13:40:00.000Z',
    });
    expect(saved.headers.get('cache-control')).toContain('no-store');
    expect((await api.get(`/api/bookings/${bookings.camille.id}/follow-up`, alice.token)).body).toEqual(saved.body);
    expect((await api.get(`/api/bookings/${bookings.camille.id}/follow-up`, admin)).body).toEqual(saved.body);

    const [entry] = await journal('follow_up.recorded');
    expect(entry).toMatchObject({ subject_id: bookings.camille.id, actor_id: alice.id });
    expect(entry.summary).toBe('Suivi noté : rendez-vous du 31/12/2026 (« Coop des Monts ») — 2 orientations, avec note, relance le 15/01/2027');
    expect(entry.details).toEqual({
      orientations: ['dla', 'france_active'],
      followUpOn: '2027-01-15',
      followUpAdvisorId: alice.id,
      hasNote: true,
      noteChanged: true,
    });
  });

  it('keeps other desks’ advisors and the viewer out, and says what is missing', async () => {
    const other = await api.put(`/api/bookings/${bookings.camille.id}/follow-up`, { orientations: ['dla'] }, bruno.token);
    expect([other.status, other.body.code]).toEqual([403, 'forbidden']);
    expect((await api.get(`/api/bookings/${bookings.camille.id}/follow-up`, bruno.token)).status).toBe(403);
    for (const request of [
      api.get(`/api/bookings/${bookings.camille.id}/follow-up`, viewer.token),
      api.put(`/api/bookings/${bookings.camille.id}/follow-up`, { orientations: ['dla'] }, viewer.token),
      api.put(`/api/bookings/${bookings.camille.id}/follow-up/done`, { done: true }, viewer.token),
      api.get('/api/orientations', viewer.token),
    ]) {
      const refused = await request;
      expect([refused.status, refused.text.includes(SECRET)]).toEqual([403, false]);
    }
    expect((await api.get(`/api/bookings/${bookings.camille.id}/follow-up`)).status).toBe(401);
    const none = await api.get(`/api/bookings/${bookings.eve.id}/follow-up`, bruno.token);
    expect([none.status, none.body.code]).toEqual([404, 'follow_up_not_found']);
    const missing = await api.put('/api/bookings/00000000-0000-4000-8000-000000000000/follow-up', { orientations: ['dla'] }, admin);
    expect([missing.status, missing.body.code]).toEqual([404, 'booking_not_found']);
    expect((await api.get('/api/bookings/pas-un-uuid/follow-up', admin)).status).toBe(400);
  });

  it('refuses bad input with French field messages, and writes nothing', async () => {
    const before = await row(bookings.camille.id);
    const journalled = (await journal('follow_up.updated')).length;
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ note: 'x'.repeat(4001), orientations: ['dla'] }, 'note', /4 000 caractères/],
      [{ note: 42 }, 'note', /texte/],
      [{ orientations: 'dla' }, 'orientations', /liste/],
      [{ orientations: ['dla', 'dla'] }, 'orientations', /qu’une fois/],
      [{ orientations: ['DLA !'] }, 'orientations', /inconnue/],
      [{ orientations: [7] }, 'orientations', /inconnue/],
      [{ orientations: ['pole_emploi'] }, 'orientations', /non proposée.*France Active/],
      [{ orientations: ['dla'], followUpOn: '2027-02-30' }, 'followUpOn', /AAAA-MM-JJ/],
      [{ orientations: ['dla'], followUpOn: '2026-12-30' }, 'followUpOn', /aujourd’hui ou plus tard/],
      [{ orientations: ['dla'], followUpOn: '2027-01-15', followUpAdvisorId: 'quelqu’un' }, 'followUpAdvisorId', /équipe/],
      [{ orientations: ['dla'], followUpOn: '2027-01-15', followUpAdvisorId: viewer.id }, 'followUpAdvisorId', /membre actif/],
      [{ orientations: ['dla'], followUpAdvisorId: bruno.id }, 'followUpAdvisorId', /date de la relance/],
      [{ note: '   ', orientations: [] }, 'note', /vide/],
      [{}, 'note', /vide/],
    ];
    for (const [body, field, message] of cases) {
      const refused = await api.put(`/api/bookings/${bookings.camille.id}/follow-up`, body, alice.token);
      expect([refused.status, refused.headers.get('content-type'), refused.body.code]).toEqual([400, PROBLEM, 'validation_failed']);
      expect(refused.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
    }
    const broken = await api.request('PUT', `/api/bookings/${bookings.camille.id}/follow-up`, { raw: '{"note": ', token: alice.token });
    expect([broken.status, broken.body.code]).toEqual([400, 'malformed_json']);
    expect(await row(bookings.camille.id)).toEqual(before);
    expect(await journal('follow_up.updated')).toHaveLength(journalled);
  });

  it('offers only listed orientations; an archived one stays on the follow-ups that have it', async () => {
    expect((await api.put(`/api/bookings/${bookings.eve.id}/follow-up`, { note: SECRET_EVE, orientations: ['incubator'] }, bruno.token)).status).toBe(200);
    expect((await api.patch('/api/lists/orientations/incubator', { archived: true }, admin)).status).toBe(200);
    const refused = await api.put(`/api/bookings/${bookings.camille.id}/follow-up`, { orientations: ['incubator'] }, alice.token);
    expect([refused.status, refused.body.errors]).toEqual([400, [{ field: 'orientations', message: expect.stringContaining('incubator') }]]);
    expect((await api.get('/api/orientations', bruno.token)).body.map((entry: { code: string }) => entry.code)).not.toContain('incubator');
    // Saved again with it, the follow-up keeps it, with its label.
    const kept = await api.put(`/api/bookings/${bookings.eve.id}/follow-up`, { note: SECRET_EVE, orientations: ['incubator', 'region'] }, bruno.token);
    expect([kept.status, kept.body.orientations]).toEqual([
      200,
      [
        { code: 'incubator', label: 'Incubateur de l’ESS' },
        { code: 'region', label: 'Dispositifs de la Région' },
      ],
    ]);
  });

  it('updates the same row when edited, keeping who wrote it first', async () => {
    await at('2027-01-02T09:00:00Z');
    const edited = await api.put(
      `/api/bookings/${bookings.camille.id}/follow-up`,
      { note: `${SECRET} ; rappeler la trésorière`, orientations: ['dla', 'urscop'], followUpOn: '2027-01-15' },
      admin,
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      createdBy: { id: alice.id, name: 'Alice Conseil' },
      createdAt: '2026-12-31T13:40:00.000Z',
      updatedBy: { name: expect.any(String) },
      updatedAt: '2027-01-02T09:00:00.000Z',
      followUpAdvisor: { id: alice.id },
    });
    expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM booking_follow_ups WHERE booking_id = $1`, [bookings.camille.id]))[0].n).toBe(1);
    const [, updated] = await journal('follow_up.updated');
    expect(updated.summary).toBe('Suivi modifié : rendez-vous du 31/12/2026 (« Coop des Monts ») — 2 orientations, note modifiée, relance le 15/01/2027');
  });

  it('ends consistent when several people save at once', async () => {
    const { id } = bookings.eve;
    await app.dataSource.query(`DELETE FROM booking_follow_ups WHERE booking_id = $1`, [id]);
    const recordedBefore = (await journal('follow_up.recorded')).length;
    const updatedBefore = (await journal('follow_up.updated')).length;
    const bodies = Array.from({ length: 12 }, (_, i) => ({
      note: `${SECRET_EVE} — version ${i}`,
      orientations: i % 2 === 0 ? ['france_active'] : ['region', 'other'],
      followUpOn: `2027-01-${String(10 + i).padStart(2, '0')}`,
    }));
    const answers = await Promise.all(bodies.map((body, i) => api.put(`/api/bookings/${id}/follow-up`, body, i % 3 === 0 ? admin : bruno.token)));
    expect(answers.map((answer) => answer.status)).toEqual(bodies.map(() => 200));
    const final = await row(id);
    const winner = bodies.find((body) => body.note === final.note)!;
    expect({ orientations: final.orientations, followUpOn: final.followUpOn }).toEqual({ orientations: winner.orientations, followUpOn: winner.followUpOn });
    // Exactly one writer created it; every other one changed it.
    expect((await journal('follow_up.recorded')).length - recordedBefore).toBe(1);
    expect((await journal('follow_up.updated')).length - updatedBefore).toBe(11);
    expect((await api.get(`/api/bookings/${id}/follow-up`, bruno.token)).body.note).toBe(final.note);
    // Leave Eve's follow-up as the next tests expect it.
    expect((await api.put(`/api/bookings/${id}/follow-up`, { note: SECRET_EVE, orientations: ['france_active'] }, bruno.token)).status).toBe(200);
  });

  it('shows the follow-up to do on the advisor’s agenda of its day, refreshed at every change, and lets it be marked done', async () => {
    const onDay = async (date: string, token: string, advisorId?: string) =>
      (await api.get(`/api/agenda?date=${date}${advisorId ? `&advisorId=${advisorId}` : ''}`, token)).body;
    let day = await onDay('2027-01-15', alice.token);
    expect(day.followUpsDue).toEqual([
      {
        bookingId: bookings.camille.id,
        appointmentStartsAt: '2026-12-31T08:00:00.000Z',
        deskAdvisor: { id: alice.id, name: 'Alice Conseil' },
        attendee: { name: 'Camille Martin', email: 'camille@monts.test', phone: '06 11 22 33 44' },
        organisation: { id: organisationId, name: 'Coop des Monts' },
        followUp: expect.objectContaining({ note: `${SECRET} ; rappeler la trésorière`, followUpOn: '2027-01-15', followUpDoneAt: null }),
      },
    ]);
    expect(day.counts).toMatchObject({ followUpsDue: 1, followUpsDone: 0 });
    expect((await onDay('2027-01-15', bruno.token)).followUpsDue).toEqual([]);
    expect((await onDay('2027-01-15', admin)).followUpsDue).toHaveLength(1);
    // The appointment's own day shows its follow-up on the booking.
    const december = await onDay('2026-12-31', alice.token);
    expect(december.items[0].bookings[0].followUp).toMatchObject({
      note: `${SECRET} ; rappeler la trésorière`,
      orientations: [{ code: 'dla' }, { code: 'urscop' }],
    });
    expect(december.items[0].bookings[0].organisation.id).toBe(organisationId);

    // Given to Bruno on the 20th: gone from Alice's 15th, on Bruno's 20th (kept answers are not served stale).
    const moved = await api.put(
      `/api/bookings/${bookings.camille.id}/follow-up`,
      { note: `${SECRET} ; rappeler la trésorière`, orientations: ['dla', 'urscop'], followUpOn: '2027-01-20', followUpAdvisorId: bruno.id },
      alice.token,
    );
    expect(moved.body.followUpAdvisor).toEqual({ id: bruno.id, name: 'Bruno Conseil' });
    expect((await onDay('2027-01-15', alice.token)).followUpsDue).toEqual([]);
    day = await onDay('2027-01-20', bruno.token);
    expect(day.followUpsDue.map((due: { bookingId: string }) => due.bookingId)).toEqual([bookings.camille.id]);
    // Bruno reads it and marks it done, but does not rewrite it (not his desk).
    expect((await api.get(`/api/bookings/${bookings.camille.id}/follow-up`, bruno.token)).status).toBe(200);
    expect((await api.put(`/api/bookings/${bookings.camille.id}/follow-up`, { orientations: ['dla'] }, bruno.token)).status).toBe(403);
    await at('2027-01-20T10:00:00Z');
    const done = await api.put(`/api/bookings/${bookings.camille.id}/follow-up/done`, { done: true }, bruno.token);
    expect([done.status, done.body.followUpDoneAt]).toEqual([200, '2027-01-20T10:00:00.000Z']);
    // Marking it again keeps the first time.
    expect((await api.put(`/api/bookings/${bookings.camille.id}/follow-up/done`, { done: true }, bruno.token)).body.followUpDoneAt).toBe(
      '2027-01-20T10:00:00.000Z',
    );
    day = await onDay('2027-01-20', bruno.token);
    expect(day.counts).toMatchObject({ followUpsDue: 1, followUpsDone: 1 });
    expect(day.followUpsDue[0].followUp.followUpDoneAt).toBe('2027-01-20T10:00:00.000Z');
    expect((await journal('follow_up.done')).map((entry) => entry.summary)).toEqual([
      'Relance faite : rendez-vous du 31/12/2026 (« Coop des Monts »), relance du 20/01/2027',
    ]);
    // To do again, then done again (the journal says both).
    const reopened = await api.put(`/api/bookings/${bookings.camille.id}/follow-up/done`, { done: false }, alice.token);
    expect([reopened.status, reopened.body.followUpDoneAt]).toEqual([200, null]);
    expect((await onDay('2027-01-20', bruno.token)).counts).toMatchObject({ followUpsDue: 1, followUpsDone: 0 });
    expect((await journal('follow_up.reopened')).map((entry) => entry.actor_id)).toEqual([alice.id]);
    expect((await api.put(`/api/bookings/${bookings.camille.id}/follow-up/done`, { done: true }, bruno.token)).status).toBe(200);
    const bad = await api.put(`/api/bookings/${bookings.camille.id}/follow-up/done`, { done: 'oui' }, bruno.token);
    expect([bad.status, bad.body.errors]).toEqual([400, [{ field: 'done', message: 'done doit valoir true ou false.' }]]);
    const nothingToDo = await api.put(`/api/bookings/${bookings.eve.id}/follow-up/done`, { done: true }, bruno.token);
    expect([nothingToDo.status, nothingToDo.body.code]).toEqual([422, 'follow_up_not_applicable']);
    // A change in SQL, through no instance at all, is seen by the next request too.
    await app.dataSource.query(`UPDATE booking_follow_ups SET follow_up_on = '2027-01-21' WHERE booking_id = $1`, [bookings.camille.id]);
    expect((await onDay('2027-01-20', bruno.token)).followUpsDue).toEqual([]);
    await app.dataSource.query(`UPDATE booking_follow_ups SET follow_up_on = '2027-01-20' WHERE booking_id = $1`, [bookings.camille.id]);
  });

  it('shows the organisation’s history with each follow-up to the staff who may read it, and only orientations to the viewer', async () => {
    const history = async (token: string) => (await api.get(`/api/organisations/${organisationId}`, token)).body.bookings;
    const byId = (rows: Array<{ id: string }>, id: string) => rows.find((entry) => entry.id === id) as Record<string, unknown> & { followUp?: unknown };

    const adminView = await history(admin);
    expect(byId(adminView, bookings.camille.id).followUp).toMatchObject({
      note: `${SECRET} ; rappeler la trésorière`,
      createdBy: { name: 'Alice Conseil' },
      createdAt: '2026-12-31T13:40:00.000Z',
      updatedBy: { name: 'Alice Conseil' },
    });
    expect(byId(adminView, bookings.eve.id).followUp).toMatchObject({ note: SECRET_EVE });
    expect(byId(adminView, bookings.dominique.id)).toMatchObject({ followUp: null, orientations: [] });

    // Alice: her desk's appointments and the workshop, with who came; Bruno's appointment as figures only.
    const aliceResponse = await api.get(`/api/organisations/${organisationId}`, alice.token);
    expect(aliceResponse.status).toBe(200);
    expect(aliceResponse.body).not.toHaveProperty('contacts');
    expect(byId(aliceResponse.body.bookings, bookings.camille.id)).toMatchObject({ attendeeName: 'Camille Martin', followUp: { note: expect.any(String) } });
    expect(byId(aliceResponse.body.bookings, bookings.farid.id)).toMatchObject({ attendeeName: 'Farid' });
    expect(byId(aliceResponse.body.bookings, bookings.eve.id)).toEqual(
      expect.objectContaining({ orientations: [{ code: 'france_active', label: 'France Active' }] }),
    );
    expect(byId(aliceResponse.body.bookings, bookings.eve.id)).not.toHaveProperty('followUp');
    expect(byId(aliceResponse.body.bookings, bookings.eve.id)).not.toHaveProperty('attendeeName');
    expect(aliceResponse.text).not.toContain(SECRET_EVE);
    expect(aliceResponse.text).not.toContain('eve@monts.test');
    // Bruno reads Camille's follow-up: its follow-up to do is his.
    expect(byId(await history(bruno.token), bookings.camille.id)).toMatchObject({ followUp: { followUpAdvisor: { id: bruno.id } } });
    expect(aliceResponse.headers.get('cache-control')).toContain('no-store');

    const seen = await api.get(`/api/organisations/${organisationId}`, viewer.token);
    expect(seen.status).toBe(200);
    for (const booking of seen.body.bookings) expect(booking).not.toHaveProperty('followUp');
    expect(byId(seen.body.bookings, bookings.camille.id).orientations).toEqual([
      { code: 'dla', label: 'Dispositif local d’accompagnement (DLA)' },
      { code: 'urscop', label: 'Union régionale des Scop et Scic (URSCOP)' },
    ]);
    for (const text of [SECRET, SECRET_EVE, 'trésorière', 'Camille', 'camille@monts.test']) expect(seen.text).not.toContain(text);
    const list = await api.get('/api/organisations?q=monts', viewer.token);
    expect([list.status, list.text.includes(SECRET)]).toEqual([200, false]);
    // The register itself stays for admins and the viewer.
    expect((await api.get('/api/organisations', alice.token)).status).toBe(403);
  });

  it('never puts a note in an advisor’s calendar feed', async () => {
    for (const advisor of [alice, bruno]) {
      const { url } = (await api.get('/api/auth/me/feed', advisor.token)).body;
      const feed = await fetch(url.replace(/^https?:\/\/[^/]+/, app.baseUrl));
      const text = await feed.text();
      // The appointment is in the feed (with its organisation), its follow-up is not.
      expect([feed.status, text.includes('Coop des Monts')]).toEqual([200, true]);
      for (const word of [SECRET, SECRET_EVE, 'trésorière']) expect(text).not.toContain(word);
    }
  });

  it('never puts a note in the reports, whoever downloads them', async () => {
    const download = async (format: string, token: string) => {
      const response = await fetch(`${app.baseUrl}/api/reports/attendance?from=2026-12-01&to=2026-12-31&format=${format}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    };
    for (const token of [viewer.token, admin]) {
      const json = (await download('json', token)).toString('utf8');
      const csv = (await download('csv', token)).toString('utf8');
      const workbook = new Workbook();
      await workbook.xlsx.load((await download('xlsx', token)) as unknown as ArrayBuffer);
      const cells: string[] = [];
      workbook.eachSheet((sheet) => sheet.eachRow((sheetRow) => sheetRow.eachCell((cell) => cells.push(cell.text))));
      expect(cells.length).toBeGreaterThan(10);
      for (const text of [json, csv, cells.join('\n')]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(SECRET_EVE);
      }
    }
  });

  it('never copies a note into the journal', async () => {
    const entries: Array<{ summary: string; details: unknown }> = await app.dataSource.query(
      `SELECT summary, details FROM staff_journal WHERE action LIKE 'follow_up.%'`,
    );
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries) {
      const text = JSON.stringify(entry);
      for (const word of ['Trésorerie', 'Dossier France Active', 'trésorière', 'Camille', 'camille@', 'Eve Blanc', 'eve@']) expect(text).not.toContain(word);
    }
  });

  it('gives the notes in the person’s data, and erasure clears the note but keeps the orientations', async () => {
    const held = await api.get(`/api/personal-data?email=camille@monts.test`, admin);
    expect(held.body.bookings[0].followUp).toEqual({
      note: `${SECRET} ; rappeler la trésorière`,
      orientations: ['dla', 'urscop'],
      followUpOn: '2027-01-20',
      createdAt: '2026-12-31T13:40:00.000Z',
      updatedAt: expect.any(String),
    });
    expect((await api.post('/api/personal-data/erase', { email: 'camille@monts.test' }, admin)).status).toBe(200);
    expect(await row(bookings.camille.id)).toMatchObject({ note: null, orientations: ['dla', 'urscop'], followUpOn: '2027-01-20' });
    const erasure = (await journal('personal_data.erased')).at(-1)!;
    expect(JSON.stringify(erasure)).not.toContain('camille');
    // No note can be written again on the erased booking; orientations still can.
    const again = await api.put(`/api/bookings/${bookings.camille.id}/follow-up`, { note: 'De nouveau', orientations: ['dla'] }, alice.token);
    expect([again.status, again.body.errors]).toEqual([400, [{ field: 'note', message: expect.stringContaining('effacées') }]]);
    expect((await api.put(`/api/bookings/${bookings.camille.id}/follow-up`, { orientations: ['dla'] }, alice.token)).status).toBe(200);
  });

  it('clears the note RETENTION_MONTHS after the appointment, keeping the orientations', async () => {
    await at('2028-12-31T13:00:00Z');
    expect(await row(bookings.eve.id)).toMatchObject({ note: SECRET_EVE });
    expect(await app.app.get(PersonalDataService).anonymiseExpired()).toBeGreaterThanOrEqual(1);
    expect(await row(bookings.eve.id)).toMatchObject({ note: null, orientations: ['france_active'] });
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM booking_follow_ups WHERE note IS NOT NULL`);
    expect(n).toBe(0);
  });
});
