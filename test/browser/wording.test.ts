import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, createWorkshop, listSessions, registrationRequest } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

/** Another CRESS than the default one: nothing on the pages may name the default's region or metropolis. */
const IDENTITY = {
  CRESS_NAME: 'CRESS Occitanie',
  CRESS_LEGAL_NAME: 'Chambre régionale de l’économie sociale et solidaire d’Occitanie',
  CRESS_CONTACT_EMAIL: 'contact@cress-occitanie.test',
  METROPOLIS_NAME: 'Toulouse Métropole',
};

async function bodyText(page: Page): Promise<string> {
  return (await page.locator('body').textContent()) ?? '';
}

describe('French wording of the pages, as a French user reads them', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp({ env: IDENTITY });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('names the CRESS and the metropolis from configuration, once in each title, with the usual hours from the series', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto('/');
    expect(await page.title()).toBe('Permanences et ateliers – Rendez-vous ESS, CRESS Occitanie');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Permanences et ateliers de la CRESS Occitanie');
    expect(await page.locator('p.lead').textContent()).toContain('le dernier jeudi du mois de 9 h à 13 h');
    const home = await bodyText(page);
    expect(home).toContain('Chambre régionale de l’économie sociale et solidaire d’Occitanie');
    expect(home).toContain('Toulouse Métropole');
    for (const other of ['Auvergne', 'Saint-Étienne']) expect(home).not.toContain(other);

    const [session] = await listSessions(api);
    await page.goto(`/reserver/creneau/${session.slots[0].id}`);
    expect(await page.title()).toBe('Réserver un créneau de permanence – Rendez-vous ESS, CRESS Occitanie');
    await page.goto('/staff/connexion');
    expect(await bodyText(page)).toContain('à Toulouse Métropole pour les rapports');
    for (const path of ['/', '/staff/connexion', '/donnees-personnelles', '/page-inconnue']) {
      await page.goto(path);
      expect((await page.title()).split('CRESS').length - 1).toBe(1);
    }
    await context.close();
  });

  it('names an unstaffed desk and a place still to be announced after the configured CRESS, never a bare "la CRESS"', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto('/');
    const home = await bodyText(page);
    expect(home).toContain('Conseiller·ère de la CRESS Occitanie');
    expect(home).toContain('Lieu communiqué par la CRESS Occitanie');
    expect(home).not.toMatch(/la CRESS(?! Occitanie)/);
    await context.close();
  });

  it('serves an SVG favicon that the layout links to and the CSP allows', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    const answer = await page.goto('/');
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBe('/assets/favicon.svg');
    expect(await page.locator('link[rel="icon"]').getAttribute('type')).toBe('image/svg+xml');
    expect(answer?.headers()['content-security-policy']).toContain("img-src 'self'");
    const icon = await page.request.get(href!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
    expect(await icon.text()).toContain('<svg');
    // The browser draws it: an <img> of the icon loads under the page's own CSP.
    const loaded = await page.evaluate(
      (src) =>
        new Promise<boolean>((resolve) => {
          const image = new Image();
          image.onload = () => resolve(image.naturalWidth > 0);
          image.onerror = () => resolve(false);
          image.src = src;
        }),
      href!,
    );
    expect(loaded).toBe(true);
    const legacy = await page.request.get('/favicon.ico', { maxRedirects: 0 });
    expect([legacy.status(), legacy.headers()['location']]).toEqual([301, '/assets/favicon.svg']);
    expect(failed).toEqual([]);
    await context.close();
  });

  it('says a started workshop’s registrations are closed, when a later one’s open, and speaks of a registration in its consent box', async () => {
    app.clock.set('2026-11-27T10:00:00Z');
    const started = await createWorkshop(api, admin, { title: 'Atelier du matin', startsAt: '2026-11-27T10:30:00Z', endsAt: '2026-11-27T13:00:00Z' });
    const later = await createWorkshop(api, admin, {
      title: 'Atelier de janvier',
      startsAt: '2027-01-21T13:00:00Z',
      endsAt: '2027-01-21T16:00:00Z',
      registrationOpensAt: '2027-01-04T08:00:00Z',
    });
    const open = await createWorkshop(api, admin, { title: 'Atelier ouvert' });
    app.clock.set('2026-11-27T11:00:00Z');
    try {
      const { context, page } = await newVisitor(browser, app.baseUrl);
      await page.goto('/');
      const card = (title: string) => page.locator('article.workshop', { has: page.getByRole('heading', { name: title }) });
      expect(await card('Atelier du matin').textContent()).toContain('Les inscriptions sont closes.');
      expect(await card('Atelier de janvier').textContent()).toContain('Les inscriptions ouvriront le lundi 4 janvier 2027 à 9 h.');
      expect(await bodyText(page)).not.toContain('pas ouvertes');
      await checkPage(page, 'wording-home-workshops');

      await page.goto(`/reserver/atelier/${started.id}`);
      expect(await page.getByRole('alert').textContent()).toBe('Les inscriptions sont closes.');
      await checkPage(page, 'wording-workshop-closed');

      await page.goto(`/reserver/atelier/${open.id}`);
      const consent = (await page.locator('label[for="f-consent"]').textContent()) ?? '';
      expect(consent).toContain('pour organiser mon inscription à l’atelier');
      expect(consent).not.toContain('rendez-vous');
      // The staff list says the workshop is under way, not that its registrations are closed.
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.goto('/staff/ateliers');
      expect(
        await page
          .getByRole('row', { name: /Atelier du matin/ })
          .locator('.badge')
          .textContent(),
      ).toBe('En cours');
      await context.close();

      // The page answers what the API answers for the same refusal: 422 registration_closed, not 409.
      const form = new URLSearchParams({
        'attendee.name': 'Camille Martin',
        'attendee.email': 'camille@asso.test',
        'organisation.name': 'Asso',
        consent: 'on',
      });
      const { page: visitor, context: other } = await newVisitor(browser, app.baseUrl);
      await visitor.goto(`/reserver/atelier/${open.id}`);
      const csrf = await visitor.locator('input[name="_csrf"]').first().inputValue();
      form.set('_csrf', csrf);
      const posted = await visitor.request.post(`/reserver/atelier/${started.id}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        data: form.toString(),
        maxRedirects: 0,
      });
      const viaApi = await api.post('/api/bookings', registrationRequest(started.id));
      expect([viaApi.status, viaApi.body.code]).toEqual([422, 'registration_closed']);
      expect(posted.status()).toBe(422);
      expect(await posted.text()).toContain('Les inscriptions sont closes.');
      await other.close();
      expect(later.status).toBe('closed');
    } finally {
      app.clock.set('2026-11-27T10:00:00Z');
    }
  });

  it('reports every error of a form at once: the booking form, the workshop form, an extra session', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const [session] = await listSessions(api);
    await page.goto(`/reserver/creneau/${session.slots[1].id}`);
    await page.getByLabel('SIRET').fill('732 829 320 00075');
    await page.getByLabel('Code postal').fill('4200');
    await page.getByRole('button', { name: 'Confirmer ma réservation' }).click();
    const summary = (await page.locator('#resume-erreurs').textContent()) ?? '';
    for (const shown of [
      'Le nom est requis.',
      'L’adresse e-mail est requise.',
      'Le nom de la structure est requis.',
      'Ce numéro SIRET n’existe pas',
      'Code postal invalide',
      'consentement',
    ]) {
      expect(summary).toContain(shown);
    }
    expect(summary).not.toContain('Luhn');
    await page.getByLabel('SIRET').fill('123');
    await page.getByRole('button', { name: 'Confirmer ma réservation' }).click();
    expect(await page.locator('#f-organisation-siret-error').textContent()).toBe('Le SIRET compte 14 chiffres (les espaces sont acceptés).');

    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto('/staff/ateliers/nouveau');
    await page.getByLabel('Début').fill('2027-03-18T14:00');
    await page.getByLabel('Fin').fill('2027-03-18T09:00');
    await page.getByLabel('Nombre de places').fill('0');
    const [created] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Créer l’atelier' }).click(),
    ]);
    expect(created.status()).toBe(422);
    expect(await page.locator('#f-title-error').textContent()).toContain('Le titre');
    expect(await page.locator('#f-location-error').textContent()).toContain('Le lieu');
    expect(await page.locator('#f-capacity-error').textContent()).toContain('La capacité');
    expect(await page.locator('#f-endsAt-error').textContent()).toBe('Doit être après le début de l’atelier.');
    await checkPage(page, 'wording-workshop-form-all-errors');

    await page.goto('/staff/permanences');
    const add = page.locator('section', { has: page.getByRole('heading', { name: 'Ajouter une permanence exceptionnelle' }) });
    await add.locator('#f-date').fill('2026-11-02');
    await add.getByLabel('Heure de début').fill('14:00');
    await add.getByLabel('Heure de fin').fill('10:00');
    const [added] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      add.getByRole('button', { name: 'Ajouter la permanence' }).click(),
    ]);
    expect(added.status()).toBe(422);
    expect(await page.locator('#f-date-error').textContent()).toBe('Choisissez aujourd’hui ou une date à venir.');
    expect(await page.locator('#f-endTime-error').textContent()).toBe('Doit être après l’heure de début.');
    await checkPage(page, 'wording-session-form-all-errors');
    await context.close();

    // The API gives the same answer in one go.
    const refused = await api.post(
      '/api/workshops',
      { title: '', location: 'Salle', capacity: 5, startsAt: '2027-03-18T14:00:00+01:00', endsAt: '2027-03-18T09:00:00+01:00' },
      admin,
    );
    expect(refused.status).toBe(400);
    expect((refused.body.errors as Array<{ field: string }>).map((error) => error.field).sort()).toEqual(['endsAt', 'title']);
  });

  it('shows an empty agenda day in words, not "0 : 0 réservé"', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto('/staff/agenda?date=2026-12-01');
    expect(await page.getByRole('row', { name: /Créneaux de permanence/ }).textContent()).toContain('Aucun créneau ce jour-là');
    expect(await page.getByRole('row', { name: /Ateliers/ }).textContent()).toContain('Aucun atelier ce jour-là');
    expect(await page.getByRole('row', { name: /Présences/ }).textContent()).toContain('Aucun rendez-vous ni inscription ce jour-là');
    expect(await page.locator('table').textContent()).not.toMatch(/\b0 : /);
    await page.goto('/staff/agenda?date=2026-12-31');
    expect(await page.getByRole('row', { name: /Créneaux de permanence/ }).textContent()).toMatch(/\d+ créneaux : 0 réservé, \d+ libres/);
    // A date typed as people write it is understood.
    await page.goto('/staff/agenda?date=31/12/2026');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Agenda du jeudi 31 décembre 2026');
    await context.close();
  });

  it('asks before cancelling a place on the waitlist, without JavaScript', async () => {
    const workshop = await createWorkshop(api, admin, { title: 'Atelier complet', capacity: 1 });
    await api.post('/api/bookings', registrationRequest(workshop.id));
    const waiting = await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Inès Morel', email: 'ines@asso.test' } }));
    expect(waiting.body.status).toBe('waitlisted');
    const manage = `/reservations/${waiting.body.id}?token=${waiting.body.manageToken}`;
    // With scripts (axe needs them): the confirmation page, and "no" keeps the place.
    const withScripts = await newVisitor(browser, app.baseUrl);
    await withScripts.page.goto(manage);
    await withScripts.page.getByRole('button', { name: 'Quitter la liste d’attente' }).click();
    expect(await withScripts.page.getByRole('heading', { level: 1 }).textContent()).toBe('Quitter la liste d’attente ?');
    await checkPage(withScripts.page, 'wording-waitlist-leave-confirm');
    await withScripts.page.getByRole('link', { name: 'Non, rester sur la liste d’attente' }).click();
    expect((await api.get(`/api/bookings/${waiting.body.id}?token=${waiting.body.manageToken}`)).body.status).toBe('waitlisted');
    await withScripts.context.close();

    const context = await browser.newContext({ baseURL: app.baseUrl, locale: 'fr-FR', timezoneId: 'Europe/Paris', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(manage);
    await page.getByRole('button', { name: 'Quitter la liste d’attente' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Quitter la liste d’attente ?');
    expect(await page.locator('dl.details').textContent()).toContain('Atelier « Atelier complet »');
    expect((await api.get(`/api/bookings/${waiting.body.id}?token=${waiting.body.manageToken}`)).body.status).toBe('waitlisted');
    await page.getByRole('button', { name: 'Oui, quitter la liste d’attente' }).click();
    await page.waitForURL(/fait=annulation/);
    expect((await api.get(`/api/bookings/${waiting.body.id}?token=${waiting.body.manageToken}`)).body.status).toBe('cancelled');
    await context.close();
  });
});
