import { JournalService } from '../src/journal/journal.service';
import { PersonalDataService } from '../src/personal-data/personal-data.service';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { ADMIN, startTestApp, TestApp } from './support/test-app';

interface Entry {
  actorId: string | null;
  actorName: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  summary: string;
  details: Record<string, unknown>;
}

describe('journal of staff actions', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let adminId: string;

  async function journal(query = ''): Promise<Entry[]> {
    const response = await api.get(`/api/admin/journal${query}`, admin);
    expect(response.status).toBe(200);
    return response.body.entries;
  }

  async function latest(action: string): Promise<Entry> {
    const [entry] = await journal(`?action=${action}`);
    expect(entry).toBeDefined();
    return entry;
  }

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    adminId = (await app.dataSource.query(`SELECT id FROM users WHERE email = $1`, [ADMIN.email]))[0].id;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('records session cancellations and moves with who, what and the number of bookings touched', async () => {
    const [december, january] = await listSessions(api, '2026-12-01', '2027-01-31');
    await api.post('/api/bookings', bookingRequest(december.slots[0].id));
    expect((await api.post(`/api/permanences/${december.id}/cancel`, { reason: 'Salle indisponible' }, admin)).status).toBe(200);
    const cancelled = await latest('session.cancelled');
    expect(cancelled).toMatchObject({
      actorId: adminId,
      actorName: 'Administrateur',
      subjectType: 'session',
      subjectId: december.id,
      details: { reason: 'Salle indisponible', cancelledBookings: 1 },
    });
    expect(cancelled.summary).toContain('Salle indisponible');

    expect((await api.post(`/api/permanences/${january.id}/move`, { date: '2027-01-29', reason: 'Grève' }, admin)).status).toBe(200);
    expect(await latest('session.moved')).toMatchObject({
      actorId: adminId,
      subjectId: january.id,
      details: { previousDate: january.date, date: '2027-01-29', reason: 'Grève' },
    });
  });

  it('records an extra session, its advisors, and a series edit', async () => {
    const advisor = await createStaff(api, admin, 'advisor', 'Paul Girard');
    const added = await api.post(
      '/api/permanences',
      { date: '2027-02-11', startTime: '14:00', endTime: '16:00', slotMinutes: 30, advisorIds: [advisor.id] },
      admin,
    );
    expect(added.status).toBe(201);
    expect(await latest('session.added')).toMatchObject({
      actorId: adminId,
      subjectId: added.body.id,
      summary: 'Permanence exceptionnelle ajoutée le 11/02/2027, 14:00–16:00',
      details: { date: '2027-02-11', advisors: 1 },
    });
    expect((await api.put(`/api/permanences/${added.body.id}/advisors`, { advisorIds: [] }, admin)).status).toBe(200);
    expect(await latest('session.staffed')).toMatchObject({ actorId: adminId, subjectId: added.body.id, details: { advisorIds: [] } });

    const [series] = (await api.get('/api/permanences/series', admin)).body;
    expect((await api.patch(`/api/permanences/series/${series.id}`, { location: 'Cité du design, Saint-Étienne' }, admin)).status).toBe(200);
    expect(await latest('series.updated')).toMatchObject({ actorId: adminId, subjectType: 'series', subjectId: series.id, details: { changed: ['location'] } });
  });

  it('records accounts created, changed and deactivated through the API, never a password', async () => {
    const created = await api.post('/api/users', { email: 'lina@cress.test', name: 'Lina Roche', role: 'advisor', password: 'un-mot-de-passe-long' }, admin);
    expect(created.status).toBe(201);
    expect(await latest('account.created')).toMatchObject({
      actorId: adminId,
      subjectType: 'user',
      subjectId: created.body.id,
      summary: 'Compte créé pour Lina Roche (advisor)',
    });
    expect((await api.patch(`/api/users/${created.body.id}`, { password: 'un-autre-mot-de-passe' }, admin)).status).toBe(200);
    expect(await latest('account.updated')).toMatchObject({ subjectId: created.body.id, details: { changed: ['password'] } });
    expect((await api.patch(`/api/users/${created.body.id}`, { active: false }, admin)).status).toBe(200);
    expect(await latest('account.deactivated')).toMatchObject({ actorId: adminId, subjectId: created.body.id, summary: 'Compte de Lina Roche désactivé' });
    const createdBefore = (await journal('?action=account.created')).length;
    const taken = await api.post('/api/users', { email: 'LINA@cress.test', name: 'Autre', role: 'advisor', password: 'un-mot-de-passe-long' }, admin);
    expect(taken.status).toBe(409);
    expect(await journal('?action=account.created')).toHaveLength(createdBefore);
    const passwords = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM staff_journal WHERE details::text ILIKE '%mot-de-passe%' OR summary ILIKE '%mot-de-passe%'`,
    );
    expect(passwords[0].n).toBe(0);
  });

  it('records an account invited without a password, settings changes and list edits, by the admin who made them', async () => {
    const invited = await api.post('/api/users', { email: 'noe@cress.test', name: 'Noé Valla', role: 'viewer' }, admin);
    expect(invited.status).toBe(201);
    expect(await latest('account.created')).toMatchObject({
      actorId: adminId,
      subjectId: invited.body.id,
      summary: 'Compte créé pour Noé Valla (viewer), invitation envoyée',
    });
    expect((await api.patch('/api/settings', { address: '1 place de l’Exemple, 42000 Saint-Étienne', reminderHoursBefore: 24 }, admin)).status).toBe(200);
    expect(await latest('settings.updated')).toMatchObject({ actorId: adminId, details: { changed: ['address', 'reminderHoursBefore'] } });
    const added = await api.post('/api/lists/topics', { label: 'Emploi et recrutement' }, admin);
    expect(added.status).toBe(201);
    expect(await latest('list.added')).toMatchObject({ actorId: adminId, summary: 'Sujets : « Emploi et recrutement » ajouté' });
    expect((await api.patch(`/api/lists/topics/${added.body.code}`, { archived: true }, admin)).status).toBe(200);
    expect(await latest('list.updated')).toMatchObject({ actorId: adminId, summary: 'Sujets : « Emploi et recrutement » archivé' });
    // A refused change writes nothing.
    const before = (await journal('?action=settings.updated')).length;
    expect((await api.patch('/api/settings', { reminderHoursBefore: -3 }, admin)).status).toBe(400);
    expect(await journal('?action=settings.updated')).toHaveLength(before);
  });

  it('records a workshop cancelled and bookings cancelled by staff, but not an attendee cancelling their own', async () => {
    const workshop = await createWorkshop(api, admin, { capacity: 1 });
    const seat = (await api.post('/api/bookings', registrationRequest(workshop.id))).body;
    expect(seat.status).toBe('confirmed');
    const waiting = (await api.post('/api/bookings', registrationRequest(workshop.id))).body;
    expect((await api.post(`/api/bookings/${waiting.id}/cancel`, { reason: 'Doublon' }, admin)).status).toBe(200);
    expect(await latest('booking.cancelled')).toMatchObject({
      actorId: adminId,
      subjectType: 'booking',
      subjectId: waiting.id,
      details: { reason: 'Doublon' },
    });

    const [february] = await listSessions(api, '2027-02-01', '2027-02-28');
    const own = (await api.post('/api/bookings', bookingRequest(february.slots[0].id))).body;
    const before = (await journal('?action=booking.cancelled')).length;
    expect((await api.post(`/api/bookings/${own.id}/cancel`, {}, own.manageToken)).status).toBe(200);
    expect(await journal('?action=booking.cancelled')).toHaveLength(before);

    expect((await api.post(`/api/workshops/${workshop.id}/cancel`, { reason: 'Intervenante malade' }, admin)).status).toBe(200);
    const entry = await latest('workshop.cancelled');
    expect(entry).toMatchObject({ actorId: adminId, subjectType: 'workshop', subjectId: workshop.id, details: { reason: 'Intervenante malade' } });
    expect(entry.summary).toContain(workshop.title);
  });

  it('records attendance, then its correction, by the advisor who did it', async () => {
    const advisor = await createStaff(api, admin, 'advisor', 'Nadia Benali');
    const workshop = await createWorkshop(api, admin, { startsAt: '2026-11-28T09:00:00+01:00', endsAt: '2026-11-28T12:00:00+01:00' });
    const booking = (await api.post('/api/bookings', registrationRequest(workshop.id))).body;
    app.clock.set('2026-11-28T09:00:00Z');
    const advisorToken = await login(api, advisor.email, advisor.password);
    expect((await api.put(`/api/bookings/${booking.id}/attendance`, { status: 'absent' }, advisorToken)).status).toBe(200);
    expect((await api.put(`/api/bookings/${booking.id}/attendance`, { status: 'present' }, advisorToken)).status).toBe(200);
    app.clock.set('2026-11-27T10:00:00Z');
    expect(await latest('attendance.recorded')).toMatchObject({
      actorName: 'Nadia Benali',
      subjectId: booking.id,
      details: { previous: null, status: 'absent' },
    });
    expect(await latest('attendance.corrected')).toMatchObject({
      actorName: 'Nadia Benali',
      subjectId: booking.id,
      details: { previous: 'absent', status: 'present' },
    });
  });

  it('records organisation corrections and merges', async () => {
    const [march] = await listSessions(api, '2027-03-01', '2027-03-31');
    await api.post('/api/bookings', bookingRequest(march.slots[0].id, { organisation: { name: 'Coop Alpha', postcode: '42000' } }));
    await api.post('/api/bookings', bookingRequest(march.slots[1].id, { organisation: { name: 'Coop Alpha (doublon)', postcode: '42100' } }));
    const listed = (await api.get('/api/organisations?q=Coop%20Alpha', admin)).body as Array<{ id: string; name: string }>;
    const keep = listed.find((entry) => entry.name === 'Coop Alpha')!;
    const duplicate = listed.find((entry) => entry.name === 'Coop Alpha (doublon)')!;
    expect((await api.patch(`/api/organisations/${keep.id}`, { commune: 'Saint-Étienne' }, admin)).status).toBe(200);
    expect(await latest('organisation.corrected')).toMatchObject({ actorId: adminId, subjectId: keep.id, details: { changed: ['commune'] } });
    expect((await api.post(`/api/organisations/${duplicate.id}/merge`, { into: keep.id }, admin)).status).toBe(200);
    const merged = await latest('organisation.merged');
    expect(merged).toMatchObject({ actorId: adminId, subjectId: keep.id, details: { merged: duplicate.id, into: keep.id } });
    expect(merged.summary).toBe('Fiche « Coop Alpha (doublon) » fusionnée dans « Coop Alpha »');
  });

  it('records personal-data exports and erasures with their counts, never the address', async () => {
    const [april] = await listSessions(api, '2027-04-01', '2027-04-30');
    const email = 'yasmine.erase@asso.test';
    await api.post('/api/bookings', bookingRequest(april.slots[0].id, { attendee: { name: 'Yasmine', email } }));
    expect((await api.get(`/api/personal-data?email=${encodeURIComponent(email)}`, admin)).status).toBe(200);
    expect(await latest('personal_data.exported')).toMatchObject({ actorId: adminId, details: { bookings: 1, messages: 1 } });
    expect((await api.post('/api/personal-data/erase', { email }, admin)).status).toBe(200);
    expect(await latest('personal_data.erased')).toMatchObject({ actorId: adminId, subjectId: null, details: { cancelledBookings: 1, anonymisedBookings: 1 } });
    const everything = await app.dataSource.query(`SELECT count(*)::int AS n FROM staff_journal WHERE summary ILIKE $1 OR details::text ILIKE $1`, [
      '%yasmine%',
    ]);
    expect(everything[0].n).toBe(0);
  });

  it('writes no entry for a refused action, and an action whose entry cannot be written is not done', async () => {
    const count = async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM staff_journal`))[0].n as number;
    const before = await count();
    const [may] = await listSessions(api, '2027-05-01', '2027-05-31');
    expect((await api.post(`/api/permanences/${may.id}/move`, { date: '2026-01-29' }, admin)).body.code).toBe('validation_failed');
    expect(await count()).toBe(before);

    // The entry is written by the action's own transaction: when that transaction fails at COMMIT
    // (a deferred trigger refusing the cancellation), the entry goes with it.
    const workshop = await createWorkshop(api, admin);
    await api.post('/api/bookings', registrationRequest(workshop.id));
    await app.dataSource.query(
      `CREATE FUNCTION journal_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$`,
    );
    await app.dataSource.query(
      `CREATE CONSTRAINT TRIGGER journal_test_refuse AFTER UPDATE ON workshops DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'cancelled') EXECUTE FUNCTION journal_test_refuse()`,
    );
    try {
      expect((await api.post(`/api/workshops/${workshop.id}/cancel`, { reason: 'Essai' }, admin)).status).toBeGreaterThanOrEqual(400);
    } finally {
      await app.dataSource.query(`DROP TRIGGER journal_test_refuse ON workshops`);
      await app.dataSource.query(`DROP FUNCTION journal_test_refuse()`);
    }
    expect(await count()).toBe(before);
    expect((await api.get(`/api/workshops/${workshop.id}`)).body.status).not.toBe('cancelled');
    const messages = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_messages o JOIN bookings b ON b.id = o.booking_id WHERE b.workshop_id = $1 AND o.kind = 'workshop_cancelled'`,
      [workshop.id],
    );
    expect(messages[0].n).toBe(0);
  });

  it('lists entries by period, action and page, for admins only, with French field errors', async () => {
    const all = await journal();
    expect(all.length).toBeGreaterThan(5);
    expect(await journal('?from=2026-11-28&to=2026-11-28')).toEqual(all.filter((entry) => entry.action.startsWith('attendance.')));
    expect(await journal('?to=2026-11-26')).toEqual([]);
    const wrong = await api.get('/api/admin/journal?from=2026-12-01&to=2026-11-01&action=nope&page=0', admin);
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const fields = Object.fromEntries((wrong.body.errors as Array<{ field: string; message: string }>).map((error) => [error.field, error.message]));
    expect(fields).toMatchObject({ action: 'Action inconnue : choisissez-en une dans la liste.', page: 'La page est un nombre entier à partir de 1.' });
    const reversed = await api.get('/api/admin/journal?from=2026-12-01&to=2026-11-01', admin);
    expect([reversed.status, reversed.body.errors]).toEqual([400, [{ field: 'to', message: 'La fin de la période doit être après son début.' }]]);
    const viewer = await createStaff(api, admin, 'viewer');
    expect((await api.get('/api/admin/journal', await login(api, viewer.email, viewer.password))).status).toBe(403);

    // Pages of 50.
    const service = app.app.get(JournalService);
    const existing = (await journal('?action=account.updated')).length;
    await app.dataSource.transaction(async (manager) => {
      for (let i = 0; i < 55; i++) await service.record(manager, { actor: { id: adminId }, action: 'account.updated', summary: `Essai ${i}` });
    });
    const first = (await api.get('/api/admin/journal?action=account.updated', admin)).body;
    const second = (await api.get('/api/admin/journal?action=account.updated&page=2', admin)).body;
    expect([first.entries.length, first.hasNext, second.entries.length, second.hasNext]).toEqual([50, true, existing + 5, false]);
  });

  it('deletes entries naming a person after RETENTION_MONTHS with the nightly anonymisation, and keeps the others', async () => {
    const service = app.app.get(JournalService);
    app.clock.set('2024-01-10T10:00:00Z');
    await app.dataSource.transaction(async (manager) => {
      await service.record(manager, { actor: null, action: 'booking.cancelled', summary: 'Ancienne entrée nommant Zoé', namesPerson: true });
      await service.record(manager, { actor: null, action: 'account.updated', summary: 'Ancienne entrée sans personne' });
    });
    app.clock.set('2026-11-27T10:00:00Z');
    await app.app.get(PersonalDataService).anonymiseExpired();
    const left = await app.dataSource.query(`SELECT summary FROM staff_journal WHERE summary LIKE 'Ancienne entrée%'`);
    expect(left).toEqual([{ summary: 'Ancienne entrée sans personne' }]);
  });
});
