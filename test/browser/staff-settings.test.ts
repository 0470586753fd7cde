import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn, submitForm as submit } from '../support/browser';
import { adminToken, bookingRequest, createStaff, listSessions } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

describe('the settings page (/staff/reglages), in a real browser', () => {
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

  it('shows an advisor and a viewer a 403 page', async () => {
    for (const role of ['advisor', 'viewer'] as const) {
      const { context, page } = await newVisitor(browser, app.baseUrl);
      const staff = await createStaff(api, admin, role);
      await signIn(page, staff.email, staff.password);
      expect((await page.goto('/staff/reglages'))?.status()).toBe(403);
      await context.close();
    }
  });

  it('lets an admin change the identity, the holiday policy and the reminder delay; bad input keeps the form and writes nothing', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Réglages' }).click();
    await page.waitForURL('**/staff/reglages');
    expect(await page.getByLabel('Adresse e-mail de contact').inputValue()).toBe('contact@cress.example');
    expect(await page.getByLabel('Annulée').isChecked()).toBe(true);
    await checkPage(page, 'staff-settings');

    const before = await app.dataSource.query(`SELECT * FROM settings`);
    await page.getByLabel('Raison sociale', { exact: false }).fill('');
    await page.getByLabel('Adresse e-mail de contact').fill('pas-une-adresse');
    await page.getByLabel('Rappel envoyé', { exact: false }).fill('mille');
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer les réglages' }))).toBe(422);
    expect(await page.locator('#f-legalName-error').textContent()).toBe('La raison sociale est requise.');
    expect(await page.locator('#f-contactEmail-error').textContent()).toBe('Adresse e-mail de contact invalide.');
    expect(await page.locator('#f-reminderHoursBefore-error').textContent()).toBe('Le délai du rappel est un nombre d’heures de 1 à 720 (30 jours).');
    expect(await page.getByLabel('Adresse e-mail de contact').inputValue()).toBe('pas-une-adresse');
    expect(await app.dataSource.query(`SELECT * FROM settings`)).toEqual(before);
    await checkPage(page, 'staff-settings-errors');

    await page.getByLabel('Raison sociale', { exact: false }).fill('CRESS AURA, association loi 1901');
    await page.getByLabel('Adresse postale', { exact: false }).fill('12 rue de la République, 42000 Saint-Étienne');
    await page.getByLabel('Adresse e-mail de contact').fill('bonjour@cress-aura.test');
    await page.getByLabel('Repoussée d’une semaine', { exact: false }).check();
    await page.getByLabel('Rappel envoyé', { exact: false }).fill('24');
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer les réglages' }))).toBe(303);
    expect(await page.getByRole('status').textContent()).toContain('les réglages sont enregistrés');
    expect(await page.locator('footer').textContent()).toContain('bonjour@cress-aura.test');
    await checkPage(page, 'staff-settings-saved');
    expect((await api.get('/api/settings', admin)).body).toMatchObject({
      legalName: 'CRESS AURA, association loi 1901',
      contactEmail: 'bonjour@cress-aura.test',
      holidayPolicy: 'next_week',
      reminderHoursBefore: 24,
    });

    await page.goto('/donnees-personnelles');
    expect(await page.locator('main').textContent()).toContain(
      'CRESS AURA, association loi 1901 (CRESS Auvergne-Rhône-Alpes), 12 rue de la République, 42000 Saint-Étienne',
    );
    await context.close();
  });

  it('changes the monthly permanence: the page says which sessions to come it reshaped and which it could not (booked ones)', async () => {
    const sessions = await listSessions(api, '2026-12-01', '2027-12-31');
    const booked = await api.post('/api/bookings', bookingRequest(sessions[1].slots[0].id));
    expect(booked.status).toBe(201);
    const advisor = await createStaff(api, admin, 'advisor', 'Chloé Permanence');
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto('/staff/reglages');
    const series = page.locator('#serie');
    expect(await series.getByLabel('Début').inputValue()).toBe('09:00');

    // The end before the start: refused next to the field, nothing changed.
    await series.getByLabel('Fin').fill('08:00');
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer la permanence de chaque mois' }))).toBe(422);
    expect(await page.locator('#f-endTime-error').textContent()).toBeTruthy();
    await checkPage(page, 'staff-settings-series-error');
    expect((await listSessions(api, sessions[0].date, sessions[0].date))[0].slots).toHaveLength(sessions[0].slots.length);

    await series.getByLabel('Lieu et adresse').fill('Maison de l’ESS, 3 rue Javelin-Pagnon, 42000 Saint-Étienne');
    await series.getByLabel('Début').fill('09:00');
    await series.getByLabel('Fin').fill('12:00');
    await series.getByLabel('Durée d’un créneau', { exact: false }).fill('30');
    await series.getByLabel('Chloé Permanence').check();
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer la permanence de chaque mois' }))).toBe(200);
    expect(await page.locator('#serie').getByLabel('Chloé Permanence').isChecked()).toBe(true);
    const result = page.locator('#resultat-serie');
    expect(await result.textContent()).toContain(`permanences à venir mises à jour`);
    expect(await result.locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^\S+ \d+ \S+ 2027 \(1 réservation\)$|^\S+ \d+ \S+ 2026 \(1 réservation\)$/),
    ]);
    await checkPage(page, 'staff-settings-series-saved');

    const after = await listSessions(api, '2026-12-01', '2027-12-31');
    const untouched = after.find((session) => session.id === sessions[1].id)!;
    const reshaped = after.find((session) => session.id === sessions[2].id)!;
    expect(untouched.slots).toHaveLength(sessions[1].slots.length);
    expect(reshaped.slots).toHaveLength(6);
    expect(reshaped.location).toBe('Maison de l’ESS, 3 rue Javelin-Pagnon, 42000 Saint-Étienne');
    expect((await api.get('/api/permanences/series', admin)).body[0].advisorIds).toEqual([advisor.id]);
    await context.close();
  });
});
