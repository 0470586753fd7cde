import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn, submitForm as submit } from '../support/browser';
import { adminToken, bookingRequest, createStaff, listSessions } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

describe('the lists page (/staff/listes), in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const offeredTopics = async (page: Page) => {
    const topics = page.getByRole('group', { name: 'Sujets que vous souhaitez aborder' });
    return topics.locator('label').allTextContents();
  };

  it('shows an advisor a 403 page', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const advisor = await createStaff(api, admin, 'advisor');
    await signIn(page, advisor.email, advisor.password);
    const response = await page.goto('/staff/listes');
    expect(response?.status()).toBe(403);
    await context.close();
  });

  it('lets an admin add, rename, reorder and archive topics; the booking form follows and an old booking keeps its label', async () => {
    const [session] = await listSessions(api, '2026-12-01', '2027-03-31');
    const old = await api.post('/api/bookings', bookingRequest(session.slots[0].id, { topics: ['ambition_ess'] }));
    expect(old.status).toBe(201);
    const withLegalStatus = await api.post(
      '/api/bookings',
      bookingRequest(session.slots[2].id, { topics: ['legal_status'], organisation: { name: 'Asso du Pilat', legalForm: 'mutuelle' } }),
    );
    expect(withLegalStatus.status).toBe(201);

    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Listes' }).click();
    await page.waitForURL('**/staff/listes');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Listes');
    await checkPage(page, 'staff-lists');

    // A blank label: refused next to its field, nothing written.
    const topics = page.locator('#liste-topics');
    expect(await submit(page, topics.getByRole('button', { name: /^Ajouter/ }))).toBe(422);
    expect(await page.locator('#f-topics-new-error').textContent()).toBe('Le libellé est requis.');
    expect(await page.locator('#f-topics-new').getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'staff-lists-error');
    expect(Number((await app.dataSource.query(`SELECT count(*) AS n FROM topics`))[0].n)).toBe(8);

    await page.locator('#f-topics-new').fill('Financement participatif');
    expect(await submit(page, page.locator('#liste-topics').getByRole('button', { name: /^Ajouter/ }))).toBe(303);
    expect(await page.locator('.flash, [role=status]').first().textContent()).toContain('l’entrée est ajoutée');

    await page.locator('#f-topics-legal_status').fill('Évolution des statuts juridiques');
    expect(await submit(page, page.getByRole('button', { name: 'Renommer « Évolution des statuts »' }))).toBe(303);
    expect(await submit(page, page.getByRole('button', { name: 'Monter « Financement participatif »' }))).toBe(303);
    expect(await submit(page, page.getByRole('button', { name: 'Archiver « La plateforme « Ambition ESS » »' }))).toBe(303);
    expect(await page.locator('#liste-topics h3').textContent()).toBe('Archivées');
    expect(await page.locator('#entree-topics-ambition_ess').textContent()).toContain('La plateforme « Ambition ESS »');
    await checkPage(page, 'staff-lists-archived');

    // The advisors' agenda shows the label as renamed, and the archived one as it was.
    await page.goto(`/staff/agenda?date=${session.date}`);
    const agenda = await page.locator('main').textContent();
    expect(agenda).toContain('Évolution des statuts juridiques');
    expect(agenda).toContain('La plateforme « Ambition ESS »');
    await page.goto('/staff/listes');

    const visitor = await newVisitor(browser, app.baseUrl);
    await visitor.page.goto(`/reserver/creneau/${session.slots[1].id}`);
    const offered = await offeredTopics(visitor.page);
    expect(offered).toContain('Évolution des statuts juridiques');
    expect(offered).not.toContain('La plateforme « Ambition ESS »');
    expect(offered.indexOf('Financement participatif')).toBe(offered.length - 2);
    await visitor.context.close();

    const report = await api.get(`/api/reports/attendance?from=2026-11-01&to=${session.date}`, admin);
    expect(report.body.rows.map((row: { topics: string }) => row.topics)).toContain('La plateforme « Ambition ESS »');

    // Offered again from the archive, at the end of the list.
    expect(await submit(page, page.getByRole('button', { name: 'Proposer de nouveau « La plateforme « Ambition ESS » »' }))).toBe(303);
    const labels = await page.locator('#liste-topics ol input[name=label]').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(labels.at(-1)).toBe('La plateforme « Ambition ESS »');
    await context.close();
  });

  it('shows the three lists, and lets an admin add and archive an orientation like the others', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto('/staff/listes');
    expect(await page.locator('main section[id^="liste-"]').evaluateAll((sections) => sections.map((section) => section.id))).toEqual([
      'liste-topics',
      'liste-legal-forms',
      'liste-orientations',
    ]);
    await page.locator('#f-orientations-new').fill('Pôle territorial de coopération économique');
    expect(await submit(page, page.locator('#liste-orientations').getByRole('button', { name: /^Ajouter/ }))).toBe(303);
    const offered = async () => (await api.get('/api/orientations', admin)).body.map((entry: { label: string }) => entry.label);
    expect(await offered()).toContain('Pôle territorial de coopération économique');
    expect(await submit(page, page.getByRole('button', { name: 'Archiver « Pôle territorial de coopération économique »' }))).toBe(303);
    expect(await page.locator('#liste-orientations h3').textContent()).toBe('Archivées');
    expect(await offered()).not.toContain('Pôle territorial de coopération économique');
    await checkPage(page, 'staff-lists-orientations-archived');
    await context.close();
  });
});
