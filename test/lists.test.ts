import { adminToken, bookingRequest, createStaff, listSessions, login } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

describe('the editable lists (topics, legal forms, orientations)', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let slots: Array<{ id: string; date: string }>;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    const sessions = await listSessions(api, '2026-12-01', '2027-06-30');
    slots = sessions.flatMap((session) => session.slots.map((slot) => ({ id: slot.id, date: session.date })));
  });
  afterAll(() => app.close());

  let next = 0;
  const nextSlot = () => slots[next++];
  const rowCount = async (table: string) => Number((await app.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('starts with today’s entries, same codes, in the same order', async () => {
    const topics = await api.get('/api/lists/topics', admin);
    expect(topics.status).toBe(200);
    expect(topics.body.map((entry: { code: string }) => entry.code)).toEqual([
      'collective_needs',
      'legal_status',
      'responsible_purchasing',
      'essaimage',
      'recognition',
      'ambition_ess',
      'regional_support',
      'other',
    ]);
    expect(topics.body[5]).toEqual({ code: 'ambition_ess', label: 'La plateforme « Ambition ESS »', position: 6, archived: false, archivedAt: null });
    const legalForms = await api.get('/api/lists/legal-forms', admin);
    expect(legalForms.body.map((entry: { code: string }) => entry.code)).toEqual([
      'association',
      'cooperative',
      'mutuelle',
      'fondation',
      'societe_commerciale_ess',
      'other',
    ]);
  });

  it('archives a topic: no longer offered nor accepted, while an old booking and the report keep its label', async () => {
    const slot = nextSlot();
    const old = await api.post('/api/bookings', bookingRequest(slot.id, { topics: ['ambition_ess'] }));
    expect(old.status).toBe(201);

    const archived = await api.patch('/api/lists/topics/ambition_ess', { archived: true }, admin);
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ code: 'ambition_ess', archived: true });

    const options = await api.get('/api/booking-options');
    expect(options.body.topics.map((topic: { code: string }) => topic.code)).not.toContain('ambition_ess');
    const refused = await api.post('/api/bookings', bookingRequest(nextSlot().id, { topics: ['ambition_ess'] }));
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'topics', message: expect.stringContaining('Sujet non proposé (ou plus proposé) : ambition_ess') }]);

    const report = await api.get(`/api/reports/attendance?from=2026-11-01&to=${slot.date}`, admin);
    expect(report.status).toBe(200);
    expect(report.body.figures.byTopic).toContainEqual(expect.objectContaining({ code: 'ambition_ess', label: 'La plateforme « Ambition ESS »', bookings: 1 }));
    expect(report.body.rows.map((row: { topics: string }) => row.topics)).toContain('La plateforme « Ambition ESS »');

    const all = await api.get('/api/lists/topics', admin);
    expect(all.body.at(-1)).toMatchObject({ code: 'ambition_ess', label: 'La plateforme « Ambition ESS »', archived: true });
    const again = await api.patch('/api/lists/topics/ambition_ess', { archived: false }, admin);
    expect(again.body).toMatchObject({ archived: false, position: 8 });
  });

  it('adds, renames and reorders: the booking options follow, and a booking takes the new entry', async () => {
    const added = await api.post('/api/lists/topics', { label: 'Financement participatif' }, admin);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ code: 'financement_participatif', label: 'Financement participatif', archived: false });
    const moved = await api.patch('/api/lists/topics/financement_participatif', { position: 1, label: 'Financement participatif et dons' }, admin);
    expect(moved.body).toMatchObject({ position: 1, label: 'Financement participatif et dons' });
    const options = await api.get('/api/booking-options');
    expect(options.body.topics[0]).toEqual({ code: 'financement_participatif', label: 'Financement participatif et dons' });
    expect(options.body.topics[1].code).toBe('collective_needs');
    const positions = (await api.get('/api/lists/topics', admin)).body
      .filter((entry: { archived: boolean }) => !entry.archived)
      .map((entry: { position: number }) => entry.position);
    expect(positions).toEqual(positions.map((_: number, index: number) => index + 1));

    const booked = await api.post('/api/bookings', bookingRequest(nextSlot().id, { topics: ['financement_participatif'] }));
    expect(booked.status).toBe(201);

    const legalForm = await api.post('/api/lists/legal-forms', { label: 'Groupement d’employeurs', code: 'groupement_employeurs' }, admin);
    expect(legalForm.status).toBe(201);
    const withLegalForm = await api.post(
      '/api/bookings',
      bookingRequest(nextSlot().id, { organisation: { name: 'GE Loire', legalForm: 'groupement_employeurs' } }),
    );
    expect(withLegalForm.status).toBe(201);
  });

  it('adds and archives an orientation like the other lists: offered for follow-ups until archived', async () => {
    const orientations = await api.get('/api/lists/orientations', admin);
    expect(orientations.body.map((entry: { code: string }) => entry.code)).toEqual(['dla', 'france_active', 'urscop', 'incubator', 'region', 'other']);
    const added = await api.post('/api/lists/orientations', { label: 'Pôle territorial de coopération économique' }, admin);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ code: 'pole_territorial_de_cooperation_ec', archived: false, position: 7 });
    const offered = async () => (await api.get('/api/orientations', admin)).body.map((entry: { code: string }) => entry.code);
    expect(await offered()).toContain(added.body.code);
    const archived = await api.patch(`/api/lists/orientations/${added.body.code}`, { archived: true }, admin);
    expect(archived.body).toMatchObject({ archived: true });
    expect(await offered()).not.toContain(added.body.code);
    expect((await api.get('/api/lists/orientations', admin)).body.at(-1)).toMatchObject({ code: added.body.code, archived: true });
    const entries = await app.dataSource.query(`SELECT summary FROM staff_journal WHERE action = 'list.updated' AND details->>'list' = 'orientations'`);
    expect(entries).toEqual([{ summary: 'Orientations : « Pôle territorial de coopération économique » archivé' }]);
  });

  it('refuses bad input with French field errors and writes nothing', async () => {
    const before = await app.dataSource.query(`SELECT * FROM topics ORDER BY code`);
    const cases: Array<[string, string, unknown, string[]]> = [
      ['post', '/api/lists/topics', { label: '' }, ['label']],
      ['post', '/api/lists/topics', { label: 'x'.repeat(201) }, ['label']],
      ['post', '/api/lists/topics', { label: 'Évolution des statuts' }, ['label']],
      ['post', '/api/lists/topics', { label: 'Nouveau', code: 'Pas Un Code' }, ['code']],
      ['post', '/api/lists/topics', { label: 'Nouveau', code: 'other' }, ['code']],
      ['patch', '/api/lists/topics/legal_status', { position: 0 }, ['position']],
      ['patch', '/api/lists/topics/legal_status', { archived: 'oui' }, ['archived']],
      ['patch', '/api/lists/topics/legal_status', { label: 'Achats responsables' }, ['label']],
      ['patch', '/api/lists/topics/legal_status', { archived: true, position: 2 }, ['position']],
    ];
    for (const [method, path, body, fields] of cases) {
      const response = await api.request(method.toUpperCase(), path, { body, token: admin });
      expect([
        path,
        JSON.stringify(body),
        response.status,
        response.headers.get('content-type'),
        response.body.errors.map((error: { field: string }) => error.field),
      ]).toEqual([path, JSON.stringify(body), 400, 'application/problem+json; charset=utf-8', fields]);
      for (const error of response.body.errors) expect(error.message).toMatch(/[a-zé]/);
    }
    expect(await app.dataSource.query(`SELECT * FROM topics ORDER BY code`)).toEqual(before);
    expect((await api.patch('/api/lists/topics/nope', { label: 'X' }, admin)).status).toBe(404);
    expect((await api.get('/api/lists/sectors', admin)).status).toBe(404);
    expect(await rowCount('legal_forms')).toBe(7);
  });

  it('is for admins only', async () => {
    for (const role of ['advisor', 'viewer'] as const) {
      const staff = await createStaff(api, admin, role);
      const token = await login(api, staff.email, staff.password);
      expect((await api.get('/api/lists/topics', token)).status).toBe(403);
      expect((await api.post('/api/lists/topics', { label: 'Sujet' }, token)).status).toBe(403);
      expect((await api.patch('/api/lists/topics/other', { archived: true }, token)).status).toBe(403);
    }
    expect((await api.get('/api/lists/topics')).status).toBe(401);
  });
});
