import { Workbook } from 'exceljs';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const SIRET = {
  coopA: '42100000000016',
  entraide: '69000000000024',
  fondation: '42000000000034',
  mutuelle: '75000000000042',
  scic: '38000000000055',
  coopZ: '13000000000062',
};
const COOP = 'Coopérative (SCOP, SCIC, CAE…)';
const CRESS = 'CRESS Loire';
/** The default series is named after CRESS_NAME. */
const PERMANENCE = `Permanence de la ${CRESS}`;
const BILAN_SHEETS = ['Structures', 'Permanences', 'Par mois', 'Thématiques', 'Formes juridiques', 'Communes', 'Orientations', 'Ateliers', 'Satisfaction'].map(
  (name) => `Bilan - ${name}`,
);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const RANGE = 'from=2026-11-01&to=2027-01-31';

/**
 * A known programme, built through the API from 1 October 2026: the permanences of 29 October (before
 * the period), 26 November (two desks), 31 December (cancelled), 28 January and 25 February (after);
 * a workshop on 10 December with a waitlist, one cancelled on 17 December, one in March (after).
 * Organisations in the metropolis (Saint-Étienne, Fontanès), out of it (Lyon, Grenoble), and one
 * without postcode (commune non renseignée).
 */
/** Bookings and organisations in the metropolis, outside it, and of no known commune. */
function split(inside: [number, number], outside: [number, number], unknown: [number, number]) {
  const counts = ([bookings, organisations]: [number, number]) => ({ bookings, organisations });
  return { inMetropolis: counts(inside), outsideMetropolis: counts(outside), unknown: counts(unknown) };
}

describe('the attendance report for the metropolis', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let viewer: { email: string; password: string };
  let advisor: { email: string; password: string };
  /** Julie's booking at the first slot (09:00–10:00) of the permanence of 25 February 2027. */
  let february: { id: string };

  /** Moves the clock, and signs the admin in again (tokens last 8 hours). */
  async function at(instant: string): Promise<void> {
    app.clock.set(instant);
    admin = await adminToken(api);
  }
  async function book(request: Record<string, unknown>): Promise<{ id: string; manageToken: string }> {
    const response = await api.post('/api/bookings', request);
    if (response.status !== 201) throw new Error(`booking failed: ${response.status} ${response.text}`);
    return response.body;
  }
  const person = (name: string, email: string) => ({ attendee: { name, email } });
  async function attend(bookingId: string, status: 'present' | 'absent' | 'excused'): Promise<void> {
    expect((await api.put(`/api/bookings/${bookingId}/attendance`, { status }, admin)).status).toBe(200);
  }
  async function organisation(q: string, siret: string | null): Promise<string> {
    const listed = (await api.get(`/api/organisations?q=${encodeURIComponent(q)}`, admin)).body as Array<{ id: string; siret: string | null }>;
    return listed.find((entry) => entry.siret === siret)!.id;
  }
  async function download(path: string, token: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    const response = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-10-01T08:00:00Z', env: { CRESS_NAME: CRESS } });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    const [alice, bruno] = [await createStaff(api, admin, 'advisor', 'Alice Conseil'), await createStaff(api, admin, 'advisor', 'Bruno Conseil')];
    advisor = alice;
    viewer = await createStaff(api, admin, 'viewer', 'Métropole');
    const sessions = await listSessions(api, '2026-10-01', '2027-02-28');
    const on = (date: string) => sessions.find((session) => session.date === date)!;
    expect(sessions.map((session) => session.date)).toEqual(['2026-10-29', '2026-11-26', '2026-12-31', '2027-01-28', '2027-02-25']);
    const november = (await api.put(`/api/permanences/${on('2026-11-26').id}/advisors`, { advisorIds: [alice.id, bruno.id] }, admin)).body;
    const desk = (advisorId: string) =>
      november.slots.filter((slot: { advisor: { id: string } }) => slot.advisor.id === advisorId).map((slot: { id: string }) => slot.id);
    const [aliceSlots, brunoSlots] = [desk(alice.id), desk(bruno.id)];

    const coopA = { name: 'Coop A', siret: SIRET.coopA, legalForm: 'cooperative', postcode: '42000' };
    const entraide = { name: 'Entraide Loire', siret: SIRET.entraide, legalForm: 'association', postcode: '69001' };
    // Before the period: Entraide Loire is not new in it.
    await book(bookingRequest(on('2026-10-29').slots[0].id, { ...person('Olga', 'olga@entraide.test'), organisation: entraide, topics: ['other'] }));
    const p1 = await book(
      bookingRequest(aliceSlots[0], { ...person('Camille "Cam" Martin; Lyon', 'camille@coop-a.test'), organisation: coopA, topics: ['legal_status'] }),
    );
    // Same SIRET, other wording: the register's entry (first seen) decides the organisation's name, legal form and postcode.
    const p2 = await book(
      bookingRequest(aliceSlots[1], {
        ...person('Dominique Roux', 'dominique@coop-a.test'),
        organisation: { name: 'Coop A antenne', siret: SIRET.coopA, legalForm: 'association', postcode: '42100' },
        topics: ['responsible_purchasing', 'legal_status'],
      }),
    );
    const p3 = await book(bookingRequest(brunoSlots[0], { ...person('Eve Blanc', 'eve@entraide.test'), organisation: entraide, topics: ['ambition_ess'] }));
    await book(bookingRequest(brunoSlots[2], { ...person('=1+1 Farid', 'farid@collectif.test'), organisation: { name: 'Collectif sans SIRET' }, topics: [] }));
    const p5 = await book(
      bookingRequest(brunoSlots[3], {
        ...person('Gaëlle', 'gaelle@coop-z.test'),
        organisation: { name: 'Coop Z', siret: SIRET.coopZ, legalForm: 'cooperative' },
      }),
    );
    expect((await api.post(`/api/bookings/${p5.id}/cancel`, {}, p5.manageToken)).status).toBe(200);
    await book(
      bookingRequest(on('2026-12-31').slots[0].id, { ...person('Henri', 'henri@solidarite.test'), organisation: { name: 'Solidarité 42', postcode: '42000' } }),
    );
    expect((await api.post(`/api/permanences/${on('2026-12-31').id}/cancel`, { reason: 'Salle indisponible' }, admin)).status).toBe(200);
    const january = on('2027-01-28').slots;
    const j1 = await book(
      bookingRequest(january[1].id, {
        ...person('Hugo Petit', 'hugo@horizon.test'),
        organisation: { name: 'Fondation Horizon', siret: SIRET.fondation, legalForm: 'fondation', postcode: '42000' },
        topics: ['other', 'legal_status'],
      }),
    );
    // A duplicate of Coop A without its SIRET, merged into it below.
    await book(
      bookingRequest(january[2].id, {
        ...person('Iris', 'iris@coop-a.test'),
        organisation: { name: 'Coop A', legalForm: 'cooperative', postcode: '42000' },
        topics: ['regional_support'],
      }),
    );
    february = await book(bookingRequest(on('2027-02-25').slots[0].id, { ...person('Julie', 'julie@coop-a.test'), organisation: coopA }));

    const workshop = await createWorkshop(api, admin, {
      title: 'Atelier statuts',
      capacity: 2,
      startsAt: '2026-12-10T14:00:00+01:00',
      endsAt: '2026-12-10T17:00:00+01:00',
    });
    const w1 = await book(
      registrationRequest(workshop.id, { ...person('Inès Moreau', 'ines@entraide.test'), organisation: entraide, topics: ['legal_status', 'essaimage'] }),
    );
    const w2 = await book(
      registrationRequest(workshop.id, {
        ...person('Jules Laurent', 'jules@mutuelle.test'),
        // 42140 serves eleven communes, Fontanès (in the metropolis) among them.
        organisation: { name: 'Mutuelle Mut', siret: SIRET.mutuelle, legalForm: 'mutuelle', postcode: '42140', communeCode: '42096' },
        topics: ['recognition'],
      }),
    );
    await book(
      registrationRequest(workshop.id, {
        ...person('Karim Saïdi', 'karim@scic.test'),
        organisation: { name: 'SCIC Attente', siret: SIRET.scic, legalForm: 'cooperative', postcode: '38000' },
        topics: ['legal_status'],
      }),
    );
    const cancelled = await createWorkshop(api, admin, {
      title: 'Atelier annulé',
      capacity: 5,
      startsAt: '2026-12-17T14:00:00+01:00',
      endsAt: '2026-12-17T17:00:00+01:00',
    });
    await book(registrationRequest(cancelled.id, { ...person('Léa', 'lea@coop-a.test'), organisation: coopA }));
    expect((await api.post(`/api/workshops/${cancelled.id}/cancel`, { reason: 'Intervenant absent' }, admin)).status).toBe(200);
    const march = await createWorkshop(api, admin, { title: 'Atelier de mars' });
    await book(
      registrationRequest(march.id, {
        ...person('Marc', 'marc@mutuelle.test'),
        organisation: { name: 'Mutuelle Mut', siret: SIRET.mutuelle, legalForm: 'mutuelle' },
      }),
    );

    const coopAEntry = await organisation(SIRET.coopA, SIRET.coopA);
    expect((await api.patch(`/api/organisations/${coopAEntry}`, { commune: 'Saint-Étienne' }, admin)).status).toBe(200);
    expect((await api.patch(`/api/organisations/${await organisation(SIRET.fondation, SIRET.fondation)}`, { commune: 'Saint-Étienne' }, admin)).status).toBe(
      200,
    );
    expect((await api.post(`/api/organisations/${await organisation('Coop A', null)}/merge`, { into: coopAEntry }, admin)).status).toBe(200);

    await at('2026-11-26T12:00:00Z');
    await attend(p1.id, 'present');
    await attend(p2.id, 'absent');
    await attend(p3.id, 'excused');
    await at('2026-12-10T15:00:00Z');
    await attend(w1.id, 'present');
    await attend(w2.id, 'absent');
    await at('2027-01-28T12:00:00Z');
    await attend(j1.id, 'present');
    await at('2027-02-10T10:00:00Z');
  });
  afterAll(() => app.close());

  it('counts every figure of the period in SQL: permanences, slots, attendance, organisations, breakdowns and workshops', async () => {
    const response = await api.get(`/api/reports/attendance?${RANGE}`, admin);
    expect(response.status).toBe(200);
    expect([response.body.from, response.body.to, response.body.timeZone]).toEqual(['2026-11-01', '2027-01-31', 'Europe/Paris']);
    expect(response.body.figures).toEqual({
      permanencesHeld: 2,
      permanencesScheduled: 0,
      permanencesCancelled: 1,
      slotsOffered: 12,
      slotsBooked: 6,
      bookings: 9,
      attended: 3,
      attendanceRate: 0.5,
      noShows: 2,
      excused: 1,
      // Farid (26 November) and Iris (28 January); Karim waits for a seat, so has no attendance to note.
      attendanceUnrecorded: 2,
      organisations: 6,
      newOrganisations: 5,
      metropolis: { siren: '244200770', name: 'Saint-Étienne Métropole', communes: 53 },
      byArea: {
        // Camille, Dominique and Iris (Coop A, Saint-Étienne), Jules (Mutuelle Mut, Fontanès), Hugo (Fondation Horizon, Saint-Étienne).
        inMetropolis: {
          bookings: 5,
          slotsBooked: 4,
          attended: 2,
          attendanceRate: 0.5,
          noShows: 2,
          excused: 0,
          attendanceUnrecorded: 1,
          organisations: 3,
          newOrganisations: 3,
        },
        // Eve and Inès (Entraide Loire, Lyon: not new), Karim (SCIC Attente, Grenoble: waiting, nothing to note).
        outsideMetropolis: {
          bookings: 3,
          slotsBooked: 1,
          attended: 1,
          attendanceRate: 0.5,
          noShows: 0,
          excused: 1,
          attendanceUnrecorded: 0,
          organisations: 2,
          newOrganisations: 1,
        },
        // Farid (Collectif sans SIRET, no postcode).
        unknown: {
          bookings: 1,
          slotsBooked: 1,
          attended: 0,
          attendanceRate: null,
          noShows: 0,
          excused: 0,
          attendanceUnrecorded: 1,
          organisations: 1,
          newOrganisations: 1,
        },
      },
      byLegalForm: [
        { code: 'cooperative', label: COOP, bookings: 4, organisations: 2, areas: split([3, 1], [1, 1], [0, 0]) },
        { code: 'association', label: 'Association', bookings: 2, organisations: 1, areas: split([0, 0], [2, 1], [0, 0]) },
        { code: 'fondation', label: 'Fondation', bookings: 1, organisations: 1, areas: split([1, 1], [0, 0], [0, 0]) },
        { code: 'mutuelle', label: 'Mutuelle', bookings: 1, organisations: 1, areas: split([1, 1], [0, 0], [0, 0]) },
        { code: null, label: 'Non renseignée', bookings: 1, organisations: 1, areas: split([0, 0], [0, 0], [1, 1]) },
      ],
      byTopic: [
        { code: 'legal_status', label: 'Évolution des statuts', bookings: 5, organisations: 4, areas: split([3, 2], [2, 2], [0, 0]) },
        { code: 'ambition_ess', label: 'La plateforme « Ambition ESS »', bookings: 1, organisations: 1, areas: split([0, 0], [1, 1], [0, 0]) },
        { code: 'essaimage', label: 'Essaimage sur le territoire régional', bookings: 1, organisations: 1, areas: split([0, 0], [1, 1], [0, 0]) },
        { code: 'other', label: 'Autre', bookings: 1, organisations: 1, areas: split([1, 1], [0, 0], [0, 0]) },
        {
          code: 'recognition',
          label: 'Reconnaissance et valorisation des structures de l’ESS',
          bookings: 1,
          organisations: 1,
          areas: split([1, 1], [0, 0], [0, 0]),
        },
        {
          code: 'regional_support',
          label: 'Orientation vers les dispositifs régionaux d’accompagnement',
          bookings: 1,
          organisations: 1,
          areas: split([1, 1], [0, 0], [0, 0]),
        },
        { code: 'responsible_purchasing', label: 'Achats responsables', bookings: 1, organisations: 1, areas: split([1, 1], [0, 0], [0, 0]) },
      ],
      // In the metropolis, then outside, then unknown; by bookings, then name.
      byCommune: [
        { code: '42218', commune: 'Saint-Étienne', area: 'inMetropolis', bookings: 4, organisations: 2 },
        { code: '42096', commune: 'Fontanès', area: 'inMetropolis', bookings: 1, organisations: 1 },
        { code: '69123', commune: 'Lyon', area: 'outsideMetropolis', bookings: 2, organisations: 1 },
        { code: '38185', commune: 'Grenoble', area: 'outsideMetropolis', bookings: 1, organisations: 1 },
        { code: null, commune: 'Commune non renseignée', area: 'unknown', bookings: 1, organisations: 1 },
      ],
      workshops: [
        {
          id: expect.any(String),
          title: 'Atelier statuts',
          date: '2026-12-10',
          time: '14:00',
          status: 'scheduled',
          seats: 2,
          registered: 2,
          waitlisted: 1,
          attended: 1,
          // Mutuelle Mut (Fontanès) registered but absent; Entraide Loire (Lyon) came; SCIC Attente (Grenoble) only waits.
          areas: {
            inMetropolis: { registered: 1, attended: 0 },
            outsideMetropolis: { registered: 1, attended: 1 },
            unknown: { registered: 0, attended: 0 },
          },
        },
        {
          id: expect.any(String),
          title: 'Atelier annulé',
          date: '2026-12-17',
          time: '14:00',
          status: 'cancelled',
          seats: 5,
          registered: 0,
          waitlisted: 0,
          attended: 0,
          areas: {
            inMetropolis: { registered: 0, attended: 0 },
            outsideMetropolis: { registered: 0, attended: 0 },
            unknown: { registered: 0, attended: 0 },
          },
        },
      ],
    });
  });

  it('lists one row per non-cancelled booking of the period, in event order, with French labels', async () => {
    const { rows } = (await api.get(`/api/reports/attendance?${RANGE}`, admin)).body;
    const coopA = { organisation: 'Coop A', siret: SIRET.coopA, legalForm: COOP, postcode: '42000', commune: 'Saint-Étienne', area: 'dans la Métropole' };
    const entraide = {
      organisation: 'Entraide Loire',
      siret: SIRET.entraide,
      legalForm: 'Association',
      postcode: '69001',
      commune: 'Lyon',
      area: 'hors Métropole',
    };
    const confirmed = { status: 'confirmée' };
    expect(rows).toEqual([
      {
        kind: 'permanence',
        date: '2026-11-26',
        time: '09:00',
        title: PERMANENCE,
        ...coopA,
        attendeeName: 'Camille "Cam" Martin; Lyon',
        attendeeEmail: 'camille@coop-a.test',
        topics: 'Évolution des statuts',
        ...confirmed,
        attendance: 'présent',
      },
      {
        kind: 'permanence',
        date: '2026-11-26',
        time: '09:00',
        title: PERMANENCE,
        ...entraide,
        attendeeName: 'Eve Blanc',
        attendeeEmail: 'eve@entraide.test',
        topics: 'La plateforme « Ambition ESS »',
        ...confirmed,
        attendance: 'excusé',
      },
      {
        kind: 'permanence',
        date: '2026-11-26',
        time: '10:00',
        title: PERMANENCE,
        ...coopA,
        attendeeName: 'Dominique Roux',
        attendeeEmail: 'dominique@coop-a.test',
        topics: 'Achats responsables, Évolution des statuts',
        ...confirmed,
        attendance: 'absent',
      },
      {
        kind: 'permanence',
        date: '2026-11-26',
        time: '11:00',
        title: PERMANENCE,
        organisation: 'Collectif sans SIRET',
        siret: null,
        legalForm: null,
        postcode: null,
        commune: null,
        area: 'commune non renseignée',
        attendeeName: '=1+1 Farid',
        attendeeEmail: 'farid@collectif.test',
        topics: '',
        ...confirmed,
        attendance: 'non renseignée',
      },
      {
        kind: 'atelier',
        date: '2026-12-10',
        time: '14:00',
        title: 'Atelier statuts',
        ...entraide,
        attendeeName: 'Inès Moreau',
        attendeeEmail: 'ines@entraide.test',
        topics: 'Évolution des statuts, Essaimage sur le territoire régional',
        ...confirmed,
        attendance: 'présent',
      },
      {
        kind: 'atelier',
        date: '2026-12-10',
        time: '14:00',
        title: 'Atelier statuts',
        organisation: 'Mutuelle Mut',
        siret: SIRET.mutuelle,
        legalForm: 'Mutuelle',
        postcode: '42140',
        commune: 'Fontanès',
        area: 'dans la Métropole',
        attendeeName: 'Jules Laurent',
        attendeeEmail: 'jules@mutuelle.test',
        topics: 'Reconnaissance et valorisation des structures de l’ESS',
        ...confirmed,
        attendance: 'absent',
      },
      {
        kind: 'atelier',
        date: '2026-12-10',
        time: '14:00',
        title: 'Atelier statuts',
        organisation: 'SCIC Attente',
        siret: SIRET.scic,
        legalForm: COOP,
        postcode: '38000',
        commune: 'Grenoble',
        area: 'hors Métropole',
        attendeeName: 'Karim Saïdi',
        attendeeEmail: 'karim@scic.test',
        topics: 'Évolution des statuts',
        status: 'liste d’attente',
        attendance: 'non renseignée',
      },
      {
        kind: 'permanence',
        date: '2027-01-28',
        time: '10:00',
        title: PERMANENCE,
        organisation: 'Fondation Horizon',
        siret: SIRET.fondation,
        legalForm: 'Fondation',
        postcode: '42000',
        commune: 'Saint-Étienne',
        area: 'dans la Métropole',
        attendeeName: 'Hugo Petit',
        attendeeEmail: 'hugo@horizon.test',
        topics: 'Autre, Évolution des statuts',
        ...confirmed,
        attendance: 'présent',
      },
      {
        kind: 'permanence',
        date: '2027-01-28',
        time: '11:00',
        title: PERMANENCE,
        ...coopA,
        attendeeName: 'Iris',
        attendeeEmail: 'iris@coop-a.test',
        topics: 'Orientation vers les dispositifs régionaux d’accompagnement',
        ...confirmed,
        attendance: 'non renseignée',
      },
    ]);
  });

  it('covers 1 January to today by default, where an organisation seen before is not new', async () => {
    const response = await api.get('/api/reports/attendance', admin);
    expect([response.body.from, response.body.to]).toEqual(['2027-01-01', '2027-02-10']);
    expect(response.body.figures).toMatchObject({
      permanencesHeld: 1,
      permanencesScheduled: 0,
      permanencesCancelled: 0,
      slotsOffered: 4,
      slotsBooked: 2,
      bookings: 2,
      attended: 1,
      attendanceRate: 1,
      noShows: 0,
      excused: 0,
      attendanceUnrecorded: 1,
      organisations: 2,
      newOrganisations: 1,
      workshops: [],
    });
    expect(response.body.rows.map((row: { attendeeName: string }) => row.attendeeName)).toEqual(['Hugo Petit', 'Iris']);
  });

  it('counts a permanence still to come as scheduled, not held, and gives no attendance rate before any is recorded', async () => {
    const response = await api.get('/api/reports/attendance?from=2027-02-01&to=2027-02-28', admin);
    expect(response.body.figures).toMatchObject({
      permanencesHeld: 0,
      permanencesScheduled: 1,
      slotsOffered: 4,
      slotsBooked: 1,
      bookings: 1,
      attended: 0,
      attendanceRate: null,
      attendanceUnrecorded: 0,
      organisations: 1,
      newOrganisations: 0,
    });
  });

  it('gives zeros in every area for a period without bookings', async () => {
    const { figures } = (await api.get('/api/reports/attendance?from=2026-01-01&to=2026-06-30', admin)).body;
    const none = {
      bookings: 0,
      slotsBooked: 0,
      attended: 0,
      attendanceRate: null,
      noShows: 0,
      excused: 0,
      attendanceUnrecorded: 0,
      organisations: 0,
      newOrganisations: 0,
    };
    expect(figures).toMatchObject({
      ...none,
      byArea: { inMetropolis: none, outsideMetropolis: none, unknown: none },
      byLegalForm: [],
      byTopic: [],
      byCommune: [],
    });
  });

  it('is for admins and viewers only', async () => {
    expect((await api.get(`/api/reports/attendance?${RANGE}`)).status).toBe(401);
    const forbidden = await api.get(`/api/reports/attendance?${RANGE}`, await login(api, advisor.email, advisor.password));
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'forbidden']);
    const allowed = await api.get(`/api/reports/attendance?${RANGE}`, await login(api, viewer.email, viewer.password));
    expect([allowed.status, allowed.body.figures.bookings]).toEqual([200, 9]);
  });

  it('refuses bad dates, a period ending before it starts, an unknown format, and more than five years', async () => {
    const fields = async (query: string) => {
      const response = await api.get(`/api/reports/attendance?${query}`, admin);
      return [response.status, response.body.code, (response.body.errors ?? []).map((error: { field: string }) => error.field)];
    };
    expect(await fields('from=2026-02-30')).toEqual([400, 'validation_failed', ['from']]);
    expect(await fields('from=2026-11-01&to=01/12/2026')).toEqual([400, 'validation_failed', ['to']]);
    expect(await fields('from=2026-11-02&to=2026-11-01')).toEqual([400, 'validation_failed', ['to']]);
    expect(await fields('format=pdf')).toEqual([400, 'validation_failed', ['format']]);
    expect(await fields('period=year')).toEqual([400, 'validation_failed', ['period']]);
    expect(await fields('from=2020-01-01&to=2025-01-01')).toEqual([422, 'range_too_large', []]);
    expect((await api.get('/api/reports/attendance?from=2020-01-01&to=2024-12-31', admin)).status).toBe(200);
  });

  it('exports the rows as a French CSV: BOM, semicolons, CRLF, quoted fields, no formulas', async () => {
    const response = await download(`/api/reports/attendance?${RANGE}&format=csv`, admin);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="rapport-2026-11-01-2027-01-31.csv"');
    expect([...response.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = response.bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines).toHaveLength(1 + 9 + 1);
    expect(lines[0]).toBe('Type;Date;Heure;Intitulé;Structure;SIRET;Forme juridique;Code postal;Commune;Métropole;Nom;E-mail;Thématiques;Statut;Présence');
    expect(lines[1]).toBe(
      `permanence;2026-11-26;09:00;${PERMANENCE};Coop A;${SIRET.coopA};${COOP};42000;Saint-Étienne;dans la Métropole;"Camille ""Cam"" Martin; Lyon";camille@coop-a.test;Évolution des statuts;confirmée;présent`,
    );
    expect(lines[4]).toBe(
      `permanence;2026-11-26;11:00;${PERMANENCE};Collectif sans SIRET;;;;;commune non renseignée;'=1+1 Farid;farid@collectif.test;;confirmée;non renseignée`,
    );
    expect(lines[7]).toBe(
      `atelier;2026-12-10;14:00;Atelier statuts;SCIC Attente;${SIRET.scic};${COOP};38000;Grenoble;hors Métropole;Karim Saïdi;karim@scic.test;Évolution des statuts;liste d’attente;non renseignée`,
    );
    expect(lines[10]).toBe('');
  });

  it('exports a workbook with the figures and the rows', async () => {
    const response = await download(`/api/reports/attendance?${RANGE}&format=xlsx`, admin);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, XLSX]);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="rapport-2026-11-01-2027-01-31.xlsx"');
    const workbook = new Workbook();
    await workbook.xlsx.load(response.bytes as unknown as ArrayBuffer);
    // Then the bilan's sheets of the period (src/bilan/bilan.xlsx.ts; test/bilan.test.ts checks them).
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Synthèse', 'Rendez-vous', ...BILAN_SHEETS]);

    const summary = workbook.getWorksheet('Synthèse')!;
    const valueOf = (label: string) => {
      let value: unknown = undefined;
      summary.eachRow((row) => {
        if (row.getCell(1).value === label && value === undefined) value = row.getCell(2).value;
      });
      return value;
    };
    expect(valueOf('Permanences tenues')).toBe(2);
    expect(valueOf('Permanences à venir ou en cours')).toBe(0);
    expect(valueOf('Présences non renseignées (rendez-vous passés)')).toBe(2);
    expect(valueOf('Créneaux proposés')).toBe(12);
    expect(valueOf('Taux de présence')).toBe(0.5);
    expect(valueOf('Nouvelles structures')).toBe(5);
    expect(valueOf(COOP)).toBe(4);
    const rowOf = (label: string) => {
      let values: unknown[] | undefined;
      summary.eachRow((row) => {
        if (row.getCell(1).value === label && values === undefined) values = (row.values as unknown[]).slice(2);
      });
      return values;
    };
    // Total, in the metropolis, outside, unknown.
    expect(rowOf('Rendez-vous et structures')).toEqual(['Total', 'Dans la Métropole', 'Hors Métropole', 'Commune non renseignée']);
    expect(rowOf('Réservations et inscriptions (hors annulations)')).toEqual([9, 5, 3, 1]);
    expect(rowOf('Structures distinctes')).toEqual([6, 3, 2, 1]);
    expect(rowOf('Nouvelles structures')).toEqual([5, 3, 1, 1]);
    expect(rowOf('Taux de présence')).toEqual([0.5, 0.5, 0.5, 'non calculable']);
    // Bookings (total and by area), then organisations likewise.
    expect(rowOf(COOP)).toEqual([4, 3, 1, 0, 2, 1, 1, 0]);
    expect(rowOf('Évolution des statuts')).toEqual([5, 3, 2, 0, 4, 2, 2, 0]);
    expect(rowOf('Lyon')).toEqual(['hors Métropole', 2, 1]);
    expect(rowOf('Fontanès')).toEqual(['dans la Métropole', 1, 1]);
    expect(rowOf('Commune non renseignée')).toEqual(['commune non renseignée', 1, 1]);
    expect(valueOf('Atelier statuts')).toBe('2026-12-10 14:00');
    // Date, seats, registered, waitlisted, present, then registered and present in, outside, unknown.
    expect(rowOf('Atelier statuts')).toEqual(['2026-12-10 14:00', 2, 2, 1, 1, 1, 0, 1, 1, 0, 0]);

    const rows = workbook.getWorksheet('Rendez-vous')!;
    expect(rows.rowCount).toBe(1 + 9);
    expect([rows.getRow(1).getCell(1).value, rows.getRow(1).getCell(15).value]).toEqual(['Type', 'Présence']);
    expect(rows.getRow(1).font?.bold).toBe(true);
    expect(rows.getColumn(13).width).toBe(60);
    expect((rows.getRow(2).values as unknown[]).slice(1)).toEqual([
      'permanence',
      '2026-11-26',
      '09:00',
      PERMANENCE,
      'Coop A',
      SIRET.coopA,
      COOP,
      '42000',
      'Saint-Étienne',
      'dans la Métropole',
      'Camille "Cam" Martin; Lyon',
      'camille@coop-a.test',
      'Évolution des statuts',
      'confirmée',
      'présent',
    ]);
    // Text typed by the public stays text, never a formula.
    expect(rows.getRow(5).getCell(11).value).toBe('=1+1 Farid');
  });
  it('gives the metropolis’ viewer the figures and rows without any attendee’s name or e-mail, in JSON, CSV and XLSX', async () => {
    const full = (await api.get(`/api/reports/attendance?${RANGE}`, admin)).body;
    const people: string[] = full.rows.flatMap((row: { attendeeName: string; attendeeEmail: string }) => [row.attendeeName, row.attendeeEmail]);
    expect(people).toContain('camille@coop-a.test');
    const token = await login(api, viewer.email, viewer.password);

    const json = await api.get(`/api/reports/attendance?${RANGE}`, token);
    expect(json.status).toBe(200);
    expect(json.body.figures).toEqual(full.figures);
    const strip = ({ attendeeName: _name, attendeeEmail: _email, ...row }: Record<string, unknown>) => row;
    expect(json.body.rows).toEqual(full.rows.map(strip));
    for (const text of people) expect(json.text).not.toContain(text);

    const csv = (await download(`/api/reports/attendance?${RANGE}&format=csv`, token)).bytes.toString('utf8').slice(1);
    expect(csv.split('\r\n')[0]).toBe('Type;Date;Heure;Intitulé;Structure;SIRET;Forme juridique;Code postal;Commune;Métropole;Thématiques;Statut;Présence');
    expect(csv.split('\r\n')).toHaveLength(1 + 9 + 1);
    for (const text of people) expect(csv).not.toContain(text);

    const workbook = new Workbook();
    await workbook.xlsx.load((await download(`/api/reports/attendance?${RANGE}&format=xlsx`, token)).bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Rendez-vous')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Type',
      'Date',
      'Heure',
      'Intitulé',
      'Structure',
      'SIRET',
      'Forme juridique',
      'Code postal',
      'Commune',
      'Métropole',
      'Thématiques',
      'Statut',
      'Présence',
    ]);
    expect(sheet.rowCount).toBe(1 + 9);
    const cellsText: string[] = [];
    for (const each of workbook.worksheets) each.eachRow((row) => row.eachCell((cell) => void cellsText.push(cell.text)));
    for (const text of people) expect(cellsText).not.toContain(text);
  });

  it('counts attendance once the event has ended, and a permanence as held once the session has ended', async () => {
    const figures = async () => (await api.get('/api/reports/attendance?from=2027-02-01&to=2027-02-28', admin)).body.figures;
    try {
      // 09:30 in Paris: Julie's slot (09:00–10:00) has started; her attendance can be noted, but the slot is not over.
      await at('2027-02-25T08:30:00Z');
      await attend(february.id, 'present');
      expect(await figures()).toMatchObject({ permanencesHeld: 0, permanencesScheduled: 1, attended: 0, attendanceRate: null, attendanceUnrecorded: 0 });
      // 10:30: her slot is over, the session (until 13:00) is not.
      await at('2027-02-25T09:30:00Z');
      expect(await figures()).toMatchObject({ permanencesHeld: 0, permanencesScheduled: 1, attended: 1, attendanceRate: 1, attendanceUnrecorded: 0 });
      await at('2027-02-25T12:00:00Z');
      expect(await figures()).toMatchObject({ permanencesHeld: 1, permanencesScheduled: 0, attended: 1, attendanceRate: 1 });
    } finally {
      await at('2027-02-10T10:00:00Z');
    }
  });
});
