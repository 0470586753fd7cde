import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

describe('the register of organisations', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let slots: string[];

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    const sessions = await listSessions(api, '2026-12-01', '2027-06-30');
    slots = sessions.flatMap((session) => session.slots.map((slot) => slot.id));
  });
  afterAll(() => app.close());

  let next = 0;
  const book = (organisation: Record<string, unknown>, attendee = { name: `Personne ${next}`, email: `p${next}@asso.test` }) =>
    api.post('/api/bookings', bookingRequest(slots[next++], { organisation, attendee })).then((response) => {
      expect(response.status).toBe(201);
      return response.body;
    });
  async function organisationOf(bookingId: string): Promise<string> {
    const [row] = await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [bookingId]);
    return row.id;
  }

  it('finds an organisation by its SIRET, whatever name the booking gives', async () => {
    const a = await book({ name: 'SCIC Énergie', siret: '73282932000074', legalForm: 'cooperative' });
    const b = await book({ name: 'Scic energie citoyenne', siret: '732 829 320 00074' });
    expect(await organisationOf(b.id)).toBe(await organisationOf(a.id));
  });

  it('finds one without a SIRET by its name (case and spaces aside) and postcode', async () => {
    const a = await book({ name: 'Les Jardins  Partagés', postcode: '42000' });
    const b = await book({ name: ' les jardins partagés ', postcode: '42000' });
    const c = await book({ name: 'Les Jardins Partagés', postcode: '42100' });
    expect(await organisationOf(b.id)).toBe(await organisationOf(a.id));
    expect(await organisationOf(c.id)).not.toBe(await organisationOf(a.id));
  });

  it('shows an entry with its contact people and every booking and registration, topics and attendance', async () => {
    const first = await book(
      { name: 'Mutuelle du Forez', legalForm: 'mutuelle', postcode: '42600', communeCode: '42147' },
      { name: 'Ana', email: 'ana@mutuelle.test' },
    );
    await book({ name: 'Mutuelle du Forez', postcode: '42600', communeCode: '42147' }, { name: 'Ana', email: 'ANA@mutuelle.test' });
    const workshop = await createWorkshop(api, admin);
    await api.post(
      '/api/bookings',
      registrationRequest(workshop.id, {
        organisation: { name: 'Mutuelle du Forez', postcode: '42600', communeCode: '42147' },
        attendee: { name: 'Basile', email: 'basile@mutuelle.test' },
      }),
    );
    const id = await organisationOf(first.id);
    const response = await api.get(`/api/organisations/${id}`, admin);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'Mutuelle du Forez',
      legalForm: 'mutuelle',
      legalFormLabel: 'Mutuelle',
      postcode: '42600',
      permanenceBookings: 2,
      workshopRegistrations: 1,
    });
    expect(response.body.contacts.map((contact: { email: string }) => contact.email.toLowerCase()).sort()).toEqual([
      'ana@mutuelle.test',
      'basile@mutuelle.test',
    ]);
    expect(response.body.bookings).toHaveLength(3);
    expect(response.body.bookings.find((booking: { kind: string }) => booking.kind === 'workshop')).toMatchObject({
      title: workshop.title,
      status: 'confirmed',
      attendance: null,
    });
    expect(response.body.bookings[2].topics).toEqual([
      { code: 'legal_status', label: 'Évolution des statuts' },
      { code: 'responsible_purchasing', label: 'Achats responsables' },
    ]);
    const list = await api.get('/api/organisations?q=forez', admin);
    expect(list.body.map((organisation: { id: string }) => organisation.id)).toEqual([id]);
  });

  it('lets an admin correct an entry, with field errors for bad values', async () => {
    const booking = await book({ name: 'Régie de quartier', postcode: '42000' });
    const id = await organisationOf(booking.id);
    const corrected = await api.patch(
      `/api/organisations/${id}`,
      { esusApproved: true, sector: 'Insertion par l’activité économique', commune: 'Saint-Étienne', legalForm: 'association' },
      admin,
    );
    expect(corrected.body).toMatchObject({
      esusApproved: true,
      sector: 'Insertion par l’activité économique',
      commune: 'Saint-Étienne',
      legalFormLabel: 'Association',
    });
    const bad = await api.patch(`/api/organisations/${id}`, { siret: '73282932000075', legalForm: 'Sarl' }, admin);
    expect([bad.status, bad.body.errors.map((error: { field: string }) => error.field).sort()]).toEqual([400, ['legalForm', 'siret']]);
    // A well-formed code that is not in the list of legal forms (settings/lists.service.ts) is refused too.
    const unknown = await api.patch(`/api/organisations/${id}`, { legalForm: 'sarl' }, admin);
    expect([unknown.status, unknown.body.errors.map((error: { field: string }) => error.field)]).toEqual([400, ['legalForm']]);
  });

  it('merges a duplicate: its bookings move, and later bookings that would find it find the entry kept', async () => {
    const kept = await book({ name: 'Association Solidaire', postcode: '42000' });
    const duplicate = await book({ name: 'Asso. Solidaire', postcode: '42000' });
    const [keptId, duplicateId] = [await organisationOf(kept.id), await organisationOf(duplicate.id)];
    const merged = await api.post(`/api/organisations/${duplicateId}/merge`, { into: keptId }, admin);
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: keptId, permanenceBookings: 2 });
    expect(await organisationOf(duplicate.id)).toBe(keptId);
    const later = await book({ name: 'asso. solidaire', postcode: '42000' });
    expect(await organisationOf(later.id)).toBe(keptId);
    expect((await api.get('/api/organisations?q=solidaire', admin)).body.map((organisation: { id: string }) => organisation.id)).toEqual([keptId]);
    const again = await api.post(`/api/organisations/${duplicateId}/merge`, { into: keptId }, admin);
    expect([again.status, again.body.code]).toEqual([422, 'organisation_merged']);
    const self = await api.post(`/api/organisations/${keptId}/merge`, { into: keptId }, admin);
    expect([self.status, self.body.code]).toEqual([400, 'validation_failed']);
  });

  it('shows the metropolis an entry and its history without anyone’s name, e-mail or phone; admins keep them', async () => {
    const first = await book({ name: 'Tiers-lieu du Pilat', postcode: '42410', communeCode: '42168' }, { name: 'Zoé Vernay', email: 'zoe@pilat.test' });
    await api.post(
      '/api/bookings',
      bookingRequest(slots[next++], {
        organisation: { name: 'Tiers-lieu du Pilat', postcode: '42410', communeCode: '42168' },
        attendee: { name: 'Yanis Fort', email: 'yanis@pilat.test', phone: '0477000000' },
      }),
    );
    const id = await organisationOf(first.id);
    const viewer = await createStaff(api, admin, 'viewer');
    const seen = await api.get(`/api/organisations/${id}`, await login(api, viewer.email, viewer.password));
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id, name: 'Tiers-lieu du Pilat', postcode: '42410', commune: 'Pélussin', inMetropolis: false, permanenceBookings: 2 });
    expect(seen.body).not.toHaveProperty('contacts');
    expect(seen.body.bookings).toHaveLength(2);
    for (const booking of seen.body.bookings)
      // Orientations are figures (follow-ups/): the viewer gets them, never the follow-up itself (test/follow-up.test.ts).
      expect(Object.keys(booking).sort()).toEqual(['attendance', 'id', 'kind', 'orientations', 'startsAt', 'status', 'title', 'topics']);
    for (const text of ['Zoé', 'zoe@pilat.test', 'Yanis', 'yanis@pilat.test', '0477000000']) expect(seen.text).not.toContain(text);

    const full = (await api.get(`/api/organisations/${id}`, admin)).body;
    expect(full.contacts.map((contact: { email: string }) => contact.email).sort()).toEqual(['yanis@pilat.test', 'zoe@pilat.test']);
    expect(full.contacts.find((contact: { email: string }) => contact.email === 'yanis@pilat.test').phone).toBe('0477000000');
    expect(full.bookings.map((booking: { attendeeName: string }) => booking.attendeeName).sort()).toEqual(['Yanis Fort', 'Zoé Vernay']);
  });

  it('shows the register to admins and the metropolis (read-only), not to advisors', async () => {
    const viewer = await createStaff(api, admin, 'viewer');
    const viewerToken = await login(api, viewer.email, viewer.password);
    expect((await api.get('/api/organisations', viewerToken)).status).toBe(200);
    const [any] = (await api.get('/api/organisations', viewerToken)).body;
    expect((await api.patch(`/api/organisations/${any.id}`, { sector: 'x' }, viewerToken)).status).toBe(403);
    const advisor = await createStaff(api, admin, 'advisor');
    expect((await api.get('/api/organisations', await login(api, advisor.email, advisor.password))).status).toBe(403);
    expect((await api.get('/api/organisations')).status).toBe(401);
  });
});
