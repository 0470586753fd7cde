import type { Browser, Page } from 'playwright-core';
import { OutboxSender } from '../../src/notifications/outbox-sender.service';
import { checkPage, launchBrowser, newVisitor } from '../support/browser';
import { CONSENT_VERSION } from '../../src/bookings/consent';
import { adminToken, bookingRequest, createWorkshop, listSessions } from '../support/factories';
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

/** The programme's identity and retention as configured: the privacy notice must say these, not literals. */
const IDENTITY = {
  CRESS_NAME: 'CRESS Loire-Essai',
  CRESS_LEGAL_NAME: 'Chambre régionale de l’économie sociale et solidaire Loire-Essai',
  CRESS_ADDRESS: '12 rue des Essais, 42000 Saint-Étienne',
  CRESS_PRIVACY_EMAIL: 'dpo@cress-essai.test',
  METROPOLIS_NAME: 'Métropole d’Essai',
  RETENTION_MONTHS: '18',
};

/** Clicks the form's button; the answer to the POST itself (before any redirect is followed). */
async function submit(page: Page, button: string) {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  await page.waitForLoadState();
  return response;
}

describe('public pages in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let sender: OutboxSender;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ env: { SMTP_URL: smtp.url, ...IDENTITY } });
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
    expect(await page.getByRole('link', { name: /Google Agenda/ }).getAttribute('href')).toMatch(
      /^https:\/\/calendar\.google\.com\/calendar\/render\?cid=webcal/,
    );
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
    const formUrl = page.url();
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
    expect(await page.locator('#f-organisation-siret-error').textContent()).toContain('Ce numéro SIRET n’existe pas');
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
    await page.goto(formUrl);
    expect(await page.getByRole('alert').textContent()).toContain('n’est plus disponible');
    expect(await page.getByRole('button', { name: 'Confirmer ma réservation' }).count()).toBe(0);
    await page.goBack();
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
    // Cancelling asks first, on a page of its own; saying no keeps the booking.
    await other.page.getByRole('button', { name: 'Annuler ma réservation' }).click();
    await other.page.waitForURL(/\/annuler$/);
    expect(await other.page.getByRole('heading', { level: 1 }).textContent()).toBe('Annuler votre réservation ?');
    await checkPage(other.page, 'manage-cancel-confirm');
    await other.page.getByRole('link', { name: 'Non, garder ma réservation' }).click();
    await other.page.waitForURL(/\/reservations\/[0-9a-f-]+\?token=/);
    expect(await other.page.locator('dl.details').textContent()).toContain('Confirmée');
    await other.page.getByRole('button', { name: 'Annuler ma réservation' }).click();
    await other.page.getByRole('button', { name: 'Oui, annuler ma réservation' }).click();
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
    await first.page.getByRole('button', { name: 'Oui, annuler ma réservation' }).click();
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

  it('keeps everything typed when the slot is taken meanwhile, and offers the other free times of that day and of the next session', async () => {
    // Beyond the home page's three months, so that no other test of this file books that day.
    const [may] = await listSessions(api, '2027-05-27', '2027-05-27');
    const [nine, ten, eleven, noon] = may.slots;
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto(`/reserver/creneau/${ten.id}`);
    await fillBooking(page, { name: 'Inès Moreau', email: 'ines@coop.test', organisation: 'Coop Moreau' });
    await page.getByLabel('Téléphone').fill('04 77 12 34 56');
    await page.getByLabel('Code postal').fill('42100');
    await page.getByLabel('Évolution des statuts').check();
    await page.getByLabel('Votre message ou vos questions').fill('Passage en SCIC envisagé.');

    // Meanwhile two other people take 10:00 and 09:00.
    expect((await api.post('/api/bookings', bookingRequest(ten.id))).status).toBe(201);
    expect((await api.post('/api/bookings', bookingRequest(nine.id))).status).toBe(201);
    const taken = await submit(page, 'Confirmer ma réservation');
    expect(taken.status()).toBe(409);
    const summary = page.locator('#resume-erreurs');
    expect(await summary.textContent()).toContain('Ce créneau vient d’être réservé');
    expect(await summary.getByRole('link', { name: 'Choisissez un autre horaire.' }).getAttribute('href')).toBe('#f-slotId');
    expect(await page.locator('.card').first().textContent()).toContain('Ce créneau n’est plus libre');
    // Nothing typed is lost.
    expect(await page.getByLabel('Nom et prénom').inputValue()).toBe('Inès Moreau');
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe('ines@coop.test');
    expect(await page.getByLabel('Téléphone').inputValue()).toBe('04 77 12 34 56');
    expect(await page.getByLabel('Nom de la structure').inputValue()).toBe('Coop Moreau');
    expect(await page.getByLabel('Forme juridique').inputValue()).toBe('association');
    expect(await page.getByLabel('Code postal').inputValue()).toBe('42100');
    expect(await page.getByLabel('Évolution des statuts').isChecked()).toBe(true);
    expect(await page.getByLabel('Votre message ou vos questions').inputValue()).toBe('Passage en SCIC envisagé.');
    expect(await page.getByLabel(/J’accepte que la CRESS/).isChecked()).toBe(true);
    // The times still free: that day's 11:00 and 12:00 (not 09:00, booked too), and the next session's.
    const choices = page.getByRole('group', { name: 'Un autre horaire encore libre' });
    const radios = choices.getByRole('radio');
    const [june] = await listSessions(api, '2027-06-24', '2027-06-24');
    expect(await radios.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual([
      eleven.id,
      noon.id,
      ...june.slots.map((slot) => slot.id),
    ]);
    expect(await choices.locator('p.day').allTextContents()).toEqual([
      `Le même jour, jeudi 27 mai 2027 · ${may.location}`,
      `À la permanence suivante, jeudi 24 juin 2027 · ${june.location}`,
    ]);
    expect(await page.locator('#f-slotId').getAttribute('value')).toBe(eleven.id);
    expect(await page.locator('#f-slotId-error').textContent()).toBe('Choisissez un autre horaire.');
    await checkPage(page, 'booking-slot-taken');

    // Sent again without a choice: the same answer, still nothing lost.
    expect((await submit(page, 'Confirmer ma réservation')).status()).toBe(409);
    expect(await page.getByLabel('Nom et prénom').inputValue()).toBe('Inès Moreau');

    await page.getByRole('radio', { name: /^11:00–12:00.*jeudi 27 mai 2027/ }).check();
    expect((await submit(page, 'Confirmer ma réservation')).status()).toBe(303);
    await page.waitForURL(/nouveau=1/);
    expect(await page.locator('dl.details').textContent()).toContain('11:00–12:00');
    const url = new URL(page.url());
    const booking = await api.get(`${url.pathname.replace('/reservations/', '/api/bookings/')}?token=${url.searchParams.get('token')}`);
    expect(booking.body).toMatchObject({
      slotId: eleven.id,
      status: 'confirmed',
      attendee: { name: 'Inès Moreau', phone: '04 77 12 34 56' },
      organisation: { postcode: '42100' },
      topics: ['legal_status'],
      message: 'Passage en SCIC envisagé.',
    });
    await context.close();
  });

  it('tells on the personal-data page who is responsible, why, who sees what, for how long, and how to use one’s rights', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Données personnelles' }).click();
    await page.waitForURL(/\/donnees-personnelles$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Vos données personnelles');
    const first = await page.locator('main > p').first().textContent();
    expect(first).toContain('la CRESS Loire-Essai enregistre les informations que vous donnez');
    expect(first).not.toContain('J’accepte');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      'Qui est responsable de vos données',
      'Ce que nous enregistrons',
      'Pourquoi, et sur quelle base',
      'Qui les voit',
      'Combien de temps',
      'Vos droits',
      'Comment exercer vos droits',
    ]);
    const section = (title: string) => page.getByRole('region', { name: title });
    expect(await section('Qui est responsable de vos données').textContent()).toContain(
      'Chambre régionale de l’économie sociale et solidaire Loire-Essai (CRESS Loire-Essai), 12 rue des Essais, 42000 Saint-Étienne',
    );
    expect(await section('Pourquoi, et sur quelle base').textContent()).toContain('votre consentement');
    // Every use the code makes is stated: the satisfaction question and the attendance certificate too.
    expect(await section('Pourquoi, et sur quelle base').textContent()).toContain('Vous demander, une fois, si le rendez-vous ou l’atelier vous a été utile');
    const recipients = await section('Qui les voit').textContent();
    expect(recipients).toContain('(Métropole d’Essai) reçoit des chiffres');
    expect(recipients).toContain('Elle ne reçoit jamais votre nom, votre adresse e-mail ni votre téléphone');
    expect(recipients).toContain('Le ou la conseiller·ère de la CRESS Loire-Essai qui vous reçoit');
    expect(await section('Combien de temps').textContent()).toContain('effacés 18 mois après la date du rendez-vous');
    const rights = await section('Vos droits').getByRole('listitem').allTextContents();
    for (const right of ['accéder', 'rectifier', 'effacer', 'opposer']) expect(rights.some((item) => item.includes(right))).toBe(true);
    const how = section('Comment exercer vos droits');
    expect(await how.getByRole('link', { name: 'Écrire à dpo@cress-essai.test' }).getAttribute('href')).toBe('mailto:dpo@cress-essai.test');
    expect(await how.getByRole('link', { name: /réclamation à la CNIL/ }).getAttribute('href')).toMatch(/^https:\/\/www\.cnil\.fr\//);
    expect(await page.locator('main').textContent()).toContain(`Version de ce texte : ${CONSENT_VERSION}`);
    await checkPage(page, 'privacy');

    // The booking form's short version names the same address and leads to the page.
    const [session] = await listSessions(api, '2027-04-29', '2027-04-29');
    await page.goto(`/reserver/creneau/${session.slots[0].id}`);
    const consent = page.getByRole('group', { name: 'Vos données personnelles' });
    expect(await consent.textContent()).toContain('dpo@cress-essai.test');
    expect(await consent.textContent()).toContain('effacées 18 mois après');
    expect(await consent.getByRole('link', { name: /Tout savoir sur vos données/ }).getAttribute('href')).toBe('/donnees-personnelles');
    await context.close();
  });
});
