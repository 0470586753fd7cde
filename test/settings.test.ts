import { OutboxSender } from '../src/notifications/outbox-sender.service';
import { adminToken, bookingRequest, createStaff, listSessions, login } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

describe('the programme settings (/api/settings)', () => {
  let app: TestApp;
  let other: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({
      now: '2026-11-27T10:00:00Z',
      env: { CRESS_ADDRESS: '1 rue de la Config, 42000 Saint-Étienne', HOLIDAY_POLICY: 'cancel', REMINDER_HOURS_BEFORE: '48' },
    });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });
  afterAll(async () => {
    await other?.close();
    await app?.close();
  });

  const settingsRow = () => app.dataSource.query(`SELECT * FROM settings`);

  it('starts from the configuration', async () => {
    const response = await api.get('/api/settings', admin);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'CRESS Auvergne-Rhône-Alpes',
      legalName: 'Chambre régionale de l’économie sociale et solidaire Auvergne-Rhône-Alpes',
      address: '1 rue de la Config, 42000 Saint-Étienne',
      contactEmail: 'contact@cress.example',
      privacyEmail: 'donnees-personnelles@cress.example',
      holidayPolicy: 'cancel',
      reminderHoursBefore: 48,
    });
  });

  it('refuses bad input with French field errors and writes nothing', async () => {
    await api.get('/api/settings', admin);
    const before = await settingsRow();
    const response = await api.patch(
      '/api/settings',
      { legalName: '  ', address: 'x'.repeat(301), contactEmail: 'pas-une-adresse', privacyEmail: 42, holidayPolicy: 'skip', reminderHoursBefore: 0 },
      admin,
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'address',
      'contactEmail',
      'holidayPolicy',
      'legalName',
      'privacyEmail',
      'reminderHoursBefore',
    ]);
    expect(response.body.errors.find((error: { field: string }) => error.field === 'reminderHoursBefore').message).toBe(
      'Le délai du rappel est un nombre d’heures de 1 à 720 (30 jours).',
    );
    expect(await settingsRow()).toEqual(before);
  });

  it('shows a change in the pages and the privacy notice, on this instance and on another one at once', async () => {
    other = await startTestApp({ now: '2026-11-27T10:00:00Z', sameDatabaseAs: app });
    const otherApi = client(other.baseUrl);
    expect((await otherApi.get('/donnees-personnelles')).text).toContain('1 rue de la Config');

    const changed = await api.patch(
      '/api/settings',
      {
        legalName: 'CRESS AURA (association loi 1901)',
        address: '12 rue de la République, 42000 Saint-Étienne',
        contactEmail: 'bonjour@cress-aura.test',
        privacyEmail: 'rgpd@cress-aura.test',
      },
      admin,
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ legalName: 'CRESS AURA (association loi 1901)', holidayPolicy: 'cancel', reminderHoursBefore: 48 });

    for (const instance of [api, otherApi]) {
      const notice = await instance.get('/donnees-personnelles');
      expect(notice.text).toContain(
        'Le responsable du traitement est : CRESS AURA (association loi 1901) (CRESS Auvergne-Rhône-Alpes), 12 rue de la République, 42000 Saint-Étienne.',
      );
      expect(notice.text).toContain('rgpd@cress-aura.test');
      expect(notice.text).not.toContain('1 rue de la Config');
      expect((await instance.get('/')).text).toContain('mailto:bonjour@cress-aura.test');
    }
  });

  it('generates the sessions from now on with the holiday policy set', async () => {
    // Ascension 2028 is Thursday 25 May, the last Thursday of May; the horizon reaches it from June 2027.
    expect((await api.patch('/api/settings', { holidayPolicy: 'previous_week' }, admin)).body.holidayPolicy).toBe('previous_week');
    app.clock.set('2027-06-01T10:00:00Z');
    await app.generator.extendHorizon();
    const may = await listSessions(api, '2028-05-01', '2028-05-31');
    expect(may.map((session) => [session.date, session.status, session.originalDate])).toEqual([['2028-05-18', 'scheduled', '2028-05-25']]);
    app.clock.set('2026-11-27T10:00:00Z');
  });

  it('gives sessions generated from now on a desk for each advisor on duty by default', async () => {
    const [series] = (await api.get('/api/permanences/series', admin)).body.filter((candidate: { isDefault: boolean }) => candidate.isDefault);
    const first = await createStaff(api, admin, 'advisor', 'Aline Conseillère');
    const second = await createStaff(api, admin, 'advisor', 'Bruno Conseiller');
    const viewer = await createStaff(api, admin, 'viewer');
    const refused = await api.patch(`/api/permanences/series/${series.id}`, { advisorIds: [first.id, viewer.id], location: 'Ailleurs' }, admin);
    expect([refused.status, refused.body.code, refused.body.errors]).toEqual([
      422,
      'advisor_invalid',
      [{ field: 'advisorIds', message: 'Compte inconnu, désactivé ou sans rôle de conseiller.' }],
    ]);
    expect((await api.patch(`/api/permanences/series/${series.id}`, { advisorIds: ['pas-un-uuid'] }, admin)).status).toBe(400);
    expect(await app.dataSource.query(`SELECT * FROM series_advisors`)).toEqual([]);
    expect((await api.get('/api/permanences/series', admin)).body[0].location).toBe(series.location);

    const changed = await api.patch(`/api/permanences/series/${series.id}`, { advisorIds: [second.id, first.id] }, admin);
    expect(changed.status).toBe(200);
    expect(changed.body.series.advisorIds).toEqual([second.id, first.id]);
    const existing = await listSessions(api, '2027-01-01', '2027-01-31');
    expect(existing[0].slots.every((slot) => slot.advisor === undefined)).toBe(true);

    app.clock.set('2027-08-01T10:00:00Z');
    await app.generator.extendHorizon();
    const [july2028] = await listSessions(api, '2028-07-01', '2028-07-31');
    expect(new Set(july2028.slots.map((slot) => slot.advisor?.name))).toEqual(new Set(['Bruno Conseiller', 'Aline Conseillère']));
    app.clock.set('2026-11-27T10:00:00Z');
  });

  it('records reminders with the delay set', async () => {
    const [session] = await listSessions(api, '2027-02-01', '2027-02-28');
    expect((await api.post('/api/bookings', bookingRequest(session.slots[0].id))).status).toBe(201);
    const sender = app.app.get(OutboxSender);
    // 60 hours before: outside the configured 48, inside the 72 set.
    const sixtyHoursBefore = new Date(new Date(session.slots[0].startsAt).getTime() - 60 * 3_600_000);
    app.clock.set(sixtyHoursBefore);
    expect(await sender.queueReminders()).toBe(0);
    app.clock.set('2026-11-27T10:00:00Z');
    expect((await api.patch('/api/settings', { reminderHoursBefore: 72 }, admin)).status).toBe(200);
    app.clock.set(sixtyHoursBefore);
    expect(await sender.queueReminders()).toBe(1);
    app.clock.set('2026-11-27T10:00:00Z');
  });

  it('is for admins only', async () => {
    for (const role of ['advisor', 'viewer'] as const) {
      const staff = await createStaff(api, admin, role);
      const token = await login(api, staff.email, staff.password);
      expect((await api.get('/api/settings', token)).status).toBe(403);
      expect((await api.patch('/api/settings', { address: 'Ailleurs' }, token)).status).toBe(403);
    }
    expect((await api.get('/api/settings')).status).toBe(401);
  });
});
