import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Workbook } from 'exceljs';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const RANGE = 'from=2027-01-01&to=2027-03-31';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PHONE = '04 77 00 00 00';
/** What only an admin may read: the attendees' names and e-mails, the follow-up notes, the satisfaction comments. */
const PERSONAL = {
  names: ['Aline Aubert', 'Bastien Brun', 'Chloé Carré', 'Denis Dufour', 'Elsa Evrard', 'Fanny Faure', 'Gilles Gros', 'Hélène Hardy'],
  emails: ['aline@coop.test', 'bastien@firminy.test', 'chloe@lyon.test', 'denis@fondation.test', 'elsa@mutuelle.test'],
  notes: ['Projet de SCIC à suivre de près', 'Rappeler en juin pour le DLA'],
  comments: ['Très utile, merci', 'Bon accueil', 'Trop court'],
};

interface PdfText {
  pages: Array<{ width: number; height: number; lines: string[] }>;
  title: string | null;
}

/** The PDF's text as pdfjs-dist (Mozilla's parser, in a process of its own) reads it. */
function pdfText(bytes: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(__dirname, 'support', 'pdf-text.mjs')], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(new Error(`pdf-text.mjs failed: ${error.message}`)) : resolve(JSON.parse(stdout) as PdfText),
    );
    child.stdin!.end(bytes);
  });
}

/** Every cell of every sheet, as text. */
async function workbookText(bytes: Buffer): Promise<{ sheets: string[]; text: string; rows: (sheet: string) => string[][] }> {
  const workbook = new Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows = (name: string) => {
    const found: string[][] = [];
    workbook
      .getWorksheet(name)!
      .eachRow((row) =>
        found.push(
          (row.values as Array<string | number | null | undefined>).slice(1).map((value) => (value === undefined || value === null ? '' : String(value))),
        ),
      );
    return found;
  };
  return { sheets: workbook.worksheets.map((sheet) => sheet.name), text: workbook.worksheets.flatMap((sheet) => rows(sheet.name).flat()).join('\n'), rows };
}

/**
 * A known programme, built through the API from 1 October 2026, for the first quarter of 2027: the
 * permanences of 28 January and 25 March (held) and 25 February (cancelled); a workshop on 10
 * February with a waitlist, one cancelled on 10 March. Five organisations: A (Saint-Étienne), B
 * (Firminy), C (Lyon, outside the metropolis), D (no commune), E (Saint-Chamond in the register,
 * Lyon on its booking; first seen in October 2026, so not new). Follow-ups and satisfaction answers
 * are written in SQL, as their forms do, and so are the questionnaires sent
 * (`satisfaction_requested_at`, as the satisfaction scheduler marks them): to every answered booking,
 * to b2 and b6 (noted present when the e-mail went, then corrected to absent and excused), not to w2
 * (present, never asked: its attendee had opted out); b7 is marked too, but a cancelled booking counts
 * nowhere.
 */
describe('the metropolis’ bilan', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let viewer: { email: string; password: string };
  let viewerToken: string;
  let advisor: { email: string; password: string };

  async function at(instant: string): Promise<void> {
    app.clock.set(instant);
    admin = await adminToken(api);
  }
  async function book(request: Record<string, unknown>): Promise<{ id: string; manageToken: string }> {
    const response = await api.post('/api/bookings', request);
    if (response.status !== 201) throw new Error(`booking failed: ${response.status} ${response.text}`);
    return response.body;
  }
  const person = (index: number) => ({
    attendee: { name: PERSONAL.names[index], email: `${PERSONAL.names[index].split(' ')[0].toLowerCase()}.${index}@bilan.test`, phone: PHONE },
  });
  async function attend(bookingId: string, status: 'present' | 'absent' | 'excused'): Promise<void> {
    expect((await api.put(`/api/bookings/${bookingId}/attendance`, { status }, admin)).status).toBe(200);
  }
  async function download(path: string, token: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    const response = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }
  /** A staff page as a signed-in browser gets it (the session cookie carries the access token). */
  async function page(path: string, token: string): Promise<{ status: number; headers: Headers; bytes: Buffer; text: string }> {
    const response = await fetch(`${app.baseUrl}${path}`, { headers: { accept: 'text/html', cookie: `rv_session=${token}` }, redirect: 'manual' });
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') };
  }
  const sql = (query: string, parameters: unknown[] = []) => app.dataSource.query(query, parameters);
  const followUp = (bookingId: string, orientations: string[], note: string | null) =>
    sql(`INSERT INTO booking_follow_ups (booking_id, note, orientations, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`, [
      bookingId,
      note,
      orientations,
    ]);
  const answer = (bookingId: string, score: number, comment: string | null) =>
    sql(`INSERT INTO satisfaction_answers (booking_id, score, comment, answered_at, updated_at) VALUES ($1, $2, $3, now(), now())`, [
      bookingId,
      score,
      comment,
    ]);

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-10-01T08:00:00Z', env: { CRESS_NAME: 'CRESS Loire' } });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    viewer = await createStaff(api, admin, 'viewer', 'Métropole');
    advisor = await createStaff(api, admin, 'advisor', 'Alice Conseil');
    const sessions = await listSessions(api, '2026-10-01', '2027-03-31');
    const on = (date: string) => sessions.find((session) => session.date === date)!;
    expect(sessions.map((session) => session.date)).toEqual(['2026-10-29', '2026-11-26', '2026-12-31', '2027-01-28', '2027-02-25', '2027-03-25']);

    const A = { name: 'Coop A', siret: '42100000000016', legalForm: 'cooperative', postcode: '42000' };
    const B = { name: 'Asso B', siret: '69000000000024', legalForm: 'association', postcode: '42700' };
    const C = { name: 'Entraide C', siret: '42000000000034', legalForm: 'association', postcode: '69001' };
    const D = { name: 'Fondation D', siret: '75000000000042', legalForm: 'fondation' }; // no postcode: no commune
    const E = { name: 'Mutuelle E', siret: '13000000000062', legalForm: 'mutuelle', postcode: '69001' };
    const october = await book(bookingRequest(on('2026-10-29').slots[0].id, { ...person(4), organisation: E, topics: ['other'] }));
    const january = on('2027-01-28').slots;
    const b1 = await book(bookingRequest(january[0].id, { ...person(0), organisation: A, topics: ['legal_status'] }));
    const b2 = await book(bookingRequest(january[1].id, { ...person(1), organisation: B, topics: ['legal_status', 'responsible_purchasing'] }));
    const b3 = await book(bookingRequest(january[2].id, { ...person(2), organisation: C, topics: ['other'] }));
    const b4 = await book(bookingRequest(january[3].id, { ...person(4), organisation: E, topics: [] }));
    const march = on('2027-03-25').slots;
    const b5 = await book(bookingRequest(march[0].id, { ...person(5), organisation: A, topics: ['legal_status'] }));
    const b6 = await book(bookingRequest(march[1].id, { ...person(3), organisation: D, topics: ['regional_support'] }));
    // Cancelled by the attendee: counted nowhere.
    const b7 = await book(bookingRequest(march[2].id, { ...person(6), organisation: C, topics: ['legal_status'] }));
    expect((await api.post(`/api/bookings/${b7.id}/cancel`, {}, b7.manageToken)).status).toBe(200);
    expect((await api.post(`/api/permanences/${on('2027-02-25').id}/cancel`, { reason: 'Salle indisponible' }, admin)).status).toBe(200);

    const workshop = await createWorkshop(api, admin, {
      title: 'Atelier <statuts> & SCIC',
      capacity: 2,
      startsAt: '2027-02-10T14:00:00+01:00',
      endsAt: '2027-02-10T17:00:00+01:00',
    });
    const w1 = await book(registrationRequest(workshop.id, { ...person(1), organisation: B, topics: ['legal_status'] }));
    const w2 = await book(registrationRequest(workshop.id, { ...person(2), organisation: C, topics: [] }));
    await book(registrationRequest(workshop.id, { ...person(3), organisation: D, topics: [] }));
    const cancelled = await createWorkshop(api, admin, {
      title: 'Atelier annulé',
      capacity: 5,
      startsAt: '2027-03-10T14:00:00+01:00',
      endsAt: '2027-03-10T17:00:00+01:00',
    });
    await book(registrationRequest(cancelled.id, { ...person(7), organisation: A }));
    expect((await api.post(`/api/workshops/${cancelled.id}/cancel`, { reason: 'Intervenant absent' }, admin)).status).toBe(200);

    // Communes as the booking form records them (INSEE codes); the register's code wins over the booking's (E).
    const communeOf = async (code: string | null, ids: string[]) => sql(`UPDATE bookings SET organisation_commune_code = $1 WHERE id = ANY($2)`, [code, ids]);
    await communeOf('42218', [b1.id, b5.id]);
    await communeOf('42095', [b2.id, w1.id]);
    await communeOf('69123', [b3.id, w2.id, b4.id, october.id]);
    await sql(`UPDATE organisations SET commune_code = '42207' WHERE id = (SELECT organisation_id FROM bookings WHERE id = $1)`, [b4.id]);

    await at('2026-10-29T12:00:00Z');
    await attend(october.id, 'present');
    await at('2027-01-28T12:00:00Z');
    await attend(b1.id, 'present');
    await attend(b2.id, 'absent');
    await attend(b3.id, 'present');
    await attend(b4.id, 'present');
    await at('2027-02-10T16:30:00Z');
    await attend(w1.id, 'present');
    await attend(w2.id, 'present');
    await at('2027-03-25T12:00:00Z');
    await attend(b5.id, 'present');
    await attend(b6.id, 'excused');

    await followUp(b1.id, ['dla', 'france_active'], PERSONAL.notes[0]);
    await followUp(b3.id, ['dla'], null);
    await followUp(b5.id, [], PERSONAL.notes[1]);
    await followUp(october.id, ['region'], null);
    // Written while b2 was marked present, then the attendance was corrected: its orientation was not given.
    await followUp(b2.id, ['urscop'], null);
    await answer(b1.id, 5, PERSONAL.comments[0]);
    await answer(b3.id, 3, null);
    await answer(b4.id, 4, PERSONAL.comments[1]);
    await answer(b5.id, 4, '  ');
    await answer(w1.id, 2, PERSONAL.comments[2]);
    await answer(october.id, 1, 'Hors période');

    await at('2027-04-15T08:00:00Z');
    // Every date is more than 7 days past: the scheduler asks no one of its own; these are the questionnaires sent.
    await sql(
      `UPDATE bookings SET satisfaction_requested_at = CASE WHEN id = ANY($1) THEN event_day ELSE NULL END
               FROM (SELECT b.id AS booking_id, coalesce(sl.ends_at, w.ends_at) + interval '1 day' AS event_day
                     FROM bookings b LEFT JOIN slots sl ON sl.id = b.slot_id LEFT JOIN workshops w ON w.id = b.workshop_id) e
               WHERE e.booking_id = bookings.id`,
      [[b1.id, b2.id, b3.id, b4.id, b5.id, b6.id, b7.id, w1.id, october.id]],
    );
    viewerToken = await login(api, viewer.email, viewer.password);
  });
  afterAll(() => app.close());

  it('counts every figure of the period, section by section', async () => {
    const response = await api.get(`/api/reports/bilan?${RANGE}`, admin);
    expect(response.status).toBe(200);
    const bilan = response.body;
    expect([bilan.from, bilan.to, bilan.timeZone, bilan.metropolis]).toEqual(['2027-01-01', '2027-03-31', 'Europe/Paris', 'Saint-Étienne Métropole']);
    expect(bilan.organisations).toEqual({ total: 5, new: 4, inMetropolis: 3, outside: 1, unknown: 1 });
    expect(bilan.permanences).toEqual({ held: 2, cancelled: 1, scheduled: 0 });
    expect(bilan.months).toEqual([
      { month: '2027-01', permanenceBookings: 4, permanenceAttended: 3, workshopRegistrations: 0, workshopAttended: 0 },
      { month: '2027-02', permanenceBookings: 0, permanenceAttended: 0, workshopRegistrations: 3, workshopAttended: 2 },
      { month: '2027-03', permanenceBookings: 2, permanenceAttended: 1, workshopRegistrations: 0, workshopAttended: 0 },
    ]);
    expect(bilan.topics).toEqual([
      { code: 'legal_status', label: 'Évolution des statuts', bookings: 4, organisations: 2 },
      { code: 'other', label: 'Autre', bookings: 1, organisations: 1 },
      { code: 'regional_support', label: 'Orientation vers les dispositifs régionaux d’accompagnement', bookings: 1, organisations: 1 },
      { code: 'responsible_purchasing', label: 'Achats responsables', bookings: 1, organisations: 1 },
    ]);
    expect(bilan.legalForms).toEqual([
      { code: 'association', label: 'Association', bookings: 4, organisations: 2 },
      { code: 'cooperative', label: 'Coopérative (SCOP, SCIC, CAE…)', bookings: 2, organisations: 1 },
      { code: 'fondation', label: 'Fondation', bookings: 2, organisations: 1 },
      { code: 'mutuelle', label: 'Mutuelle', bookings: 1, organisations: 1 },
    ]);
    expect(bilan.communes).toEqual({
      list: [
        { code: '42095', name: 'Firminy', inMetropolis: true, bookings: 2, organisations: 1 },
        { code: '42218', name: 'Saint-Étienne', inMetropolis: true, bookings: 2, organisations: 1 },
        { code: '69123', name: 'Lyon', inMetropolis: false, bookings: 2, organisations: 1 },
        { code: '42207', name: 'Saint-Chamond', inMetropolis: true, bookings: 1, organisations: 1 },
      ],
      bookings: { inMetropolis: 5, outside: 2, unknown: 2 },
      organisations: { inMetropolis: 3, outside: 1, unknown: 1 },
    });
    expect(bilan.orientations).toEqual({
      given: 3,
      bookings: 2,
      organisations: 2,
      byOrientation: [
        { code: 'dla', label: 'Dispositif local d’accompagnement (DLA)', bookings: 2, organisations: 2 },
        { code: 'france_active', label: 'France Active', bookings: 1, organisations: 1 },
      ],
    });
    expect(bilan.workshops).toEqual([
      expect.objectContaining({
        title: 'Atelier <statuts> & SCIC',
        date: '2027-02-10',
        time: '14:00',
        status: 'scheduled',
        seats: 2,
        registered: 2,
        waitlisted: 1,
        attended: 2,
      }),
      expect.objectContaining({
        title: 'Atelier annulé',
        date: '2027-03-10',
        time: '14:00',
        status: 'cancelled',
        seats: 5,
        registered: 0,
        waitlisted: 0,
        attended: 0,
      }),
    ]);
    const { comments, ...satisfaction } = bilan.satisfaction;
    expect(satisfaction).toEqual({
      responses: 5,
      attended: 6,
      // b1 to b6 and w1 (the October answer is outside the period): 5 ÷ 7.
      asked: 7,
      responseRate: 0.7143,
      mean: 3.6,
      distribution: [
        { score: 1, responses: 0 },
        { score: 2, responses: 1 },
        { score: 3, responses: 1 },
        { score: 4, responses: 2 },
        { score: 5, responses: 1 },
      ],
      byKind: [
        { kind: 'permanence', responses: 4, attended: 4, asked: 6, responseRate: 0.6667, mean: 4 },
        { kind: 'atelier', responses: 1, attended: 2, asked: 1, responseRate: 1, mean: 2 },
      ],
      byWorkshop: [
        { id: bilan.workshops[0].id, title: 'Atelier <statuts> & SCIC', date: '2027-02-10', responses: 1, attended: 2, asked: 1, responseRate: 1, mean: 2 },
      ],
    });
    // Newest event first; blank comments left out; never the attendee's name.
    expect(comments).toEqual([
      { date: '2027-02-10', kind: 'atelier', title: 'Atelier <statuts> & SCIC', score: 2, comment: 'Trop court' },
      { date: '2027-01-28', kind: 'permanence', title: 'Permanence de la CRESS Loire', score: 4, comment: 'Bon accueil' },
      { date: '2027-01-28', kind: 'permanence', title: 'Permanence de la CRESS Loire', score: 5, comment: 'Très utile, merci' },
    ]);
  });

  it('writes one plain French sentence per section from the figures', async () => {
    const { sentences } = (await api.get(`/api/reports/bilan?${RANGE}`, admin)).body;
    expect(sentences).toEqual({
      organisations: '5 structures accompagnées, dont 3 de la Métropole ; 4 nouvelles.',
      permanences: '2 permanences tenues et 1 annulée.',
      months: '6 rendez-vous de permanence et 3 inscriptions aux ateliers, 6 présences ; le mois le plus actif : janvier 2027.',
      topics: '4 thématiques citées ; la plus citée (4 réservations) : Évolution des statuts.',
      legalForms: '4 formes juridiques représentées ; la plus fréquente (2 structures) : Association.',
      communes: '4 communes représentées, dont 3 dans la Métropole ; 5 réservations de la Métropole, 2 hors Métropole et 2 sans commune renseignée.',
      orientations: '3 orientations données à 2 structures ; la plus fréquente (2 fois) : Dispositif local d’accompagnement (DLA).',
      workshops: '1 atelier : 2 places, 2 inscrits, 1 en liste d’attente, 2 présents ; 1 atelier annulé.',
      satisfaction: '5 réponses sur 7 questionnaires envoyés (71\u00a0%), note moyenne 3,6 sur 5.',
    });
  });

  it('says « 1 » in the singular and « aucun·e » for nothing', async () => {
    // March: A and D; one permanence; no workshop held (one cancelled).
    const march = (await api.get('/api/reports/bilan?from=2027-03-01&to=2027-03-31', admin)).body.sentences;
    expect(march.organisations).toBe('2 structures accompagnées, dont 1 de la Métropole ; aucune nouvelle.');
    expect(march.permanences).toBe('1 permanence tenue et aucune annulée.');
    expect(march.months).toBe('2 rendez-vous de permanence et aucune inscription aux ateliers, 1 présence ; le mois le plus actif : mars 2027.');
    expect(march.legalForms).toBe('2 formes juridiques représentées ; la plus fréquente (1 structure) : Coopérative (SCOP, SCIC, CAE…).');
    expect(march.communes).toBe(
      '1 commune représentée, dont 1 dans la Métropole ; 1 réservation de la Métropole, aucune hors Métropole et 1 sans commune renseignée.',
    );
    expect(march.orientations).toBe('Aucune orientation donnée sur la période.');
    expect(march.workshops).toBe('Aucun atelier tenu ; 1 atelier annulé.');
    expect(march.satisfaction).toBe('1 réponse sur 2 questionnaires envoyés (50\u00a0%), note moyenne 4 sur 5.');
    // February: the workshop only; the permanence was cancelled.
    const february = (await api.get('/api/reports/bilan?from=2027-02-01&to=2027-02-28', admin)).body.sentences;
    expect(february.permanences).toBe('Aucune permanence tenue et 1 annulée.');
    // B and C came first in January; D's first booking is its place on the workshop's waitlist.
    expect(february.organisations).toBe('3 structures accompagnées, dont 1 de la Métropole ; 1 nouvelle.');
    expect(february.topics).toBe('1 thématique citée (1 réservation) : Évolution des statuts.');
    // Two present at the workshop, one asked.
    expect(february.satisfaction).toBe('1 réponse sur 1 questionnaire envoyé (100\u00a0%), note moyenne 2 sur 5.');
    // An empty year.
    const empty = (await api.get('/api/reports/bilan?from=2025-01-01&to=2025-12-31', admin)).body;
    expect(empty.sentences).toEqual({
      organisations: 'Aucune structure accompagnée sur la période.',
      permanences: 'Aucune permanence sur la période.',
      months: 'Aucune réservation sur la période.',
      topics: 'Aucune thématique citée sur la période.',
      legalForms: 'Aucune forme juridique renseignée sur la période.',
      communes: 'Aucune commune renseignée sur la période.',
      orientations: 'Aucune orientation donnée sur la période.',
      workshops: 'Aucun atelier sur la période.',
      satisfaction: 'Aucun questionnaire de satisfaction envoyé sur la période.',
    });
    expect(empty.months).toHaveLength(12);
    expect(empty.satisfaction).toMatchObject({ responses: 0, attended: 0, asked: 0, responseRate: null, mean: null });
  });

  it('covers the current calendar year by default, in the programme’s time zone', async () => {
    const response = await api.get('/api/reports/bilan', admin);
    expect([response.status, response.body.from, response.body.to, response.body.months.length]).toEqual([200, '2027-01-01', '2027-12-31', 12]);
    // 31 December 2026, 23:30 UTC is already 2027 in Paris.
    app.clock.set('2026-12-31T23:30:00Z');
    const newYear = await api.get('/api/reports/bilan', admin);
    expect([newYear.body.from, newYear.body.to]).toEqual(['2027-01-01', '2027-12-31']);
    app.clock.set('2027-04-15T08:00:00Z');
    // One bound given: the other is in its calendar year.
    expect((await api.get('/api/reports/bilan?from=2026-06-01', admin)).body.to).toBe('2026-12-31');
    expect((await api.get('/api/reports/bilan?to=2026-06-30', admin)).body.from).toBe('2026-01-01');
  });

  it('is for admins and viewers; the viewer’s bilan has no comments', async () => {
    expect((await api.get(`/api/reports/bilan?${RANGE}`)).status).toBe(401);
    const forbidden = await api.get(`/api/reports/bilan?${RANGE}`, await login(api, advisor.email, advisor.password));
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'forbidden']);
    const seen = await api.get(`/api/reports/bilan?${RANGE}`, viewerToken);
    expect([seen.status, seen.headers.get('cache-control'), seen.body.organisations.total]).toEqual([200, 'no-store', 5]);
    expect(seen.body.satisfaction).not.toHaveProperty('comments');
    expect(seen.body.satisfaction.responses).toBe(5);
    const advisorPage = await page('/staff/bilan', await login(api, advisor.email, advisor.password));
    expect(advisorPage.status).toBe(403);
  });

  it('refuses bad dates, a period ending before it starts, an unknown format and more than five years', async () => {
    const fields = async (query: string) => {
      const response = await api.get(`/api/reports/bilan?${query}`, admin);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      return [response.status, response.body.code, (response.body.errors ?? []).map((error: { field: string }) => error.field)];
    };
    expect(await fields('from=2027-02-30')).toEqual([400, 'validation_failed', ['from']]);
    expect(await fields('from=2027-01-01&to=31/03/2027')).toEqual([400, 'validation_failed', ['to']]);
    expect(await fields('from=2027-03-02&to=2027-03-01')).toEqual([400, 'validation_failed', ['to']]);
    expect(await fields('format=docx')).toEqual([400, 'validation_failed', ['format']]);
    expect(await fields('from=2020-01-01&to=2025-01-01')).toEqual([422, 'range_too_large', []]);
    // Hostile shapes: repeated, nested, injected, control characters — a 400, never a 5xx.
    for (const query of [
      'from=2027-01-01&from=2027-02-01',
      'from[]=2027-01-01',
      'from[a]=1',
      "from=2027-01-01'%20OR%201=1--",
      'to=%00',
      `from=${'9'.repeat(5000)}`,
    ]) {
      const [status] = await fields(query);
      expect([query, status]).toEqual([query, 400]);
    }
  });

  it('shows the page again with a French message for a bad period (422)', async () => {
    const bad = await page('/staff/bilan?du=2027-02-30&au=2027-03-31', admin);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('La période demandée n’est pas valable');
    expect(bad.text).toContain('Date attendue au format AAAA-MM-JJ.');
    const reversed = await page('/staff/bilan?du=2027-03-31&au=2027-01-01', admin);
    expect(reversed.status).toBe(422);
    expect(reversed.text).toContain('Doit être postérieure ou égale à la date de début.');
    const download = await page('/staff/bilan.pdf?du=2027-03-31&au=2027-01-01', admin);
    expect([download.status, download.headers.get('location')]).toEqual([303, '/staff/bilan?du=2027-03-31&au=2027-01-01']);
  });

  it('shows each section with its sentence, an accessible SVG chart and its tables, and links to the bilan', async () => {
    const html = await page(`/staff/bilan?du=2027-01-01&au=2027-03-31`, admin);
    expect([html.status, html.headers.get('cache-control')]).toEqual([200, 'no-store']);
    expect(html.text).toContain('<a href="/staff/bilan">Bilan</a>');
    expect(html.text).toContain('5 structures accompagnées, dont 3 de la Métropole ; 4 nouvelles.');
    const svgs = html.text.match(/<svg\b[^>]*>/g) ?? [];
    expect(svgs).toHaveLength(9);
    for (const svg of svgs) expect(svg).toMatch(/role="img" aria-labelledby="graphique-[a-z]+-titre graphique-[a-z]+-desc"/);
    expect(html.text).toContain('<title id="graphique-structures-titre">Structures accompagnées selon leur commune</title>');
    // No script: the charts are drawn on the server.
    expect(html.text).not.toMatch(/<script(?! src="\/assets\/app\.js")/);
    // A title typed by an admin is text, in the tables and in the charts.
    expect(html.text).not.toContain('<statuts>');
    expect(html.text).toContain('Atelier &lt;statuts&gt; &amp; SCIC');
    const ids = [...html.text.matchAll(/\bid="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html.text).toContain('Très utile, merci');
    expect(html.text).toContain('5 réponses sur 7 questionnaires envoyés (71\u00a0%), note moyenne 3,6 sur 5.');
    expect(html.text).toContain(
      '<th scope="row">Permanences</th><td data-label="Réponses">4</td><td data-label="Présences">4</td><td data-label="Questionnaires envoyés">6</td>',
    );
    expect(html.text).toContain('href="/staff/bilan.pdf?du&#x3D;2027-01-01&amp;au&#x3D;2027-03-31"');
  });

  it('draws the charts of simultaneous requests, each with its own figures', async () => {
    const periods = ['du=2027-01-01&au=2027-03-31', 'du=2027-03-01&au=2027-03-31', 'du=2027-02-01&au=2027-02-28'];
    const expected = [
      '5 structures accompagnées, dont 3 de la Métropole ; 4 nouvelles.',
      '2 structures accompagnées, dont 1 de la Métropole ; aucune nouvelle.',
      '3 structures accompagnées, dont 1 de la Métropole ; 1 nouvelle.',
    ];
    const pages = await Promise.all(Array.from({ length: 9 }, (_, k) => page(`/staff/bilan?${periods[k % 3]}`, k % 2 ? viewerToken : admin)));
    pages.forEach((answer, k) => {
      // A section with nothing to draw has no chart: March has no orientation and no workshop held, February no orientation.
      expect([k, answer.status, (answer.text.match(/<svg\b/g) ?? []).length]).toEqual([k, 200, [9, 7, 8][k % 3]]);
      expect([k, answer.text.includes(expected[k % 3])]).toEqual([k, true]);
    });
    const monthLabels = (html: string) =>
      ['janv.', 'févr.', 'mars'].filter((label) => html.split('id="mois"')[1].split('</figure>')[0].includes(`>${label}</text>`));
    expect(monthLabels(pages[0].text)).toEqual(['janv.', 'févr.', 'mars']);
    expect(monthLabels(pages[1].text)).toEqual(['mars']);
    expect(monthLabels(pages[2].text)).toEqual(['févr.']);
  });

  it('gives the viewer figures and organisations only: no name, e-mail, phone, note or comment in the page, the JSON, the PDF or the workbooks', async () => {
    const contents: Array<[string, string]> = [
      ['json', (await api.get(`/api/reports/bilan?${RANGE}`, viewerToken)).text],
      ['html', (await page(`/staff/bilan?du=2027-01-01&au=2027-03-31`, viewerToken)).text],
      ['pdf', (await pdfText((await download(`/api/reports/bilan?${RANGE}&format=pdf`, viewerToken)).bytes)).pages.flatMap((p) => p.lines).join('\n')],
      ['xlsx', (await workbookText((await download(`/api/reports/bilan?${RANGE}&format=xlsx`, viewerToken)).bytes)).text],
      ['reports xlsx', (await workbookText((await download(`/api/reports/attendance?${RANGE}&format=xlsx`, viewerToken)).bytes)).text],
      ['page pdf', (await pdfText((await page(`/staff/bilan.pdf?du=2027-01-01&au=2027-03-31`, viewerToken)).bytes)).pages.flatMap((p) => p.lines).join('\n')],
      ['page xlsx', (await workbookText((await page(`/staff/bilan.xlsx?du=2027-01-01&au=2027-03-31`, viewerToken)).bytes)).text],
    ];
    for (const [what, text] of contents) {
      for (const secret of [...PERSONAL.names, ...PERSONAL.emails, ...PERSONAL.notes, ...PERSONAL.comments, PHONE, '@bilan.test']) {
        expect([what, secret, text.includes(secret)]).toEqual([what, secret, false]);
      }
      expect([what, text.includes('5 structures accompagnées, dont 3 de la Métropole ; 4 nouvelles.')]).toEqual([what, true]);
    }
    // The admin's downloads hold the comments (and no attendee either).
    const adminPdf = (await pdfText((await download(`/api/reports/bilan?${RANGE}&format=pdf`, admin)).bytes)).pages.flatMap((p) => p.lines).join('\n');
    const adminXlsx = (await workbookText((await download(`/api/reports/bilan?${RANGE}&format=xlsx`, admin)).bytes)).text;
    for (const comment of PERSONAL.comments) {
      expect(adminPdf).toContain(comment);
      expect(adminXlsx).toContain(comment);
    }
    for (const name of PERSONAL.names) expect(adminPdf.includes(name) || adminXlsx.includes(name)).toBe(false);
  });

  it('prints the bilan as a PDF: every section’s sentence, chart and figures, the same bytes for the same figures', async () => {
    const first = await download(`/api/reports/bilan?${RANGE}&format=pdf`, admin);
    expect([first.status, first.headers.get('content-type'), first.headers.get('content-disposition')]).toEqual([
      200,
      'application/pdf',
      'attachment; filename="bilan-2027-01-01-2027-03-31.pdf"',
    ]);
    const again = await download(`/api/reports/bilan?${RANGE}&format=pdf`, admin);
    expect(again.bytes.equals(first.bytes)).toBe(true);
    const text = await pdfText(first.bytes);
    expect(text.title).toBe('Bilan du programme du 01/01/2027 au 31/03/2027');
    expect(Math.round(text.pages[0].width)).toBe(595);
    const all = text.pages.flatMap((p) => p.lines).join('\n');
    for (const title of [
      'Structures accompagnées',
      'Permanences',
      'Réservations et présences par mois',
      'Thématiques',
      'Formes juridiques',
      'Communes',
      'Orientations',
      'Ateliers',
      'Satisfaction',
    ]) {
      expect(all).toContain(title);
    }
    const { sentences } = (await api.get(`/api/reports/bilan?${RANGE}`, admin)).body;
    // pdfjs may split a wrapped sentence in runs: compare without line breaks.
    const flat = all.replace(/\n/g, ' ').replace(/\s+/g, ' ');
    for (const sentence of Object.values(sentences as Record<string, string>)) expect(flat).toContain(sentence.replace(/\s+/g, ' '));
    // Charts' titles and legends, and table figures.
    expect(flat).toContain('Structures par commune (les 15 premières)');
    expect(flat).toContain('Rendez-vous de permanence');
    expect(flat).toContain('Saint-Chamond');
    expect(flat).toContain('Atelier <statuts> & SCIC');
    // The satisfaction tables: the questionnaires sent, the rate over them.
    expect(flat).toContain('Questionnaires envoyés');
    expect(flat).toMatch(/Questionnaires envoyés 7 Taux de réponse 71\s?%/);
    expect(text.pages[text.pages.length - 1].lines).toContain(`Page ${text.pages.length} / ${text.pages.length}`);
  });

  it('exports one sheet per section, on its own and in the reports’ workbook', async () => {
    const response = await download(`/api/reports/bilan?${RANGE}&format=xlsx`, admin);
    expect([response.status, response.headers.get('content-type'), response.headers.get('content-disposition')]).toEqual([
      200,
      XLSX,
      'attachment; filename="bilan-2027-01-01-2027-03-31.xlsx"',
    ]);
    const book = await workbookText(response.bytes);
    expect(book.sheets).toEqual([
      'Structures',
      'Permanences',
      'Par mois',
      'Thématiques',
      'Formes juridiques',
      'Communes',
      'Orientations',
      'Ateliers',
      'Satisfaction',
    ]);
    expect(book.rows('Structures')).toEqual([
      ['Structures accompagnées – du 01/01/2027 au 31/03/2027'],
      ['5 structures accompagnées, dont 3 de la Métropole ; 4 nouvelles.'],
      ['Structures accompagnées (au moins une réservation non annulée sur la période)'],
      ['Structures', 'Nombre'],
      ['Structures accompagnées', '5'],
      ['dont nouvelles (première réservation sur la période)', '4'],
      ['Dans la Métropole', '3'],
      ['Hors Métropole', '1'],
      ['Commune non renseignée', '1'],
    ]);
    expect(book.rows('Communes').slice(-4)).toEqual([
      ['Firminy', 'Métropole', '1', '2'],
      ['Saint-Étienne', 'Métropole', '1', '2'],
      ['Lyon', 'Hors Métropole', '1', '2'],
      ['Saint-Chamond', 'Métropole', '1', '1'],
    ]);
    expect(book.rows('Ateliers').slice(-2)).toEqual([
      ['Atelier <statuts> & SCIC', '10/02/2027 14:00', '2', '2', '1', '2'],
      ['Atelier annulé (annulé)', '10/03/2027 14:00', '5', '0', '0', '0'],
    ]);
    expect(book.rows('Par mois').slice(-1)).toEqual([['Total', '6', '4', '3', '2']]);
    const satisfaction = book.rows('Satisfaction');
    const after = (caption: string, count: number) => satisfaction.slice(satisfaction.findIndex((row) => row[0] === caption) + 1).slice(0, count);
    expect(after('Satisfaction : ensemble de la période', 6)).toEqual([
      ['Indicateur', 'Valeur'],
      ['Réponses', '5'],
      ['Présences', '6'],
      ['Questionnaires envoyés', '7'],
      ['Taux de réponse', '71\u00a0%'],
      ['Note moyenne', '3,6 / 5'],
    ]);
    expect(after('Satisfaction par type de rendez-vous', 3)).toEqual([
      ['Type', 'Réponses', 'Présences', 'Questionnaires envoyés', 'Taux de réponse', 'Note moyenne'],
      ['Permanences', '4', '4', '6', '67\u00a0%', '4 / 5'],
      ['Ateliers', '1', '2', '1', '100\u00a0%', '2 / 5'],
    ]);
    expect(after('Satisfaction par atelier', 2)).toEqual([
      ['Atelier', 'Date', 'Réponses', 'Présences', 'Questionnaires envoyés', 'Taux de réponse', 'Note moyenne'],
      ['Atelier <statuts> & SCIC', '10/02/2027', '1', '2', '1', '100\u00a0%', '2 / 5'],
    ]);
    const reports = await workbookText((await download(`/api/reports/attendance?${RANGE}&format=xlsx`, admin)).bytes);
    expect(reports.sheets.slice(0, 2)).toEqual(['Synthèse', 'Rendez-vous']);
    expect(reports.sheets).toEqual(expect.arrayContaining(['Bilan - Structures', 'Bilan - Satisfaction', 'Bilan - Communes']));
    expect(reports.rows('Bilan - Structures')[1]).toEqual(['5 structures accompagnées, dont 3 de la Métropole ; 4 nouvelles.']);
  });
});
