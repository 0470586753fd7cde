import type { Browser } from 'playwright-core';
import { OutboxSender } from '../../src/notifications/outbox-sender.service';
import { SatisfactionLinks } from '../../src/satisfaction/satisfaction-links';
import { SatisfactionService } from '../../src/satisfaction/satisfaction.service';
import { checkPage, launchBrowser, newVisitor, submitForm } from '../support/browser';
import { adminToken, createWorkshop, registrationRequest } from '../support/factories';
import { client } from '../support/http';
import { ReceivedMail, TestSmtpServer } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';

const PUBLIC_URL = 'https://rdv.cress.test';

describe('the satisfaction e-mail’s links in a real browser (real SMTP, axe on every state)', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let bookingId: string;
  let mail: ReceivedMail;

  const local = (url: string) => url.replace(PUBLIC_URL, app.baseUrl);
  const links = () => [...(mail.parsed.text ?? '').matchAll(/https:\/\/rdv\.cress\.test\/avis\/\S+/g)].map((match) => match[0]);
  const answer = async () => (await app.dataSource.query(`SELECT score, comment FROM satisfaction_answers WHERE booking_id = $1`, [bookingId]))[0];

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ now: '2026-11-27T10:00:00Z', env: { CRESS_NAME: 'CRESS Bretagne', SMTP_URL: smtp.url, PUBLIC_URL } });
    const api = client(app.baseUrl);
    browser = await launchBrowser();
    const workshop = await createWorkshop(api, await adminToken(api), {
      title: 'Passer en SCIC : les étapes',
      startsAt: '2026-12-04T09:00:00+01:00',
      endsAt: '2026-12-04T12:30:00+01:00',
    });
    const registered = await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Camille Martin', email: 'camille@asso.test' } }));
    bookingId = registered.body.id;
    app.clock.set(new Date('2026-12-04T12:00:00Z'));
    expect((await api.put(`/api/bookings/${bookingId}/attendance`, { status: 'present' }, await adminToken(api))).status).toBe(200);
    app.clock.set(new Date('2026-12-07T08:00:00Z')); // Monday 09:00
    expect(await app.app.get(SatisfactionService).queueDue()).toBe(1);
    await app.app.get(OutboxSender).drain();
    [mail] = smtp.to('camille@asso.test').filter((received) => received.parsed.subject?.startsWith('Votre avis'));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.stop();
  });

  it('shows an accessible e-mail: the question, five labelled answers, the certificate and how to stop', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.setContent(mail.parsed.html as string);
    await checkPage(page, 'satisfaction-email');
    const answers = page.getByRole('listitem').getByRole('link');
    expect(await answers.allTextContents()).toEqual([
      'Pas du tout utile (1\u00a0sur\u00a05)',
      'Peu utile (2\u00a0sur\u00a05)',
      'Moyennement utile (3\u00a0sur\u00a05)',
      'Utile (4\u00a0sur\u00a05)',
      'Très utile (5\u00a0sur\u00a05)',
    ]);
    await expect(page.getByRole('heading', { name: 'Cet atelier vous a-t-il été utile\u00a0?' }).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: 'télécharger mon attestation de présence' }).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: 'Ne plus recevoir de questionnaire de satisfaction' }).count()).resolves.toBe(1);
    await context.close();
  });

  it('opens an answer link, confirms it, adds a comment and changes the answer', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const four = links().find((link) => link.includes('note=4'))!;
    await page.goto(local(four));
    await checkPage(page, 'satisfaction-confirm');
    expect(await page.getByRole('radio', { name: 'Utile (4\u00a0sur\u00a05)' }).isChecked()).toBe(true);
    expect(await answer()).toBeUndefined();

    expect(await submitForm(page, page.getByRole('button', { name: 'Confirmer ma réponse' }))).toBe(303);
    expect(await answer()).toEqual({ score: 4, comment: null });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Merci pour votre réponse');
    expect(await page.getByRole('status').textContent()).toContain('votre réponse est enregistrée');
    await checkPage(page, 'satisfaction-answered');

    // Past the 2000 characters the browser would stop typing at: the server's own answer.
    await page.locator('#f-commentaire').evaluate((textarea) => textarea.removeAttribute('maxlength'));
    await page.getByLabel('Votre commentaire').fill('x'.repeat(2001));
    expect(await submitForm(page, page.getByRole('button', { name: 'Enregistrer' }))).toBe(422);
    expect(await page.locator('#f-commentaire-error').textContent()).toBe('Le commentaire ne doit pas dépasser 2000 caractères.');
    await checkPage(page, 'satisfaction-comment-too-long');

    await page.getByRole('radio', { name: 'Très utile (5\u00a0sur\u00a05)' }).check();
    await page.getByLabel('Votre commentaire').fill('Très clair, et des exemples concrets. Merci !');
    expect(await submitForm(page, page.getByRole('button', { name: 'Enregistrer' }))).toBe(303);
    expect(await answer()).toEqual({ score: 5, comment: 'Très clair, et des exemples concrets. Merci !' });
    expect(await page.getByLabel('Votre commentaire').inputValue()).toBe('Très clair, et des exemples concrets. Merci !');
    await checkPage(page, 'satisfaction-commented');

    // On a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkPage(page, 'satisfaction-commented-phone');

    // The e-mail's links are used up.
    await page.goto(local(links().find((link) => link.includes('note=1'))!));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ce lien n’est pas valable');
    expect(await page.getByRole('alert').textContent()).toContain('Ce lien a déjà servi');
    await checkPage(page, 'satisfaction-link-used');
    expect(await answer()).toEqual({ score: 5, comment: 'Très clair, et des exemples concrets. Merci !' });
    await context.close();
  });

  it('says politely that answers are closed 30 days after the event', async () => {
    const [{ generation }] = await app.dataSource.query(`SELECT satisfaction_link_generation AS generation FROM bookings WHERE id = $1`, [bookingId]);
    const url = app.app.get(SatisfactionLinks).answerUrl(bookingId, generation);
    app.clock.set(new Date('2027-01-04T10:00:00Z'));
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const response = await page.goto(local(url));
    expect(response?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Le questionnaire est clos');
    await checkPage(page, 'satisfaction-closed');
    app.clock.set(new Date('2026-12-07T10:00:00Z'));
    await context.close();
  });

  it('stops the questions from the e-mail’s link: a page, then one button', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto(local(links().find((link) => link.includes('/ne-plus-recevoir'))!));
    await checkPage(page, 'satisfaction-opt-out');
    const optedOut = async () =>
      (await app.dataSource.query(`SELECT satisfaction_opted_out_at FROM bookings WHERE id = $1`, [bookingId]))[0].satisfaction_opted_out_at;
    expect(await optedOut()).toBeNull();
    expect(await submitForm(page, page.getByRole('button', { name: 'Ne plus recevoir de questionnaire' }))).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('C’est noté');
    expect(await optedOut()).not.toBeNull();
    await checkPage(page, 'satisfaction-opted-out');
    await context.close();
  });
});
