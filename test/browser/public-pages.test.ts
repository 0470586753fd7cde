import type { Browser, Page } from 'playwright-core';
import { OutboxSender } from '../../src/notifications/outbox-sender.service';
import { checkPage, launchBrowser, newVisitor } from '../support/browser';
import { adminToken, createWorkshop } from '../support/factories';
import { client, Client } from '../support/http';
import { TestSmtpServer } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';

/** The link of an e-mail, on this test's server (PUBLIC_URL is the default one). */
function manageLinkIn(html: string, baseUrl: string): string {
  const match = /href="(https?:\/\/[^"]+\/reservations\/[^"]+)"/.exec(html);
  if (!match) throw new Error('no manage link in the e-mail');
  // Handlebars writes `=` as `&#x3D;` in attributes; a browser decodes the entities.
  const href = match[1].replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/&amp;/g, '&');
  const url = new URL(href);
  return `${baseUrl}${url.pathname}${url.search}`;
}

async function fillBooking(page: Page, person: { name: string; email: string; organisation: string }) {
  await page.getByLabel('Nom et prénom').fill(person.name);
  await page.getByLabel('Adresse e-mail').fill(person.email);
  await page.getByLabel('Nom de la structure').fill(person.organisation);
  await page.getByLabel('Forme juridique').selectOption('association');
  await page.getByLabel(/J’accepte que la CRESS/).check();
}

describe('public pages in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let sender: OutboxSender;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ env: { SMTP_URL: smtp.url } });
    api = client(app.baseUrl);
    sender = app.app.get(OutboxSender);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.stop();
  });

  it('home page lists the coming permanences with their free slots, the workshops, and how to subscribe', async () => {
    const admin = await adminToken(api);
    await createWorkshop(api, admin, { title: 'Choisir son statut : association ou coopérative ?' });
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Permanences et ateliers');
    // The next last Thursday after 27 November 2026 is 31 December 2026, 09:00–13:00 Paris.
    await expect(page.getByRole('heading', { name: 'jeudi 31 décembre 2026' }).count()).resolves.toBe(1);
    expect(await page.locator('a.slot').count()).toBeGreaterThan(0);
    await expect(page.getByRole('heading', { name: 'Choisir son statut : association ou coopérative ?' }).count()).resolves.toBe(1);
    expect(await page.getByRole('link', { name: /S’abonner/ }).getAttribute('href')).toMatch(/^webcal:\/\/.+\/calendar\/public\.ics$/);
    expect(await page.getByRole('link', { name: /Google Agenda/ }).getAttribute('href')).toMatch(/^https:\/\/calendar\.google\.com\/calendar\/render\?cid=webcal/);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    await checkPage(page, 'home');
    await context.close();
  });

  it('an organisation books a slot end to end, gets the e-mail, and cancels through its link', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto('/');
    const slotLink = page.locator('a.slot').first();
    await slotLink.click();
    await page.waitForURL(/\/reserver\/creneau\//);
    await checkPage(page, 'booking-form');

    // Sent empty: every error next to its field, in a summary that links to the fields.
    await page.getByRole('button', { name: 'Confirmer ma réservation' }).click();
    await expect(page.locator('#resume-erreurs').isVisible()).resolves.toBe(true);
    expect(await page.locator('#f-attendee-name-error').textContent()).toBe('Le nom est requis.');
    expect(await page.locator('#f-organisation-name-error').textContent()).toBe('Le nom de la structure est requis.');
    expect(await page.locator('#f-consent-error').textContent()).toContain('consentement');
    expect(await page.getByLabel('Nom et prénom').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Nom et prénom').getAttribute('aria-describedby')).toContain('f-attendee-name-error');
    await checkPage(page, 'booking-form-errors');

    // What was typed stays; a bad SIRET is refused by the API's own rule.
    await fillBooking(page, { name: 'Camille <b>Martin</b>', email: 'camille@asso.test', organisation: 'Les Amis du Quartier' });
    await page.getByLabel('SIRET').fill('12345678901234');
    await page.getByLabel('Évolution des statuts').check();
    await page.getByRole('button', { name: 'Confirmer ma réservation' }).click();
    expect(await page.locator('#f-organisation-siret-error').textContent()).toContain('SIRET invalide');
    expect(await page.getByLabel('Nom et prénom').inputValue()).toBe('Camille <b>Martin</b>');
    expect(await page.getByLabel('Évolution des statuts').isChecked()).toBe(true);
    await page.getByLabel('SIRET').fill('');
    await page.getByLabel(/J’accepte que la CRESS/).check();
    await page.getByRole('button', { name: 'Confirmer ma réservation' }).click();

    await page.waitForURL(/\/reservations\/[0-9a-f-]+\?token=.+&nouveau=1/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Votre réservation est confirmée');
    expect(await page.locator('dl.details').textContent()).toContain('Camille <b>Martin</b> (Les Amis du Quartier)');
    // The manage link is on the confirmation page itself, to keep.
    const confirmed = new URL(page.url());
    expect(await page.getByLabel(/Votre lien personnel/).inputValue()).toBe(
      `http://localhost:3000${confirmed.pathname}?token=${confirmed.searchParams.get('token')}`,
    );
    // The slot is taken now: its form says so instead of offering it again.
    await page.goBack();
    await page.reload();
    expect(await page.getByRole('alert').textContent()).toContain('n’est plus disponible');
    expect(await page.getByRole('button', { name: 'Confirmer ma réservation' }).count()).toBe(0);
    await page.goForward();
    const ics = await page.getByRole('link', { name: /Ajouter à mon agenda/ }).getAttribute('href');
    const download = await api.get(ics!);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('text/calendar');
    await checkPage(page, 'booking-confirmed');

    // The e-mail arrives through real SMTP, with the manage link.
    await sender.drain();
    const mails = smtp.to('camille@asso.test');
    expect(mails).toHaveLength(1);
    expect(mails[0].parsed.subject).toContain('confirmé');
    const link = manageLinkIn(String(mails[0].parsed.html), app.baseUrl);

    // The link from the e-mail, in a browser that never saw the booking.
    const other = await newVisitor(browser, app.baseUrl);
    await other.page.goto(link);
    expect(await other.page.getByRole('heading', { level: 1 }).textContent()).toBe('Votre réservation');
    await checkPage(other.page, 'manage');
    await other.page.getByRole('button', { name: 'Annuler ma réservation' }).click();
    await other.page.waitForURL(/fait=annulation/);
    expect(await other.page.getByRole('status').first().textContent()).toContain('votre réservation est annulée');
    expect(await other.page.locator('dl.details').textContent()).toContain('Annulée');
    await checkPage(other.page, 'manage-cancelled');
    const id = /reservations\/([0-9a-f-]+)/.exec(link)![1];
    const token = new URL(link).searchParams.get('token')!;
    expect((await api.get(`/api/bookings/${id}?token=${token}`)).body.status).toBe('cancelled');
    await other.context.close();
    await context.close();
  });

  it('a booking can be moved to another free slot from the manage page', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto('/');
    await page.locator('a.slot').first().click();
    await fillBooking(page, { name: 'Louis Petit', email: 'louis@scop.test', organisation: 'SCOP Petit' });
    await page.getByRole('button', { name: 'Confirmer ma réservation' }).click();
    await page.waitForURL(/nouveau=1/);
    const before = await page.locator('dl.details').textContent();
    const select = page.getByLabel('Nouveau créneau');
    const target = await select.locator('option').nth(2).getAttribute('value');
    await select.selectOption(target);
    await page.getByRole('button', { name: 'Déplacer mon rendez-vous' }).click();
    await page.waitForURL(/fait=deplacement/);
    expect(await page.locator('dl.details').textContent()).not.toBe(before);
    const url = new URL(page.url());
    const booking = await api.get(`${url.pathname.replace('/reservations/', '/api/bookings/')}?token=${url.searchParams.get('token')}`);
    expect(booking.body.slotId).toBe(target);
    await context.close();
  });

  it('a workshop registration lands on the waitlist and is promoted when a seat frees up', async () => {
    const admin = await adminToken(api);
    const workshop = await createWorkshop(api, admin, { title: 'Les statuts de la SCIC', capacity: 1 });
    const first = await newVisitor(browser, app.baseUrl);
    await first.page.goto(`/reserver/atelier/${workshop.id}`);
    await fillBooking(first.page, { name: 'Awa Diallo', email: 'awa@scic.test', organisation: 'SCIC Diallo' });
    await first.page.getByRole('button', { name: 'Confirmer mon inscription' }).click();
    await first.page.waitForURL(/nouveau=1/);
    expect(await first.page.getByRole('heading', { level: 1 }).textContent()).toBe('Votre réservation est confirmée');

    const second = await newVisitor(browser, app.baseUrl);
    await second.page.goto('/');
    await second.page.getByRole('link', { name: /liste d’attente : Les statuts de la SCIC/ }).click();
    expect(await second.page.locator('.notice').first().textContent()).toContain('liste d’attente');
    await fillBooking(second.page, { name: 'Hugo Blanc', email: 'hugo@asso.test', organisation: 'Asso Blanc' });
    await second.page.getByRole('button', { name: 'Confirmer mon inscription' }).click();
    await second.page.waitForURL(/nouveau=1/);
    expect(await second.page.getByRole('heading', { level: 1 }).textContent()).toBe('Vous êtes sur la liste d’attente');
    expect(await second.page.locator('dl.details').textContent()).toContain('Liste d’attente, position 1');
    await checkPage(second.page, 'workshop-waitlisted');

    // The confirmed person leaves; the one waiting gets the seat, and is told by e-mail.
    await first.page.getByRole('button', { name: 'Annuler ma réservation' }).click();
    await first.page.waitForURL(/fait=annulation/);
    await second.page.reload();
    expect(await second.page.locator('dl.details').textContent()).toContain('Confirmée');
    await sender.drain();
    expect(smtp.to('hugo@asso.test').map((mail) => mail.parsed.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/place/i)]));
    await first.context.close();
    await second.context.close();
  });

  it('offers the form of any bookable slot, also beyond the three months the home page lists', async () => {
    const [later] = (await api.get('/api/permanences?from=2027-07-01&to=2027-07-31')).body;
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const response = await page.goto(`/reserver/creneau/${later.slots[0].id}`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('.card .meta').first().textContent()).toContain('jeudi 29 juillet 2027');
    expect(await page.getByRole('button', { name: 'Confirmer ma réservation' }).count()).toBe(1);
    await context.close();
  });

  it('shows what people typed as text, never as markup', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.goto('/');
    await page.locator('a.slot').last().click();
    await fillBooking(page, { name: '<script>alert(1)</script>', email: 'xss@asso.test', organisation: '<img src=x onerror=alert(2)>' });
    await page.getByRole('button', { name: 'Confirmer ma réservation' }).click();
    await page.waitForURL(/nouveau=1/);
    expect(await page.locator('dl.details').textContent()).toContain('<script>alert(1)</script> (<img src=x onerror=alert(2)>)');
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(dialogs).toBe(0);
    await context.close();
  });

  it('refuses a form posted without this browser’s CSRF token, and writes nothing', async () => {
    const sessions = await api.get('/api/permanences');
    const slot = sessions.body[0].slots[0];
    const response = await fetch(`${app.baseUrl}/reserver/creneau/${slot.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ _csrf: 'forged', 'attendee.name': 'Forgé', 'attendee.email': 'forge@asso.test', 'organisation.name': 'X', consent: 'on' }),
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Ce formulaire a expiré');
    const count = await app.dataSource.query(`SELECT count(*)::int AS n FROM bookings WHERE attendee_email = 'forge@asso.test'`);
    expect(count[0].n).toBe(0);
  });

  it('answers a wrong address or a broken manage link with a French page', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const missing = await page.goto('/cette-page-n-existe-pas');
    expect(missing?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page introuvable');
    await checkPage(page, 'not-found');
    const broken = await page.goto('/reservations/00000000-0000-4000-8000-000000000000?token=nope');
    expect(broken?.status()).toBe(404);
    expect(await page.getByRole('alert').textContent()).toContain('lien de gestion invalide');
    await context.close();
  });
});
