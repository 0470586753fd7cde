import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, screenshot, signIn, submitForm } from '../support/browser';
import { adminToken, bookingRequest, listSessions } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

const PHONE = { width: 390, height: 844 };

async function documentWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** The value cells of the row whose header is exactly `label`, in the table `#table`. */
function cells(page: Page, table: string, label: string) {
  return page.locator(`#${table} tbody tr`, { has: page.getByRole('rowheader', { name: label, exact: true }) }).locator('td');
}

describe('communes in the browser: the booking form’s choice, the register, the reports’ split', () => {
  let app: TestApp;
  let api: Client;
  let browser: Browser;
  let slots: string[];

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-02T09:00:00Z' });
    api = client(app.baseUrl);
    browser = await launchBrowser();
    slots = (await listSessions(api, '2026-11-26', '2026-11-26'))[0].slots.map((slot) => slot.id);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function fill(page: Page, name: string, organisation: string, postcode: string) {
    await page.getByLabel('Nom et prénom').fill(name);
    await page.getByLabel('Adresse e-mail').fill(`${name.split(' ')[0].toLowerCase()}@asso.test`);
    await page.getByLabel('Nom de la structure').fill(organisation);
    await page.getByLabel('Forme juridique').selectOption('association');
    await page.getByLabel('Code postal').fill(postcode);
    await page.getByLabel('Évolution des statuts').check();
    await page.getByLabel(/J’accepte que la CRESS/).check();
  }
  const communeOf = async (organisation: string) =>
    (await app.dataSource.query(`SELECT organisation_commune_code AS code FROM bookings WHERE organisation_name = $1`, [organisation]))[0]?.code;

  it('without JavaScript, offers the communes of a postcode that has several, keeps everything typed, and books with the commune chosen (in and out of the metropolis)', async () => {
    const context = await browser.newContext({ baseURL: app.baseUrl, locale: 'fr-FR', timezoneId: 'Europe/Paris', javaScriptEnabled: false });
    const page = await context.newPage();
    // axe needs JavaScript: the same states are checked with it in the test after the next ones.
    await page.goto(`/reserver/creneau/${slots[0]}`);
    await fill(page, 'Nadia Fontaine', 'Les Jardins de Fontanès', '42140');
    await page.getByLabel('Votre message ou vos questions').fill('Création d’une SCIC.');
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(422);
    expect(await page.locator('#resume-erreurs').textContent()).toContain('Ce code postal couvre plusieurs communes');
    expect(await page.locator('#resume-erreurs').getByRole('link', { name: 'Choisissez la commune dans la liste.' }).getAttribute('href')).toBe(
      '#f-organisation-communeCode',
    );
    const choice = page.getByRole('group', { name: /Commune/ });
    expect(await choice.locator('.hint').textContent()).toBe('Le code postal 42140 couvre plusieurs communes : choisissez celle de la structure.');
    const labels = (await choice.locator('label').allTextContents()).map((label) => label.replace(/\s+/g, ' ').trim());
    expect(labels).toContain('Fontanès (dans la Métropole)');
    expect(labels).toContain('Chazelles-sur-Lyon (hors Métropole)');
    expect(labels).toHaveLength(11);
    // Nothing typed is lost.
    expect(await page.getByLabel('Nom et prénom').inputValue()).toBe('Nadia Fontaine');
    expect(await page.getByLabel('Code postal').inputValue()).toBe('42140');
    expect(await page.getByLabel('Évolution des statuts').isChecked()).toBe(true);
    expect(await page.getByLabel('Votre message ou vos questions').inputValue()).toBe('Création d’une SCIC.');
    expect(await page.getByLabel(/J’accepte que la CRESS/).isChecked()).toBe(true);
    expect(await communeOf('Les Jardins de Fontanès')).toBeUndefined();
    await screenshot(page, 'communes-booking-choice-nojs');

    await page.getByLabel('Fontanès (dans la Métropole)').check();
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(303);
    expect(new URL(page.url()).pathname).toMatch(/^\/reservations\//);
    expect(await communeOf('Les Jardins de Fontanès')).toBe('42096');
    await screenshot(page, 'communes-booking-done-nojs');

    // The same on a phone, and a commune outside the metropolis.
    await page.setViewportSize(PHONE);
    await page.goto(`/reserver/creneau/${slots[1]}`);
    await fill(page, 'Octave Chazal', 'Chapellerie de Chazelles', '42140');
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(422);
    expect(await documentWidth(page)).toBe(PHONE.width);
    await screenshot(page, 'communes-booking-choice-phone-nojs');
    await page.getByLabel('Chazelles-sur-Lyon (hors Métropole)').check();
    // A postcode changed after choosing: the choice is offered again, for the new postcode.
    await page.getByLabel('Code postal').fill('42600');
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(422);
    expect(
      await page
        .getByRole('group', { name: /Commune/ })
        .locator('.hint')
        .textContent(),
    ).toContain('42600');
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(0);
    await page.getByLabel('Code postal').fill('42140');
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(422);
    await page.getByLabel('Chazelles-sur-Lyon (hors Métropole)').check();
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(303);
    expect(await communeOf('Chapellerie de Chazelles')).toBe('42059');

    // A postcode that does not exist.
    await page.goto(`/reserver/creneau/${slots[2]}`);
    await fill(page, 'Paul Nulpart', 'Nulle part', '42999');
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(422);
    expect(await page.locator('#f-organisation-postcode-error').textContent()).toBe(
      'Ce code postal n’existe pas : vérifiez-le (pour une structure hors de France, laissez-le vide).',
    );
    await screenshot(page, 'communes-booking-unknown-postcode-nojs');
    await context.close();
  });

  it('shows the register’s commune names and lets an admin choose the commune of a new postcode', async () => {
    const admin = await adminToken(api);
    const booked = await api.post('/api/bookings', bookingRequest(slots[3], { organisation: { name: 'Régie du Gier', postcode: '42400' } }));
    expect(booked.status).toBe(201);
    const [{ id }] = await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [booked.body.id]);
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto('/staff/organisations?q=Saint-Chamond');
    expect(await page.locator('#structures tbody tr').count()).toBe(1);
    expect(await page.locator('#structures tbody tr td').nth(2).textContent()).toBe('42400 Saint-Chamond (dans la Métropole)');
    await page.goto(`/staff/organisations/${id}`);
    expect(await page.locator('dd', { hasText: 'Saint-Chamond' }).textContent()).toBe('Saint-Chamond dans la Métropole');

    await page.getByLabel('Code postal', { exact: true }).fill('42140');
    expect(await submitForm(page, page.getByRole('button', { name: 'Enregistrer les corrections' }))).toBe(422);
    expect(await page.locator('#f-communeCode-error').textContent()).toBe('Choisissez la commune dans la liste.');
    await checkPage(page, 'communes-organisation-choice');
    await page.getByLabel('Chazelles-sur-Lyon (hors Métropole)').check();
    expect(await submitForm(page, page.getByRole('button', { name: 'Enregistrer les corrections' }))).toBe(303);
    expect(await page.locator('dd', { hasText: 'Chazelles-sur-Lyon' }).textContent()).toBe('Chazelles-sur-Lyon hors Métropole');
    // Its commune chosen, the form offers it checked, and saving again keeps it.
    expect(await page.getByLabel('Chazelles-sur-Lyon (hors Métropole)').isChecked()).toBe(true);
    expect(await submitForm(page, page.getByRole('button', { name: 'Enregistrer les corrections' }))).toBe(303);
    expect((await api.get(`/api/organisations/${id}`, admin)).body).toMatchObject({ postcode: '42140', communeCode: '42059', inMetropolis: false });
    await checkPage(page, 'communes-organisation');
    await context.close();
  });

  it('splits the staff report « dans la Métropole / hors Métropole / commune non renseignée », on a computer and on a phone', async () => {
    const book = async (slot: string, organisation: Record<string, unknown>) =>
      expect((await api.post('/api/bookings', bookingRequest(slot, { organisation: { legalForm: 'association', ...organisation } }))).status).toBe(201);
    // The slot the unknown postcode did not take.
    await book(slots[2], { name: 'Sans code postal' });
    const admin = await adminToken(api);
    const report = (await api.get('/api/reports/attendance?from=2026-11-01&to=2026-11-30', admin)).body;
    const { byArea } = report.figures;
    // Fontanès; Chazelles-sur-Lyon, and the Régie du Gier (Saint-Chamond, which the register now puts in Chazelles-sur-Lyon); one without postcode.
    expect([report.figures.bookings, byArea.inMetropolis.bookings, byArea.outsideMetropolis.bookings, byArea.unknown.bookings]).toEqual([4, 1, 2, 1]);

    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto('/staff/rapports?du=2026-11-01&au=2026-11-30');
    const row = async (label: string) => (await cells(page, 'par-territoire', label).allTextContents()).map((text) => text.trim());
    expect(await row('Réservations et inscriptions (hors annulations)')).toEqual(['4', '1', '2', '1']);
    expect(await row('Structures distinctes')).toEqual(
      [report.figures.organisations, byArea.inMetropolis.organisations, byArea.outsideMetropolis.organisations, byArea.unknown.organisations].map(String),
    );
    const association = report.figures.byLegalForm.find((entry: { code: string }) => entry.code === 'association');
    expect(await cells(page, 'par-forme', 'Association').allTextContents()).toEqual(
      [
        association.bookings,
        association.areas.inMetropolis.bookings,
        association.areas.outsideMetropolis.bookings,
        association.areas.unknown.bookings,
        association.organisations,
        association.areas.inMetropolis.organisations,
        association.areas.outsideMetropolis.organisations,
        association.areas.unknown.organisations,
      ].map(String),
    );
    expect(await page.locator('#par-commune tbody th').allTextContents()).toEqual(report.figures.byCommune.map((entry: { commune: string }) => entry.commune));
    expect(await cells(page, 'par-commune', 'Fontanès').allTextContents()).toEqual(['dans la Métropole', '1', '1']);
    expect(await cells(page, 'par-commune', 'Commune non renseignée').allTextContents()).toEqual(['commune non renseignée', '1', '1']);
    await checkPage(page, 'communes-reports');
    await page.setViewportSize(PHONE);
    await page.reload();
    expect(await documentWidth(page)).toBe(PHONE.width);
    await checkPage(page, 'communes-reports-phone');
    await context.close();
  });

  it('offers the same choice when staff register someone who phones', async () => {
    const [december] = await listSessions(api, '2026-12-01', '2026-12-31');
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/staff/inscrire?creneau=${december.slots[0].id}`);
    await page.getByLabel('Nom et prénom').fill('Rémi Téléphone');
    await page.getByLabel('Adresse e-mail').fill('remi@asso.test');
    await page.getByLabel('Nom de la structure').fill('Coop des Monts du Lyonnais');
    await page.getByLabel('Code postal').fill('42140');
    await page.getByLabel(/La personne a donné son accord oralement/).check();
    const button = page.getByRole('button', { name: 'Réserver ce créneau pour cette personne' });
    expect(await submitForm(page, button)).toBe(422);
    expect(await page.getByLabel('Nom de la structure').inputValue()).toBe('Coop des Monts du Lyonnais');
    await checkPage(page, 'communes-staff-register-choice');
    await page.getByLabel('Marcenod (dans la Métropole)').check();
    expect(await submitForm(page, button)).toBe(303);
    expect(await communeOf('Coop des Monts du Lyonnais')).toBe('42133');
    await context.close();
  });

  it('with JavaScript too: the choice offered as soon as the postcode is typed, withdrawn for a postcode of one commune; axe on each state', async () => {
    const [december] = await listSessions(api, '2026-12-01', '2026-12-31');
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto(`/reserver/creneau/${december.slots[1].id}`);
    await fill(page, 'Sacha Grammont', 'Ferme de Grammond', '42140');
    // Sent at once: the form comes back with the choice (as without JavaScript), then a postcode of several communes typed in its place.
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(422);
    await checkPage(page, 'communes-booking-choice');
    await page.getByLabel('Code postal').fill('42100');
    await page.getByLabel('Code postal').press('Tab');
    await page.getByRole('group', { name: /Commune/ }).waitFor({ state: 'detached' });
    await page.getByLabel('Code postal').fill('42140');
    await page.getByLabel('Code postal').press('Tab');
    const choice = page.getByRole('group', { name: /Commune/ });
    await choice.waitFor();
    expect(await choice.locator('.hint').textContent()).toBe('Le code postal 42140 couvre plusieurs communes : choisissez celle de la structure.');
    expect(await choice.getByRole('radio').count()).toBe(11);
    await checkPage(page, 'communes-booking-choice-script');
    await page.getByLabel('Code postal').fill('42000');
    await page.getByLabel('Code postal').press('Tab');
    await choice.waitFor({ state: 'detached' });
    await page.getByLabel('Code postal').fill('42140');
    await page.getByLabel('Code postal').press('Tab');
    await page.getByLabel('Grammond (hors Métropole)').check();
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(303);
    expect(await communeOf('Ferme de Grammond')).toBe('42102');
    await checkPage(page, 'communes-booking-done');

    // A postcode that does not exist, and the form on a phone.
    await page.setViewportSize(PHONE);
    await page.goto(`/reserver/creneau/${december.slots[2].id}`);
    await fill(page, 'Paul Nulpart', 'Nulle part', '42999');
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(422);
    await checkPage(page, 'communes-booking-unknown-postcode');
    await page.getByLabel('Code postal').fill('42140');
    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réservation' }))).toBe(422);
    expect(await documentWidth(page)).toBe(PHONE.width);
    await checkPage(page, 'communes-booking-choice-phone');
    await context.close();
  });
});
