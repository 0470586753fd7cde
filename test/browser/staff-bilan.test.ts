import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, screenshot, SCREENSHOTS_DIR, signIn } from '../support/browser';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, registrationRequest } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

const PERIOD = 'du=2027-01-01&au=2027-03-31';

/**
 * The bilan's page in Chromium for the admin and the viewer: axe on every state (with its nine SVG
 * charts), a phone's width, the print stylesheet, the PDF link. The data set is built through the
 * API (bookings at the permanence of 28 January 2027 and a workshop on 10 February) and in SQL
 * (communes, follow-ups, satisfaction answers and the questionnaires sent, as their forms and the
 * satisfaction scheduler record them: three of the four present were asked, and all three answered).
 */
describe('staff page: the metropolis’ bilan, in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let browser: Browser;
  let viewer: { email: string; password: string };

  async function book(request: Record<string, unknown>): Promise<{ id: string }> {
    const response = await api.post('/api/bookings', request);
    if (response.status !== 201) throw new Error(`booking failed: ${response.status} ${response.text}`);
    return response.body;
  }
  async function attend(bookingId: string): Promise<void> {
    const response = await api.put(`/api/bookings/${bookingId}/attendance`, { status: 'present' }, admin);
    if (response.status !== 200) throw new Error(`attendance failed: ${response.status} ${response.text}`);
  }
  const sql = (query: string, parameters: unknown[]) => app.dataSource.query(query, parameters);

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-12-01T08:00:00Z', env: { CRESS_NAME: 'CRESS Loire' } });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    viewer = await createStaff(api, admin, 'viewer', 'Métropole');
    const january = (await listSessions(api, '2027-01-01', '2027-01-31'))[0];
    const organisations = [
      { name: 'Coopérative d’activités et d’emploi du Pilat', legalForm: 'cooperative', postcode: '42000' },
      { name: 'Association Entraide Firminy', legalForm: 'association', postcode: '42700' },
      { name: 'Lyon Solidaire', legalForm: 'association', postcode: '69001' },
      { name: 'Fondation sans commune', legalForm: 'fondation' },
    ];
    const communes = ['42218', '42095', '69123', null];
    const booked: string[] = [];
    for (const [index, organisation] of organisations.entries()) {
      const booking = await book(
        bookingRequest(january.slots[index].id, {
          attendee: { name: `Personne Secrète ${index}`, email: `secret.${index}@bilan.test` },
          organisation,
          topics: index % 2 === 0 ? ['legal_status'] : ['legal_status', 'responsible_purchasing'],
        }),
      );
      await sql(`UPDATE bookings SET organisation_commune_code = $1 WHERE id = $2`, [communes[index], booking.id]);
      booked.push(booking.id);
    }
    const workshop = await createWorkshop(api, admin, {
      title: 'Choisir son statut : association, SCOP ou SCIC',
      capacity: 2,
      startsAt: '2027-02-10T14:00:00+01:00',
      endsAt: '2027-02-10T17:00:00+01:00',
    });
    for (const index of [0, 1, 2]) {
      const registration = await book(
        registrationRequest(workshop.id, {
          attendee: { name: `Inscrite Secrète ${index}`, email: `inscrite.${index}@bilan.test` },
          organisation: organisations[index],
        }),
      );
      booked.push(registration.id);
    }
    app.clock.set('2027-01-28T12:30:00Z');
    admin = await adminToken(api);
    for (const id of booked.slice(0, 3)) await attend(id);
    app.clock.set('2027-02-10T16:30:00Z');
    admin = await adminToken(api);
    await attend(booked[4]);
    const now = new Date('2027-02-11T08:00:00Z');
    await sql(`INSERT INTO booking_follow_ups (booking_id, note, orientations, created_at, updated_at) VALUES ($1, 'Note secrète', '{dla,urscop}', $2, $2)`, [
      booked[0],
      now,
    ]);
    await sql(`INSERT INTO booking_follow_ups (booking_id, note, orientations, created_at, updated_at) VALUES ($1, NULL, '{france_active}', $2, $2)`, [
      booked[1],
      now,
    ]);
    for (const [index, score] of [5, 4, 2].entries()) {
      await sql(`INSERT INTO satisfaction_answers (booking_id, score, comment, answered_at, updated_at) VALUES ($1, $2, $3, $4, $4)`, [
        booked[index === 2 ? 4 : index],
        score,
        `Commentaire secret ${index}`,
        now,
      ]);
    }
    await sql(`UPDATE bookings SET satisfaction_requested_at = $2 WHERE id = ANY($1)`, [[booked[0], booked[1], booked[4]], now]);
    app.clock.set('2027-04-15T08:00:00Z');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the admin every section with its sentence, chart and tables, the comments included, and passes axe', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Bilan', exact: true }).click();
    await page.waitForURL('**/staff/bilan');
    await page.getByLabel('Du', { exact: true }).fill('2027-01-01');
    await page.getByLabel('Au', { exact: true }).fill('2027-03-31');
    await Promise.all([page.waitForURL(`**/staff/bilan?${PERIOD}`), page.getByRole('button', { name: 'Afficher le bilan' }).click()]);
    await expect(page.getByRole('heading', { level: 2 }).allTextContents()).resolves.toEqual([
      'Télécharger ou imprimer le bilan',
      'Structures accompagnées',
      'Permanences',
      'Réservations et présences par mois',
      'Thématiques',
      'Formes juridiques',
      'Communes',
      'Orientations',
      'Ateliers',
      'Satisfaction',
    ]);
    await expect(page.getByText('4 structures accompagnées, dont 2 de la Métropole ; 4 nouvelles.').isVisible()).resolves.toBe(true);
    expect(await page.getByRole('img', { name: 'Structures accompagnées selon leur commune' }).count()).toBe(1);
    expect(await page.getByRole('img').count()).toBe(9);
    await expect(page.getByRole('table', { name: 'Commentaires (réservé aux administrateur·rices)' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('Commentaire secret 0').isVisible()).resolves.toBe(true);
    await checkPage(page, 'staff-bilan-admin');

    // The PDF behind the link.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le bilan en PDF' }).click()]);
    expect(download.suggestedFilename()).toBe('bilan-2027-01-01-2027-03-31.pdf');
    expect(
      readFileSync(await download.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // Printing: no navigation, no form, charts at their size.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation', { name: 'Navigation principale' }).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Afficher le bilan' }).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('link', { name: 'Télécharger le bilan en PDF' }).isVisible()).resolves.toBe(false);
    const chart = await page.getByRole('img', { name: 'Réservations et présences par mois' }).boundingBox();
    expect(chart!.width).toBeGreaterThan(150);
    await screenshot(page, 'staff-bilan-print');
    await context.close();
  });

  it('shows the viewer the figures without a comment, and fits a phone', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, viewer.email, viewer.password);
    await page.goto(`/staff/bilan?${PERIOD}`);
    await expect(page.getByText('3 réponses sur 3 questionnaires envoyés (100 %), note moyenne 3,7 sur 5.').isVisible()).resolves.toBe(true);
    // On a phone each row is a card, each figure named by its column.
    const byKind = page.getByRole('table', { name: 'Satisfaction par type de rendez-vous' });
    await expect(byKind.locator('td[data-label="Questionnaires envoyés"]').allInnerTexts()).resolves.toEqual(['2', '1']);
    await expect(byKind.locator('td[data-label="Présences"]').allInnerTexts()).resolves.toEqual(['3', '1']);
    expect((await byKind.boundingBox())!.width).toBeLessThanOrEqual(390);
    await byKind.screenshot({ path: join(SCREENSHOTS_DIR, 'staff-bilan-satisfaction-phone.png') });
    const text = await page.locator('main').innerText();
    for (const secret of ['Secrète', 'Secret', 'secret', '@bilan.test', 'Commentaires']) expect([secret, text.includes(secret)]).toEqual([secret, false]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkPage(page, 'staff-bilan-viewer-phone');
    // A year without anything: the sentences say so, the empty sections have no chart.
    await page.goto('/staff/bilan?du=2025-01-01&au=2025-12-31');
    await expect(page.getByText('Aucune structure accompagnée sur la période.').isVisible()).resolves.toBe(true);
    await expect(page.getByText('Aucune orientation donnée sur la période.').first().isVisible()).resolves.toBe(true);
    expect(await page.getByRole('img').count()).toBe(4);
    await checkPage(page, 'staff-bilan-empty-year');
    await context.close();
  });

  it('shows the page again with the message under the date to correct', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, viewer.email, viewer.password);
    const response = await page.goto('/staff/bilan?du=2027-03-31&au=2027-01-01');
    expect(response!.status()).toBe(422);
    await expect(page.getByRole('alert').innerText()).resolves.toContain('La période demandée n’est pas valable');
    await expect(page.getByText('Doit être postérieure ou égale à la date de début.').first().isVisible()).resolves.toBe(true);
    await checkPage(page, 'staff-bilan-bad-period');
    await context.close();
  });
});
