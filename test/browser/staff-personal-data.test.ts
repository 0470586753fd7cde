import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, registrationRequest } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

const EMAIL = 'oubliez.moi@asso.test';

describe('/staff/donnees-personnelles in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let browser: Browser;
  let waiting: { id: string };

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    const [december] = await listSessions(api, '2026-12-01', '2026-12-31');
    const person = { attendee: { name: 'Alix Oubli', email: EMAIL } };
    expect((await api.post('/api/bookings', bookingRequest(december.slots[0].id, person))).status).toBe(201);
    const full = await createWorkshop(api, admin, { title: 'Atelier complet', capacity: 1 });
    expect((await api.post('/api/bookings', registrationRequest(full.id, person))).body.status).toBe('confirmed');
    waiting = (await api.post('/api/bookings', registrationRequest(full.id, { attendee: { name: 'Basile Attente', email: 'basile@asso.test' } }))).body;
    const other = await createWorkshop(api, admin, { title: 'Autre atelier', capacity: 1 });
    await api.post('/api/bookings', registrationRequest(other.id));
    expect((await api.post('/api/bookings', registrationRequest(other.id, person))).body.status).toBe('waitlisted');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('finds an address, downloads its data, and erases it after a confirmation that states the consequences', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('navigation').getByRole('link', { name: 'Données personnelles', exact: true }).click();
    await page.waitForURL('**/staff/donnees-personnelles');
    await checkPage(page, 'staff-personal-data-empty');

    await page.getByLabel('Adresse e-mail de la personne').fill('pas-une-adresse');
    const [refused] = await Promise.all([
      page.waitForResponse((response) => response.url().includes('email=')),
      page.getByRole('button', { name: 'Rechercher' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await page.waitForLoadState('load');
    expect(await page.locator('#f-email-error').textContent()).toBe('Adresse e-mail invalide.');
    await checkPage(page, 'staff-personal-data-invalid');

    await page.getByLabel('Adresse e-mail de la personne').fill(EMAIL.toUpperCase());
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/email=/);
    expect(await page.locator('#reservations tbody tr').count()).toBe(3);
    await checkPage(page, 'staff-personal-data-found');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger ses données (JSON)' }).click()]);
    expect(download.suggestedFilename()).toBe('donnees-personnelles.json');
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(exported.bookings.map((booking: { attendee: { email: string } }) => booking.attendee.email)).toEqual([EMAIL, EMAIL, EMAIL]);

    await page.getByRole('button', { name: 'Effacer les données de cette adresse…' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Effacer les données de ${EMAIL.toUpperCase()} ?`);
    const details = await page.locator('dl.details').textContent();
    expect(details).toContain('1 réservation annulée : les créneaux redeviennent libres');
    expect(details).toContain('1 place libérée, dont 1 donnée(s) à la première personne de la liste d’attente');
    expect(details).toContain('1 place abandonnée');
    expect(details).toMatch(/\d+ messages supprimés/);
    await checkPage(page, 'staff-personal-data-confirm');
    // Nothing is erased before the confirmation.
    expect((await api.get(`/api/personal-data?email=${encodeURIComponent(EMAIL)}`, admin)).body.bookings).toHaveLength(3);

    await page.getByRole('button', { name: 'Oui, effacer ces données' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).toContain('sont effacées (3 réservation(s) à venir annulée(s), 3 anonymisée(s)');
    await checkPage(page, 'staff-personal-data-erased');

    expect((await api.get(`/api/personal-data?email=${encodeURIComponent(EMAIL)}`, admin)).body.bookings).toEqual([]);
    expect((await api.get(`/api/bookings/${waiting.id}`, admin)).body.status).toBe('confirmed');
    const [erased] = (await api.get('/api/admin/journal?action=personal_data.erased', admin)).body.entries;
    expect(erased).toMatchObject({ actorName: 'Administrateur', details: { cancelledBookings: 3, anonymisedBookings: 3 } });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/staff/donnees-personnelles?email=basile%40asso.test`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkPage(page, 'staff-personal-data-phone');
    await context.close();
  });

  it('answers the same counts through the API before erasing, and keeps the page from other roles', async () => {
    const preview = await api.get(`/api/personal-data/erasure-preview?email=basile%40asso.test`, admin);
    expect(preview.body).toEqual({
      email: 'basile@asso.test',
      bookings: 1,
      upcomingPermanences: 0,
      upcomingWorkshopSeats: 1,
      waitlistPromotions: 0,
      waitlistPlaces: 0,
      pendingMessages: 2,
    });
    const invalid = await api.get('/api/personal-data/erasure-preview?email=nope', admin);
    expect([invalid.status, invalid.body.errors]).toEqual([400, [{ field: 'email', message: 'Adresse e-mail invalide.' }]]);

    const { context, page } = await newVisitor(browser, app.baseUrl);
    const advisor = await createStaff(api, admin, 'advisor');
    await signIn(page, advisor.email, advisor.password);
    expect((await page.goto('/staff/donnees-personnelles'))?.status()).toBe(403);
    await context.close();
  });
});
