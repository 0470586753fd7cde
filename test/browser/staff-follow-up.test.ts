import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn, submitForm as submit } from '../support/browser';
import { adminToken, bookingRequest, createStaff, listSessions, login } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

/** The December permanence (last Thursday), 09:00–13:00 Paris. */
const DAY = '2026-12-31';
const PHONE = { width: 390, height: 844 };
const NOTE = 'Projet de SCIC : besoin d’un accompagnement DLA.\nRappeler après le conseil d’administration.';

interface Staff {
  id: string;
  email: string;
  password: string;
}

describe('the follow-up of an appointment, in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let browser: Browser;
  let alice: Staff;
  let bruno: Staff;
  let viewer: Staff;
  let bookingId: string;

  async function signedIn(
    user: { email: string; password: string },
    viewport?: { width: number; height: number },
  ): Promise<{ context: BrowserContext; page: Page }> {
    const visitor = await newVisitor(browser, app.baseUrl);
    if (viewport) await visitor.page.setViewportSize(viewport);
    await signIn(visitor.page, user.email, user.password);
    return visitor;
  }

  const width = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    browser = await launchBrowser();
    const admin = await adminToken(api);
    alice = await createStaff(api, admin, 'advisor', 'Alice Martin');
    bruno = await createStaff(api, admin, 'advisor', 'Bruno Durand');
    viewer = await createStaff(api, admin, 'viewer', 'Métropole');
    const [december] = await listSessions(api, DAY, DAY);
    const staffed = await api.put(`/api/permanences/${december.id}/advisors`, { advisorIds: [alice.id, bruno.id] }, admin);
    const aliceSlot = staffed.body.slots.find((slot: { advisor: { id: string } }) => slot.advisor.id === alice.id);
    const booked = await api.post(
      '/api/bookings',
      bookingRequest(aliceSlot.id, {
        attendee: { name: 'Camille Roche', email: 'camille@scic.test', phone: '04 77 00 00 01' },
        organisation: { name: 'SCIC des Monts du Forez', postcode: '42600', communeCode: '42147' },
      }),
    );
    expect(booked.status).toBe(201);
    bookingId = booked.body.id;
    // During the permanence, after Camille's appointment began.
    app.clock.set('2026-12-31T08:40:00Z');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lets the advisor note the follow-up from the agenda once the person came, and shows it there', async () => {
    const { context, page } = await signedIn(alice);
    await page.goto(`/staff/agenda?date=${DAY}`);
    // Not before attendance: no link to the follow-up yet.
    expect(await page.getByRole('link', { name: /Noter le suivi/ }).count()).toBe(0);
    expect(await submit(page, page.getByRole('button', { name: 'Présent pour Camille Roche' }))).toBe(303);
    await page.getByRole('link', { name: 'Noter le suivi du rendez-vous de Camille Roche' }).click();
    await page.waitForURL(`**/staff/rendez-vous/${bookingId}/suivi?depuis=agenda`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Suivi du rendez-vous de Camille Roche');
    expect(await page.getByRole('group', { name: 'Orientations données' }).locator('label').allTextContents()).toEqual([
      'Dispositif local d’accompagnement (DLA)',
      'France Active',
      'Union régionale des Scop et Scic (URSCOP)',
      'Incubateur de l’ESS',
      'Dispositifs de la Région',
      'Autre',
    ]);
    // The follow-up to do is for the writer unless someone else is chosen.
    expect(await page.getByLabel('Pour').locator('option:checked').textContent()).toBe('Alice Martin (vous)');
    await checkPage(page, 'staff-follow-up-new');

    // Nothing filled in: refused next to the note, nothing written.
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer le suivi' }))).toBe(422);
    expect(await page.locator('#f-note-error').textContent()).toContain('Le suivi est vide');
    expect(await page.locator('#f-note').getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'staff-follow-up-empty');
    // A date in the past: refused next to it, what was typed kept.
    await page.getByLabel('Note de suivi (facultatif)').fill(NOTE);
    await page.getByLabel('Dispositif local d’accompagnement (DLA)').check();
    await page.getByLabel('Date de la relance').fill('2026-12-01');
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer le suivi' }))).toBe(422);
    expect(await page.locator('#f-followUpOn-error').textContent()).toBe('La date de relance doit être aujourd’hui ou plus tard.');
    expect(await page.locator('#f-note').inputValue()).toBe(NOTE);
    expect(await page.getByLabel('Dispositif local d’accompagnement (DLA)').isChecked()).toBe(true);
    await checkPage(page, 'staff-follow-up-past-date');
    expect(await app.dataSource.query(`SELECT 1 FROM booking_follow_ups WHERE booking_id = $1`, [bookingId])).toEqual([]);

    await page.getByLabel('France Active').check();
    await page.getByLabel('Date de la relance').fill('2027-01-15');
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer le suivi' }))).toBe(303);
    expect(page.url()).toContain(`/staff/agenda?date=${DAY}&fait=suivi`);
    expect(await page.locator('.flash, [role=status]').first().textContent()).toContain('le suivi du rendez-vous est enregistré');
    const booking = page.locator(`#reservation-${bookingId}`);
    const shown = await booking.locator('.follow-up').textContent();
    expect(shown).toContain('Orientations : Dispositif local d’accompagnement (DLA) · France Active');
    expect(shown).toContain('Rappeler après le conseil d’administration.');
    expect(shown).toContain('Relance le vendredi 15 janvier 2027 (Alice Martin)');
    expect(shown).toContain('Mis à jour par Alice Martin le 31/12/2026 à 09:40');
    await checkPage(page, 'staff-follow-up-agenda');
    const [row] = await app.dataSource.query(`SELECT note, orientations, created_by AS "by" FROM booking_follow_ups WHERE booking_id = $1`, [bookingId]);
    expect(row).toEqual({ note: NOTE, orientations: ['dla', 'france_active'], by: alice.id });
    await context.close();
  });

  it('shows the follow-up on the organisation’s page with who wrote it, and lets the advisor edit it from there', async () => {
    const { context, page } = await signedIn(alice);
    await page.goto(`/staff/agenda?date=${DAY}`);
    await page.getByRole('link', { name: 'Fiche de la structure SCIC des Monts du Forez' }).click();
    await page.waitForURL('**/staff/organisations/*');
    const section = page.locator('section[aria-labelledby="titre-suivis"]');
    const text = await section.textContent();
    expect(text).toContain('Camille Roche');
    expect(text).toContain('Projet de SCIC');
    expect(text).toContain('par Alice Martin le 31/12/2026 à 09:40');
    expect(text).toContain('le vendredi 15 janvier 2027, pour Alice Martin — à faire');
    expect(await page.locator('#historique').textContent()).toContain('Dispositif local d’accompagnement (DLA), France Active');
    // No contact people for an advisor; the way back is the agenda.
    expect(await page.locator('#contacts').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Retour à l’agenda' }).count()).toBe(1);
    await checkPage(page, 'staff-follow-up-organisation');

    await section.getByRole('link', { name: /Modifier le suivi/ }).click();
    await page.waitForURL(`**/staff/rendez-vous/${bookingId}/suivi?depuis=structure`);
    expect(await page.locator('#f-note').inputValue()).toBe(NOTE);
    await page.getByLabel('Dispositifs de la Région').check();
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer le suivi' }))).toBe(303);
    expect(page.url()).toContain('fait=suivi');
    expect(await page.locator('#historique').textContent()).toContain('Dispositif local d’accompagnement (DLA), France Active, Dispositifs de la Région');
    await context.close();
  });

  it('puts the follow-up to do on the advisor’s agenda on its date, and marks it done', async () => {
    app.clock.set('2027-01-15T08:00:00Z');
    const { context, page } = await signedIn(alice);
    await page.goto('/staff/agenda?date=2027-01-15');
    const due = page.locator('section[aria-labelledby="relances"]');
    expect(await due.getByRole('heading', { level: 2 }).textContent()).toBe('Relances à faire ce jour-là');
    const text = await due.textContent();
    expect(text).toContain('Camille Roche — SCIC des Monts du Forez');
    expect(text).toContain('camille@scic.test');
    expect(text).toContain('À faire');
    await checkPage(page, 'staff-follow-up-due');
    expect(await submit(page, due.getByRole('button', { name: 'Marquer comme faite la relance de Camille Roche' }))).toBe(303);
    expect(page.url()).toContain('fait=relance-faite');
    expect(await page.locator('section[aria-labelledby="relances"]').textContent()).toContain('Faite le 15/01/2027');
    await checkPage(page, 'staff-follow-up-done');
    const [row] = await app.dataSource.query(`SELECT follow_up_done_at AS "doneAt" FROM booking_follow_ups WHERE booking_id = $1`, [bookingId]);
    expect(row.doneAt).toEqual(new Date('2027-01-15T08:00:00Z'));
    await context.close();
  });

  it('gives the follow-up to do to a colleague, who sees it on their agenda and marks it done, without editing it', async () => {
    const given = await api.put(
      `/api/bookings/${bookingId}/follow-up`,
      { note: NOTE, orientations: ['dla', 'france_active', 'region'], followUpOn: '2027-01-22', followUpAdvisorId: bruno.id },
      await login(api, alice.email, alice.password),
    );
    expect(given.status).toBe(200);
    app.clock.set('2027-01-22T08:00:00Z');
    const { context, page } = await signedIn(bruno);
    // Opened without a date, on a day with no appointment but a follow-up to do: the agenda stays on the day.
    await page.goto('/staff/agenda');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Agenda du vendredi 22 janvier 2027');
    const due = page.locator('section[aria-labelledby="relances"]');
    const text = await due.textContent();
    expect(text).toContain('Camille Roche — SCIC des Monts du Forez');
    expect(text).toContain('31/12/2026 à 09:00 avec Alice Martin');
    expect(text).toContain('Rappeler après le conseil d’administration.');
    expect(await due.getByRole('link', { name: /Modifier le suivi/ }).count()).toBe(0);
    await checkPage(page, 'staff-follow-up-colleague');
    await due.getByRole('link', { name: 'Fiche de la structure SCIC des Monts du Forez' }).click();
    await page.waitForURL('**/staff/organisations/*');
    const section = await page.locator('section[aria-labelledby="titre-suivis"]').textContent();
    expect(section).toContain('le vendredi 22 janvier 2027, pour Bruno Durand — à faire');
    expect(await page.getByRole('link', { name: /Modifier le suivi/ }).count()).toBe(0);
    await checkPage(page, 'staff-follow-up-colleague-organisation');
    expect((await page.goto(`/staff/rendez-vous/${bookingId}/suivi`))?.status()).toBe(403);
    await page.goto('/staff/agenda?date=2027-01-22');
    expect(await submit(page, page.getByRole('button', { name: 'Marquer comme faite la relance de Camille Roche' }))).toBe(303);
    expect(await page.locator('section[aria-labelledby="relances"]').textContent()).toContain('Faite le 22/01/2027');
    await context.close();
  });

  it('fits a phone 390 px wide, the admin’s pages (every desk, contact people) included', async () => {
    const { context, page } = await signedIn(ADMIN, PHONE);
    const [{ id: organisationId }] = await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [bookingId]);
    const pages: Array<[string, string]> = [
      [`/staff/rendez-vous/${bookingId}/suivi`, 'form'],
      ['/staff/agenda?date=2027-01-22', 'due'],
      [`/staff/agenda?date=${DAY}`, 'agenda'],
      [`/staff/organisations/${organisationId}`, 'organisation'],
    ];
    for (const [path, name] of pages) {
      expect([path, (await page.goto(path))?.status()]).toEqual([path, 200]);
      expect([path, await width(page)]).toEqual([path, PHONE.width]);
      await checkPage(page, `staff-follow-up-phone-${name}`);
    }
    await context.close();
  });

  it('shows the metropolis the orientations given, never the note nor who came', async () => {
    const { context, page } = await signedIn(viewer);
    const [{ id: organisationId }] = await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [bookingId]);
    await page.goto(`/staff/organisations/${organisationId}`);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Dispositif local d’accompagnement (DLA), France Active, Dispositifs de la Région');
    for (const hidden of ['Projet de SCIC', 'conseil d’administration', 'Camille', 'camille@scic.test', 'Suivi des rendez-vous'])
      expect(main).not.toContain(hidden);
    await checkPage(page, 'staff-follow-up-viewer');
    expect((await page.goto(`/staff/rendez-vous/${bookingId}/suivi`))?.status()).toBe(403);
    await context.close();
  });
});
