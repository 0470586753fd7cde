import { Workbook } from 'exceljs';
import type { ReportFigures } from '../../src/reports/reports.types';
import { AREA_FIGURE_LABELS } from '../../src/reports/reports.export';
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, registrationRequest } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

const SIRET = { coop: '42100000000016', entraide: '69000000000024', mutuelle: '75000000000042' };
const BILAN_SHEETS = ['Structures', 'Permanences', 'Par mois', 'Thématiques', 'Formes juridiques', 'Communes', 'Orientations', 'Ateliers', 'Satisfaction'].map(
  (name) => `Bilan - ${name}`,
);
const PERIOD = { du: '2026-11-01', au: '2026-12-31' };
const PERIOD_QUERY = `du=${PERIOD.du}&au=${PERIOD.au}`;
const API_PERIOD = `from=${PERIOD.du}&to=${PERIOD.au}`;

type Figures = ReportFigures;
const AREAS = ['inMetropolis', 'outsideMetropolis', 'unknown'] as const;

/** The value cell of a row whose header cell is exactly `label`, in the table `#table`. */
function cells(page: Page, table: string, label: string) {
  return page.locator(`#${table} tbody tr`, { has: page.getByRole('rowheader', { name: label, exact: true }) }).locator('td');
}

async function bytesOf(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path);
}

/**
 * Staff pages of the register of organisations and of the metropolis' report. The data set is built
 * through the API from 1 October 2026: four bookings at the permanence of 26 November (one of them
 * for a duplicate of Coop Alpha without its SIRET) and two registrations to a workshop on 10
 * December, attendance recorded after each, then the clock stops on 15 December 2026.
 */
describe('staff pages: reports and register of organisations, in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let browser: Browser;
  let viewer: { email: string; password: string };

  async function at(instant: string): Promise<void> {
    app.clock.set(instant);
    admin = await adminToken(api);
  }
  async function book(request: Record<string, unknown>): Promise<{ id: string }> {
    const response = await api.post('/api/bookings', request);
    if (response.status !== 201) throw new Error(`booking failed: ${response.status} ${response.text}`);
    return response.body;
  }
  async function attend(bookingId: string, status: 'present' | 'absent' | 'excused'): Promise<void> {
    const response = await api.put(`/api/bookings/${bookingId}/attendance`, { status }, admin);
    if (response.status !== 200) throw new Error(`attendance failed: ${response.status} ${response.text}`);
  }
  /** The register's entry named exactly `name`, through the API. */
  async function entry(name: string): Promise<{ id: string; name: string; siret: string | null; mergedInto: string | null; permanenceBookings: number }> {
    const listed = (await api.get(`/api/organisations?q=${encodeURIComponent(name)}`, admin)).body as Array<{ id: string; name: string }>;
    const found = listed.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no organisation named ${name}`);
    return (await api.get(`/api/organisations/${found.id}`, admin)).body;
  }
  async function apiReport(
    query = API_PERIOD,
  ): Promise<{ from: string; to: string; figures: Figures; rows: Array<{ attendeeName: string; attendeeEmail: string }> }> {
    const response = await api.get(`/api/reports/attendance?${query}`, admin);
    expect(response.status).toBe(200);
    return response.body;
  }
  async function signedInAdmin() {
    const visitor = await newVisitor(browser, app.baseUrl);
    await signIn(visitor.page, ADMIN.email, ADMIN.password);
    return visitor;
  }

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-10-01T08:00:00Z', env: { CRESS_NAME: 'CRESS Loire' } });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    viewer = await createStaff(api, admin, 'viewer', 'Métropole');
    const sessions = await listSessions(api, '2026-11-01', '2026-11-30');
    const november = sessions.find((session) => session.date === '2026-11-26')!;
    const slots = november.slots.map((slot) => slot.id);
    const person = (name: string, email: string) => ({ attendee: { name, email } });

    const p1 = await book(
      bookingRequest(slots[0], {
        ...person('Camille Martin', 'camille@coop-alpha.test'),
        organisation: { name: 'Coop Alpha', siret: SIRET.coop, legalForm: 'cooperative', postcode: '42000' },
        topics: ['legal_status'],
      }),
    );
    const p2 = await book(
      bookingRequest(slots[1], {
        ...person('Eve Blanc', 'eve@entraide.test'),
        organisation: { name: 'Entraide Loire', siret: SIRET.entraide, legalForm: 'association', postcode: '69001' },
        topics: ['ambition_ess'],
      }),
    );
    const p3 = await book(
      bookingRequest(slots[2], {
        ...person('Iris Noir', 'iris@coop-alpha.test'),
        organisation: { name: 'Coop Alpha Saint-Étienne', legalForm: 'cooperative', postcode: '42000' },
        topics: ['regional_support'],
      }),
    );
    await book(bookingRequest(slots[3], { ...person('Farid Amrani', 'farid@collectif.test'), organisation: { name: 'Collectif sans SIRET' }, topics: [] }));
    const workshop = await createWorkshop(api, admin, {
      title: 'Atelier statuts',
      capacity: 5,
      startsAt: '2026-12-10T14:00:00+01:00',
      endsAt: '2026-12-10T17:00:00+01:00',
    });
    const w1 = await book(
      registrationRequest(workshop.id, {
        ...person('Inès Moreau', 'ines@entraide.test'),
        organisation: { name: 'Entraide Loire', siret: SIRET.entraide },
        topics: ['legal_status', 'essaimage'],
      }),
    );
    const w2 = await book(
      registrationRequest(workshop.id, {
        ...person('Jules Laurent', 'jules@mutuelle.test'),
        organisation: { name: 'Mutuelle Mut', siret: SIRET.mutuelle, legalForm: 'mutuelle', postcode: '75011' },
        topics: ['recognition'],
      }),
    );

    await at('2026-11-26T12:00:00Z');
    await attend(p1.id, 'present');
    await attend(p2.id, 'absent');
    await attend(p3.id, 'excused');
    await at('2026-12-10T15:00:00Z');
    await attend(w1.id, 'present');
    await attend(w2.id, 'absent');
    await at('2026-12-15T10:00:00Z');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows an admin the figures of a period, the same as the JSON API’s', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    // Signed out: the login page, which leads back to the report asked for.
    await page.goto(`/staff/rapports?${PERIOD_QUERY}`);
    expect(new URL(page.url()).pathname).toBe('/staff/connexion');
    await page.getByLabel('Adresse e-mail').fill(ADMIN.email);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/rapports');
    expect(new URL(page.url()).search).toBe(`?${PERIOD_QUERY}`);

    const report = await apiReport();
    const { figures } = report;
    // The known data set, so that the comparisons below compare something.
    expect(figures).toMatchObject({ bookings: 6, attended: 2, noShows: 2, excused: 1, attendanceRate: 0.4, organisations: 5 });

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Rapport de fréquentation');
    expect(await page.locator('.lead').textContent()).toContain('Du dimanche 1er novembre 2026 au jeudi 31 décembre 2026');
    expect(await page.getByLabel('Du', { exact: true }).inputValue()).toBe(PERIOD.du);
    expect(await page.getByLabel('Au', { exact: true }).inputValue()).toBe(PERIOD.au);
    const shown = async (label: string) => (await cells(page, 'chiffres', label).textContent())?.trim();
    expect(await shown('Permanences tenues')).toBe(String(figures.permanencesHeld));
    expect(await shown('Permanences à venir ou en cours')).toBe(String(figures.permanencesScheduled));
    expect(await shown('Permanences annulées')).toBe(String(figures.permanencesCancelled));
    expect(await shown('Créneaux proposés')).toBe(String(figures.slotsOffered));
    expect(await shown('Créneaux réservés')).toBe(String(figures.slotsBooked));
    expect(await shown('Réservations et inscriptions (hors annulations)')).toBe(String(figures.bookings));
    expect(await shown('Présences')).toBe(String(figures.attended));
    expect(await shown('Absences non excusées')).toBe(String(figures.noShows));
    expect(await shown('Absences excusées')).toBe(String(figures.excused));
    expect(await shown('Structures distinctes')).toBe(String(figures.organisations));
    expect(await shown('Nouvelles structures')).toBe(String(figures.newOrganisations));
    expect(await shown('Taux de présence')).toMatch(/^40\s%$/u);
    expect(await shown('Présences non renseignées (rendez-vous passés)')).toBe(String(figures.attendanceUnrecorded));

    // Bookings, then organisations: in all, in the metropolis, outside, commune unknown.
    const split = (row: Figures['byLegalForm'][number] | Figures['byTopic'][number]) =>
      [row.bookings, ...AREAS.map((area) => row.areas[area].bookings), row.organisations, ...AREAS.map((area) => row.areas[area].organisations)].map(String);
    for (const row of figures.byLegalForm) expect(await cells(page, 'par-forme', row.label).allTextContents()).toEqual(split(row));
    expect(await page.locator('#par-forme tbody tr').count()).toBe(figures.byLegalForm.length);
    for (const row of figures.byTopic) expect(await cells(page, 'par-thematique', row.label).allTextContents()).toEqual(split(row));
    const AREA_WORDS = { inMetropolis: 'dans la Métropole', outsideMetropolis: 'hors Métropole', unknown: 'commune non renseignée' };
    for (const row of figures.byCommune) {
      expect(await cells(page, 'par-commune', row.commune).allTextContents()).toEqual([AREA_WORDS[row.area], String(row.bookings), String(row.organisations)]);
    }
    for (const [key, label] of AREA_FIGURE_LABELS) {
      const values = [figures[key], ...AREAS.map((area) => figures.byArea[area][key])];
      const shownValues = (await cells(page, 'par-territoire', label).allTextContents()).map((text) => text.trim());
      if (key !== 'attendanceRate') expect(shownValues).toEqual(values.map(String));
    }
    const [workshop] = figures.workshops;
    expect(workshop).toMatchObject({ title: 'Atelier statuts', registered: 2, attended: 1 });
    expect((await cells(page, 'ateliers', 'Atelier statuts').allTextContents()).slice(2)).toEqual([
      '5',
      String(workshop.registered),
      String(workshop.waitlisted),
      String(workshop.attended),
      `${workshop.areas.inMetropolis.registered} ${workshop.areas.inMetropolis.registered > 1 ? 'inscrits' : 'inscrit'}, ${workshop.areas.inMetropolis.attended} ${workshop.areas.inMetropolis.attended > 1 ? 'présents' : 'présent'}`,
    ]);

    expect(await page.locator('#nombre-rendez-vous').textContent()).toContain(`${report.rows.length} rendez-vous sur la période`);
    expect(await page.locator('#rendez-vous tbody tr').count()).toBe(report.rows.length);
    expect(await page.locator('#rendez-vous').textContent()).toContain('Camille Martin');
    await checkPage(page, 'staff-reports');

    // Without dates: the service's own default period, 1 January to today.
    await page.goto('/staff/rapports');
    const byDefault = await apiReport('');
    expect([byDefault.from, byDefault.to]).toEqual(['2026-01-01', '2026-12-15']);
    expect(await page.getByLabel('Du', { exact: true }).inputValue()).toBe(byDefault.from);
    expect(await page.getByLabel('Au', { exact: true }).inputValue()).toBe(byDefault.to);
    expect(await cells(page, 'chiffres', 'Réservations et inscriptions (hors annulations)').textContent()).toBe(String(byDefault.figures.bookings));

    // The period form leads to the same figures.
    await page.getByLabel('Du', { exact: true }).fill('2026-12-01');
    await page.getByLabel('Au', { exact: true }).fill('2026-12-31');
    await page.getByRole('button', { name: 'Afficher le rapport' }).click();
    await page.waitForURL(/du=2026-12-01&au=2026-12-31/);
    const december = await apiReport('from=2026-12-01&to=2026-12-31');
    expect(december.figures.bookings).toBe(2);
    expect(await cells(page, 'chiffres', 'Réservations et inscriptions (hors annulations)').textContent()).toBe(String(december.figures.bookings));
    expect(await cells(page, 'chiffres', 'Permanences tenues').textContent()).toBe(String(december.figures.permanencesHeld));
    await checkPage(page, 'staff-reports-december');
    await context.close();
  });

  it('downloads the CSV and the XLSX of the period shown, with the session cookie', async () => {
    const { context, page } = await signedInAdmin();
    await page.goto(`/staff/rapports?${PERIOD_QUERY}`);
    const report = await apiReport();

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le tableau CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe(`rapport-${PERIOD.du}-${PERIOD.au}.csv`);
    const csvBytes = await bytesOf(csv);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvBytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('Type;Date;Heure;Intitulé;Structure;SIRET;Forme juridique;Code postal;Commune;Métropole;Nom;E-mail;Thématiques;Statut;Présence');
    expect(lines).toHaveLength(1 + report.rows.length + 1);
    expect(lines.find((line) => line.includes('Eve Blanc'))).toMatch(
      /^permanence;2026-11-26;[0-9:]+;Permanence de la CRESS Loire;Entraide Loire;69000000000024;Association;69001;Lyon;hors Métropole;Eve Blanc;eve@entraide\.test;/,
    );

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le classeur Excel (XLSX)' }).click()]);
    expect(xlsx.suggestedFilename()).toBe(`rapport-${PERIOD.du}-${PERIOD.au}.xlsx`);
    const xlsxBytes = await bytesOf(xlsx);
    expect(xlsxBytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const workbook = new Workbook();
    await workbook.xlsx.load(xlsxBytes as unknown as ArrayBuffer);
    // Then the bilan's sheets of the period (src/bilan/bilan.xlsx.ts; test/bilan.test.ts checks them).
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Synthèse', 'Rendez-vous', ...BILAN_SHEETS]);
    let bookings: unknown;
    workbook.getWorksheet('Synthèse')!.eachRow((row) => {
      if (row.getCell(1).value === 'Réservations et inscriptions (hors annulations)') bookings = row.getCell(2).value;
    });
    expect(bookings).toBe(report.figures.bookings);
    expect(workbook.getWorksheet('Rendez-vous')!.rowCount).toBe(1 + report.rows.length);

    // The headers, as the API sends them; and nothing without the session cookie.
    const response = await page.request.get(`/staff/rapports/export.csv?${PERIOD_QUERY}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers()['content-disposition']).toBe(`attachment; filename="rapport-${PERIOD.du}-${PERIOD.au}.csv"`);
    const anonymous = await fetch(`${app.baseUrl}/staff/rapports/export.xlsx?${PERIOD_QUERY}`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/staff\/connexion\?suite=/);
    await context.close();
  });

  it('shows the field error of an invalid period next to its date, with status 422', async () => {
    const { context, page } = await signedInAdmin();
    const impossible = await page.goto('/staff/rapports?du=2026-02-30&au=2026-12-31');
    expect(impossible?.status()).toBe(422);
    expect(await page.locator('#f-du-error').textContent()).toBe('Date attendue au format AAAA-MM-JJ.');
    expect(await page.getByLabel('Du', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#chiffres').count()).toBe(0);
    await checkPage(page, 'staff-reports-invalid-date');

    await page.getByLabel('Du', { exact: true }).fill('2026-12-31');
    await page.getByLabel('Au', { exact: true }).fill('2026-11-01');
    const [reversed] = await Promise.all([
      page.waitForResponse((response) => response.url().includes('/staff/rapports?')),
      page.getByRole('button', { name: 'Afficher le rapport' }).click(),
    ]);
    expect(reversed.status()).toBe(422);
    await page.waitForLoadState();
    expect(await page.locator('#f-au-error').textContent()).toBe('Doit être postérieure ou égale à la date de début.');
    expect(await page.locator('#f-du-error').count()).toBe(0);
    expect(await page.getByLabel('Du', { exact: true }).inputValue()).toBe('2026-12-31');
    await checkPage(page, 'staff-reports-reversed');

    const tooLong = await page.goto('/staff/rapports?du=2020-01-01&au=2025-12-31');
    expect(tooLong?.status()).toBe(422);
    expect(await page.locator('#f-au-error').textContent()).toContain('5 ans');

    // A download link with a bad period goes back to the page that explains it.
    const download = await page.request.get('/staff/rapports/export.csv?du=2026-02-30&au=2026-12-31', { maxRedirects: 0 });
    expect(download.status()).toBe(303);
    expect(download.headers()['location']).toBe('/staff/rapports?du=2026-02-30&au=2026-12-31');
    await context.close();
  });

  it('shows the metropolis’ viewer the report and its files without any attendee’s name or e-mail', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, viewer.email, viewer.password);
    expect(new URL(page.url()).pathname).toBe('/staff/rapports');
    await page.goto(`/staff/rapports?${PERIOD_QUERY}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Rapport de fréquentation');
    const report = await apiReport();
    const people = report.rows.flatMap((row) => [row.attendeeName, row.attendeeEmail]);
    expect(people).toContain('Camille Martin');
    expect(await page.locator('#rendez-vous tbody tr').count()).toBe(report.rows.length);
    expect(await page.locator('#rendez-vous thead th').allTextContents()).toEqual([
      'Date',
      'Rendez-vous',
      'Structure',
      'Commune',
      'Thématiques',
      'Statut',
      'Présence',
    ]);
    const html = await page.content();
    for (const text of people) expect(html).not.toContain(text);
    await checkPage(page, 'staff-reports-viewer');

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le tableau CSV' }).click()]);
    const csvText = (await bytesOf(csv)).toString('utf8').slice(1);
    expect(csvText.split('\r\n')[0]).toBe('Type;Date;Heure;Intitulé;Structure;SIRET;Forme juridique;Code postal;Commune;Métropole;Thématiques;Statut;Présence');
    expect(csvText.split('\r\n')).toHaveLength(1 + report.rows.length + 1);
    for (const text of people) expect(csvText).not.toContain(text);

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le classeur Excel (XLSX)' }).click()]);
    const workbook = new Workbook();
    await workbook.xlsx.load((await bytesOf(xlsx)) as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('Rendez-vous')!.rowCount).toBe(1 + report.rows.length);
    const cellsText: string[] = [];
    for (const sheet of workbook.worksheets) sheet.eachRow((row) => row.eachCell((cell) => void cellsText.push(cell.text)));
    expect(cellsText).toContain('Entraide Loire');
    for (const text of people) expect(cellsText).not.toContain(text);
    await context.close();
  });

  it('shows the metropolis’ viewer the register and an entry’s history, with no contact person nor who came, and no form', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, viewer.email, viewer.password);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    await page.getByRole('link', { name: 'Structures' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/organisations');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Registre des structures');
    const names = (await page.locator('#structures tbody th').allTextContents()).map((name) => name.trim());
    expect(names).toEqual(((await api.get('/api/organisations', admin)).body as Array<{ name: string }>).map((organisation) => organisation.name));
    await checkPage(page, 'staff-organisations-viewer');

    const organisation = await entry('Entraide Loire');
    const detail = await page.goto(`/staff/organisations/${organisation.id}`);
    expect(detail?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Entraide Loire');
    expect(await page.locator('#historique tbody tr').count()).toBe(2);
    expect(await page.locator('#historique thead th').allTextContents()).toEqual([
      'Date',
      'Type',
      'Intitulé',
      'Thématiques',
      'État',
      'Présence',
      'Orientations',
    ]);
    expect(await page.locator('#contacts').count()).toBe(0);
    const html = await page.content();
    for (const text of ['Eve Blanc', 'eve@entraide.test', 'Inès Moreau', 'ines@entraide.test']) expect(html).not.toContain(text);
    expect(await page.getByRole('button', { name: 'Enregistrer les corrections' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Chercher la fiche à conserver' }).count()).toBe(0);
    await checkPage(page, 'staff-organisation-viewer');

    // Read-only: the forms' routes refuse a viewer, and nothing is merged.
    const [duplicate, kept] = [await entry('Coop Alpha Saint-Étienne'), await entry('Coop Alpha')];
    const merge = await page.request.post(`/staff/organisations/${duplicate.id}/fusionner`, { form: { _csrf: csrf, into: kept.id }, maxRedirects: 0 });
    expect(merge.status()).toBe(403);
    const correct = await page.request.post(`/staff/organisations/${duplicate.id}`, { form: { _csrf: csrf, name: 'Renommée' }, maxRedirects: 0 });
    expect(correct.status()).toBe(403);
    expect(await entry('Coop Alpha Saint-Étienne')).toMatchObject({ name: 'Coop Alpha Saint-Étienne', mergedInto: null });
    await context.close();
  });

  it('lists the organisations of the bookings, finds one, and shows its contacts and history', async () => {
    const { context, page } = await signedInAdmin();
    const response = await page.goto('/staff/organisations');
    expect(response?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Registre des structures');
    const names = (await page.locator('#structures tbody th').allTextContents()).map((name) => name.trim());
    const listed = (await api.get('/api/organisations', admin)).body as Array<{ name: string }>;
    expect(names).toEqual(listed.map((organisation) => organisation.name));
    expect(names).toEqual(expect.arrayContaining(['Coop Alpha', 'Coop Alpha Saint-Étienne', 'Collectif sans SIRET', 'Entraide Loire', 'Mutuelle Mut']));
    expect(await cells(page, 'structures', 'Entraide Loire').allTextContents()).toEqual([
      SIRET.entraide,
      'Association',
      '69001 Lyon (hors Métropole)',
      '1',
      '1',
      expect.stringMatching(/^\d\d\/\d\d\/2026$/),
    ]);
    await checkPage(page, 'staff-organisations');

    await page.getByLabel('Rechercher une structure').fill('entraide');
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.waitForURL(/q=entraide/);
    expect(await page.locator('#structures tbody tr').count()).toBe(1);
    expect(await page.locator('#structures caption').textContent()).toContain('« entraide »');
    await checkPage(page, 'staff-organisations-search');

    await page.getByRole('link', { name: 'Entraide Loire' }).click();
    await page.waitForURL(/\/staff\/organisations\/[0-9a-f-]{36}$/);
    const organisation = await entry('Entraide Loire');
    expect(page.url()).toBe(`${app.baseUrl}/staff/organisations/${organisation.id}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Entraide Loire');
    const history = (await api.get(`/api/organisations/${organisation.id}`, admin)).body.bookings as unknown[];
    expect(history).toHaveLength(2);
    expect(await page.locator('#historique tbody tr').count()).toBe(history.length);
    const workshopRow = page.locator('#historique tbody tr', { hasText: 'Atelier statuts' });
    expect(await workshopRow.locator('td').allTextContents()).toEqual([
      '10/12/2026 14:00',
      'Atelier',
      'Atelier statuts',
      'Inès Moreau',
      'Évolution des statuts, Essaimage sur le territoire régional',
      'Confirmée',
      'Présent·e',
      '—',
    ]);
    expect(await page.locator('#historique tbody tr', { hasText: 'Eve Blanc' }).locator('td[data-label="Présence"]').textContent()).toBe('Absent·e');
    expect((await page.locator('#contacts tbody th').allTextContents()).sort()).toEqual(['Eve Blanc', 'Inès Moreau']);
    await checkPage(page, 'staff-organisation');

    // Nothing found: said so.
    await page.goto('/staff/organisations?q=introuvable');
    expect(await page.locator('#structures').count()).toBe(0);
    expect(await page.getByRole('status').textContent()).toContain('Aucune structure ne correspond à « introuvable »');
    // The API's own limits: a search too long is a field error, a malformed id a French error page.
    expect((await page.goto(`/staff/organisations?q=${'x'.repeat(201)}`))?.status()).toBe(422);
    expect(await page.locator('#f-q-error').textContent()).toBe('Recherche trop longue.');
    await checkPage(page, 'staff-organisations-search-too-long');
    expect((await page.goto('/staff/organisations/pas-un-identifiant'))?.status()).toBe(400);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Action impossible');
    expect((await page.goto('/staff/organisations/00000000-0000-4000-8000-000000000000'))?.status()).toBe(404);
    await context.close();
  });

  it('corrects an entry: errors next to the fields first, then the API shows the correction', async () => {
    const { context, page } = await signedInAdmin();
    const organisation = await entry('Entraide Loire');
    await page.goto(`/staff/organisations/${organisation.id}`);
    expect(await page.getByLabel('SIRET').inputValue()).toBe(SIRET.entraide);
    await page.getByLabel(/Nom de la structure/).fill('Entraide Loire Forez');
    await page.getByLabel('SIRET').fill('12345678901234');
    await page.getByLabel('Code postal').fill('6900');
    const [refused] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Enregistrer les corrections' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await page.waitForLoadState();
    expect(await page.locator('#f-siret-error').textContent()).toContain('Ce numéro SIRET n’existe pas');
    expect(await page.locator('#f-postcode-error').textContent()).toBe('Code postal invalide (5 chiffres).');
    expect(await page.getByLabel('SIRET').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel(/Nom de la structure/).inputValue()).toBe('Entraide Loire Forez');
    expect((await entry('Entraide Loire')).name).toBe('Entraide Loire');
    await checkPage(page, 'staff-organisation-errors');

    await page.getByLabel('SIRET').fill(SIRET.entraide);
    await page.getByLabel('Code postal').fill('69001');
    await page.getByLabel(/Agrément ESUS/).selectOption('oui');
    await page.getByRole('button', { name: 'Enregistrer les corrections' }).click();
    await page.waitForURL(/fait=correction/);
    expect(await page.getByRole('status').first().textContent()).toContain('la fiche est corrigée');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Entraide Loire Forez');
    const corrected = (await api.get(`/api/organisations/${organisation.id}`, admin)).body;
    expect(corrected).toMatchObject({
      name: 'Entraide Loire Forez',
      siret: SIRET.entraide,
      postcode: '69001',
      // The postcode's only commune.
      commune: 'Lyon',
      communeCode: '69123',
      inMetropolis: false,
      esusApproved: true,
      legalForm: 'association',
    });
    await checkPage(page, 'staff-organisation-corrected');
    await context.close();
  });

  it('merges a duplicate into the entry found by its SIRET, after confirmation', async () => {
    const { context, page } = await signedInAdmin();
    const [duplicate, kept] = [await entry('Coop Alpha Saint-Étienne'), await entry('Coop Alpha')];
    expect([duplicate.permanenceBookings, kept.permanenceBookings]).toEqual([1, 1]);
    await page.goto(`/staff/organisations/${duplicate.id}`);
    await page.getByLabel('Chercher la fiche à conserver').fill(SIRET.coop);
    await page.getByRole('button', { name: 'Chercher la fiche à conserver' }).click();
    await page.waitForURL(/cible=42100000000016/);
    const choice = page.getByRole('radio', { name: /^Coop Alpha — SIRET 42100000000016/ });
    expect(await page.getByRole('radio').count()).toBe(1);
    await choice.check();
    await checkPage(page, 'staff-organisation-merge');

    // Declined in the confirmation: nothing happens.
    const messages: string[] = [];
    page.once('dialog', (dialog) => {
      messages.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Fusionner dans la fiche choisie' }).click();
    expect(messages).toEqual([expect.stringContaining('Fusionner « Coop Alpha Saint-Étienne » dans la fiche choisie')]);
    expect((await entry('Coop Alpha Saint-Étienne')).mergedInto).toBeNull();

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Fusionner dans la fiche choisie' }).click();
    await page.waitForURL(`${app.baseUrl}/staff/organisations/${kept.id}?fait=fusion`);
    expect(await page.getByRole('status').first().textContent()).toContain('les deux fiches sont fusionnées');
    expect(await page.locator('#historique').textContent()).toContain('Iris Noir');
    await checkPage(page, 'staff-organisation-merged');

    const after = (await api.get(`/api/organisations/${kept.id}`, admin)).body;
    expect(after.permanenceBookings).toBe(2);
    expect((await api.get(`/api/organisations/${duplicate.id}`, admin)).body.mergedInto).toBe(kept.id);
    const listed = (await api.get('/api/organisations?q=Coop%20Alpha', admin)).body as Array<{ id: string }>;
    expect(listed.map((organisation) => organisation.id)).toEqual([kept.id]);

    // The merged entry says where it went, and offers no form any more.
    await page.goto(`/staff/organisations/${duplicate.id}`);
    expect(await page.getByRole('link', { name: 'Ouvrir la fiche conservée' }).getAttribute('href')).toBe(`/staff/organisations/${kept.id}`);
    expect(await page.getByRole('button', { name: 'Enregistrer les corrections' }).count()).toBe(0);
    await checkPage(page, 'staff-organisation-merged-away');
    await context.close();
  });
});
