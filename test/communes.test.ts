import { TerritoryBackfill } from '../src/territory/territory-backfill';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const FONTANES = { code: '42096', name: 'Fontanès', inMetropolis: true };
const CHAZELLES = { code: '42059', name: 'Chazelles-sur-Lyon', inMetropolis: false };

describe('communes from postcodes (Etalab data), and the metropolis', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let slots: string[];

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    const sessions = await listSessions(api, '2026-12-01', '2027-11-30');
    slots = sessions.flatMap((session) => session.slots.map((slot) => slot.id));
  });
  afterAll(() => app.close());

  let next = 0;
  const request = (organisation: Record<string, unknown>) => bookingRequest(slots[next++], { organisation: { name: `Structure ${next}`, ...organisation } });
  const bookingsCount = async () => Number((await app.dataSource.query(`SELECT count(*) AS n FROM bookings`))[0].n);
  const stored = async (id: string) =>
    (
      await app.dataSource.query(
        `SELECT b.organisation_commune_code AS booking, o.commune_code AS register, o.postcode FROM bookings b JOIN organisations o ON o.id = b.organisation_id WHERE b.id = $1`,
        [id],
      )
    )[0];

  describe('GET /api/communes', () => {
    it('lists the communes of a postcode, in or out of the metropolis, without personal data and publicly', async () => {
      const response = await api.get('/api/communes?postcode=42140');
      expect(response.status).toBe(200);
      expect(response.body).toContainEqual(FONTANES);
      expect(response.body).toContainEqual(CHAZELLES);
      expect(response.body.length).toBe(11);
      expect(Object.keys(response.body[0]).sort()).toEqual(['code', 'inMetropolis', 'name']);
      expect((await api.get('/api/communes?postcode=42000')).body).toEqual([{ code: '42218', name: 'Saint-Étienne', inMetropolis: true }]);
      expect((await api.get('/api/communes?postcode=69001')).body).toEqual([{ code: '69123', name: 'Lyon', inMetropolis: false }]);
    });

    it('answers an empty list for an unknown postcode, and 400 with a French message for a malformed one', async () => {
      expect((await api.get('/api/communes?postcode=42999')).body).toEqual([]);
      for (const query of ['?postcode=4214', '?postcode=abcde', '']) {
        const response = await api.get(`/api/communes${query}`);
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.body.errors).toEqual([{ field: 'postcode', message: 'Indiquez un code postal de 5 chiffres, par exemple 42140.' }]);
      }
    });
  });

  describe('POST /api/bookings', () => {
    it('stores the only commune of a postcode, on the booking and in the new register entry', async () => {
      const response = await api.post('/api/bookings', request({ postcode: '42000' }));
      expect(response.status).toBe(201);
      expect(await stored(response.body.id)).toEqual({ booking: '42218', register: '42218', postcode: '42000' });
      const seen = await api.get(`/api/bookings/${response.body.id}?token=${response.body.manageToken}`);
      expect(seen.body.organisation).toMatchObject({ postcode: '42000', communeCode: '42218', commune: 'Saint-Étienne', inMetropolis: true });
    });

    it('asks to choose among the communes of a postcode that has several: 422 listing them, nothing written', async () => {
      const before = await bookingsCount();
      const response = await api.post('/api/bookings', request({ postcode: '42140' }));
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.code).toBe('commune_required');
      const [error] = response.body.errors;
      expect(error.field).toBe('organisation.communeCode');
      expect(error.message).toContain('Le code postal 42140 couvre plusieurs communes');
      expect(error.message).toContain('Fontanès (42096)');
      expect(error.choices).toContainEqual(FONTANES);
      expect(error.choices).toContainEqual(CHAZELLES);
      expect(await bookingsCount()).toBe(before);
    });

    it('takes the chosen commune, in the metropolis or out of it', async () => {
      const fontanes = await api.post('/api/bookings', request({ postcode: '42140', communeCode: '42096' }));
      expect(fontanes.status).toBe(201);
      expect(await stored(fontanes.body.id)).toEqual({ booking: '42096', register: '42096', postcode: '42140' });
      const chazelles = await api.post('/api/bookings', request({ postcode: '42140', communeCode: '42059' }));
      expect(chazelles.status).toBe(201);
      const seen = await api.get(`/api/bookings/${chazelles.body.id}?token=${chazelles.body.manageToken}`);
      expect(seen.body.organisation).toMatchObject({ communeCode: '42059', commune: 'Chazelles-sur-Lyon', inMetropolis: false });
    });

    it('refuses a commune that is not the postcode’s, an unknown postcode, and a commune without postcode, with French field messages', async () => {
      const before = await bookingsCount();
      const wrong = await api.post('/api/bookings', request({ postcode: '42140', communeCode: '42218' }));
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('validation_failed');
      expect(wrong.body.errors[0]).toMatchObject({ field: 'organisation.communeCode' });
      expect(wrong.body.errors[0].message).toMatch(/^Cette commune n’a pas le code postal 42140 : choisissez-en une parmi /);
      const unknown = await api.post('/api/bookings', request({ postcode: '42999' }));
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        { field: 'organisation.postcode', message: 'Ce code postal n’existe pas : vérifiez-le (pour une structure hors de France, laissez-le vide).' },
      ]);
      const alone = await api.post('/api/bookings', request({ communeCode: '42218' }));
      expect(alone.status).toBe(400);
      expect(alone.body.errors).toEqual([{ field: 'organisation.postcode', message: 'Indiquez le code postal de la commune choisie.' }]);
      const malformed = await api.post('/api/bookings', request({ postcode: '42000', communeCode: 'Saint-Étienne' }));
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toEqual([{ field: 'organisation.communeCode', message: 'Commune inconnue : choisissez-en une de la liste.' }]);
      expect(await bookingsCount()).toBe(before);
    });

    it('accepts an organisation without postcode (abroad): no commune', async () => {
      const response = await api.post('/api/bookings', request({ postcode: undefined }));
      expect(response.status).toBe(201);
      expect(await stored(response.body.id)).toEqual({ booking: null, register: null, postcode: null });
    });

    it('does the same for a workshop registration and for staff registering someone', async () => {
      const workshop = await createWorkshop(api, admin);
      const registration = await api.post('/api/bookings', {
        ...request({ postcode: '42140', communeCode: '42059' }),
        slotId: undefined,
        workshopId: workshop.id,
        topics: undefined,
      });
      expect(registration.status).toBe(201);
      expect((await stored(registration.body.id)).booking).toBe('42059');
      // The workshop's list names the commune.
      const list = await fetch(`${app.baseUrl}/api/workshops/${workshop.id}/registrants?format=csv`, { headers: { authorization: `Bearer ${admin}` } });
      const [header, row] = (await list.text()).slice(1).split('\r\n');
      const columns = header.split(';');
      expect(columns.slice(columns.indexOf('Code postal'), columns.indexOf('Code postal') + 2)).toEqual(['Code postal', 'Commune']);
      expect(row.split(';')[columns.indexOf('Commune')]).toBe('Chazelles-sur-Lyon');
      const { consent: _consent, ...online } = request({ postcode: '42140' });
      const staff = await api.post('/api/staff/bookings', { ...online, consent: { oral: true } }, admin);
      expect(staff.status).toBe(422);
      expect(staff.body.code).toBe('commune_required');
    });
  });

  describe('the register', () => {
    it('fills an entry’s empty commune from a later booking that gives it, for the same postcode only', async () => {
      // An entry made before communes were recorded.
      const first = await api.post('/api/bookings', request({ name: 'Atelier du Gier', siret: '73282932000074', postcode: '42140', communeCode: '42096' }));
      const organisation = (await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [first.body.id]))[0].id;
      await app.dataSource.query(`UPDATE organisations SET commune_code = NULL WHERE id = $1`, [organisation]);
      // Another postcode: not this entry's commune.
      await api.post('/api/bookings', request({ name: 'Atelier du Gier', siret: '73282932000074', postcode: '42000' }));
      expect((await app.dataSource.query(`SELECT commune_code FROM organisations WHERE id = $1`, [organisation]))[0].commune_code).toBeNull();
      await api.post('/api/bookings', request({ name: 'Atelier du Gier', siret: '73282932000074', postcode: '42140', communeCode: '42059' }));
      expect((await app.dataSource.query(`SELECT commune_code FROM organisations WHERE id = $1`, [organisation]))[0].commune_code).toBe('42059');
      // Once known, a booking does not change it (admins correct it on the entry).
      await api.post('/api/bookings', request({ name: 'Atelier du Gier', siret: '73282932000074', postcode: '42140', communeCode: '42096' }));
      expect((await app.dataSource.query(`SELECT commune_code FROM organisations WHERE id = $1`, [organisation]))[0].commune_code).toBe('42059');
    });

    it('fills the commune of one entry once when bookings of that organisation arrive together', async () => {
      const siret = '40483304800022';
      const first = await api.post('/api/bookings', request({ name: 'Coopérative simultanée', siret }));
      const [{ id }] = await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [first.body.id]);
      const together = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          api.post('/api/bookings', request({ name: 'Coopérative simultanée', siret, postcode: '42140', communeCode: i % 2 ? '42059' : '42096' })),
        ),
      );
      expect(together.map((response) => response.status)).toEqual(Array(12).fill(201));
      const entries = await app.dataSource.query(`SELECT DISTINCT organisation_id AS id FROM bookings WHERE id = ANY($1)`, [
        together.map((response) => response.body.id),
      ]);
      expect(entries).toEqual([{ id }]);
      const [entry] = await app.dataSource.query(`SELECT postcode, commune_code AS code FROM organisations WHERE id = $1`, [id]);
      expect(entry.postcode).toBe('42140');
      expect(['42059', '42096']).toContain(entry.code);
    });

    it('names the commune on the agenda of the day', async () => {
      const booked = await api.post('/api/bookings', request({ name: 'Agenda de Fontanès', postcode: '42140', communeCode: '42096' }));
      const seen = await api.get(`/api/bookings/${booked.body.id}?token=${booked.body.manageToken}`);
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(seen.body.startsAt));
      const agenda = await api.get(`/api/agenda?date=${date}`, admin);
      expect(agenda.status).toBe(200);
      const bookings = agenda.body.items.flatMap((item: { bookings: Array<{ id: string }> }) => item.bookings);
      expect(bookings.find((booking: { id: string }) => booking.id === booked.body.id).organisation).toMatchObject({
        postcode: '42140',
        communeCode: '42096',
        commune: 'Fontanès',
        inMetropolis: true,
      });
    });

    it('shows the commune’s name and whether it is in the metropolis, to admins and viewers', async () => {
      const booked = await api.post('/api/bookings', request({ name: 'Coop de Fontanès', postcode: '42140', communeCode: '42096' }));
      const id = (await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [booked.body.id]))[0].id;
      const viewer = await createStaff(api, admin, 'viewer');
      const token = await login(api, viewer.email, viewer.password);
      for (const who of [admin, token]) {
        const entry = await api.get(`/api/organisations/${id}`, who);
        expect(entry.status).toBe(200);
        expect(entry.body).toMatchObject({ postcode: '42140', communeCode: '42096', commune: 'Fontanès', inMetropolis: true });
      }
      const listed = await api.get(`/api/organisations?q=${encodeURIComponent('Fontanès')}`, admin);
      expect(listed.body.map((entry: { id: string }) => entry.id)).toContain(id);
    });

    it('corrects the postcode and commune: the only commune by itself, a choice among several, refusals in French', async () => {
      const booked = await api.post('/api/bookings', request({ name: 'Régie de quartier', postcode: '42000' }));
      const id = (await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [booked.body.id]))[0].id;
      const several = await api.patch(`/api/organisations/${id}`, { postcode: '42140' }, admin);
      expect(several.status).toBe(422);
      expect(several.body.code).toBe('commune_required');
      expect(several.body.errors[0].field).toBe('communeCode');
      const wrong = await api.patch(`/api/organisations/${id}`, { postcode: '42140', communeCode: '42218' }, admin);
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors[0].field).toBe('communeCode');
      const unknown = await api.patch(`/api/organisations/${id}`, { postcode: '42999' }, admin);
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0]).toEqual({
        field: 'postcode',
        message: 'Ce code postal n’existe pas : vérifiez-le (pour une structure hors de France, laissez-le vide).',
      });
      expect((await api.get(`/api/organisations/${id}`, admin)).body).toMatchObject({ postcode: '42000', communeCode: '42218', commune: 'Saint-Étienne' });

      const chosen = await api.patch(`/api/organisations/${id}`, { postcode: '42140', communeCode: '42059' }, admin);
      expect(chosen.status).toBe(200);
      expect(chosen.body).toMatchObject({ postcode: '42140', communeCode: '42059', commune: 'Chazelles-sur-Lyon', inMetropolis: false });
      // Within the same postcode, the commune alone.
      const moved = await api.patch(`/api/organisations/${id}`, { communeCode: '42096' }, admin);
      expect(moved.body).toMatchObject({ postcode: '42140', communeCode: '42096', commune: 'Fontanès', inMetropolis: true });
      const single = await api.patch(`/api/organisations/${id}`, { postcode: '42400' }, admin);
      expect(single.body).toMatchObject({ postcode: '42400', communeCode: '42207', commune: 'Saint-Chamond', inMetropolis: true });
      const abroad = await api.patch(`/api/organisations/${id}`, { postcode: null }, admin);
      expect(abroad.body).toMatchObject({ postcode: null, communeCode: null, commune: null, inMetropolis: null });
    });

    it('lets an entry of several communes and none chosen be corrected otherwise, its postcode sent again as the pages do', async () => {
      const booked = await api.post('/api/bookings', request({ name: 'Amicale des Monts', postcode: '42140', communeCode: '42059' }));
      const id = (await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [booked.body.id]))[0].id;
      await app.dataSource.query(`UPDATE organisations SET commune_code = NULL WHERE id = $1`, [id]);
      const corrected = await api.patch(`/api/organisations/${id}`, { sector: 'Culture', postcode: '42140', communeCode: null }, admin);
      expect(corrected.status).toBe(200);
      expect(corrected.body).toMatchObject({ sector: 'Culture', postcode: '42140', communeCode: null, inMetropolis: null });
    });
  });

  describe('the backfill at start', () => {
    it('gives a commune to bookings and entries with a postcode of one commune, leaves the others, and does nothing the second time', async () => {
      const single = await api.post('/api/bookings', request({ name: 'Ancienne structure', postcode: '42400' }));
      const multiple = await api.post('/api/bookings', request({ name: 'Ancienne structure du Forez', postcode: '42140', communeCode: '42059' }));
      // As before communes were recorded.
      await app.dataSource.query(`UPDATE bookings SET organisation_commune_code = NULL WHERE id = ANY($1)`, [[single.body.id, multiple.body.id]]);
      await app.dataSource.query(`UPDATE organisations SET commune_code = NULL WHERE id IN (SELECT organisation_id FROM bookings WHERE id = ANY($1))`, [
        [single.body.id, multiple.body.id],
      ]);
      const backfill = app.app.get(TerritoryBackfill);
      const first = await backfill.run();
      expect(first.bookings).toBeGreaterThanOrEqual(1);
      expect(first.organisations).toBeGreaterThanOrEqual(1);
      expect(await stored(single.body.id)).toEqual({ booking: '42207', register: '42207', postcode: '42400' });
      // 42140 serves eleven communes: not guessed.
      expect(await stored(multiple.body.id)).toEqual({ booking: null, register: null, postcode: '42140' });
      expect(await backfill.run()).toEqual({ bookings: 0, organisations: 0 });
    });
  });
});
