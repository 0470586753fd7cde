import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, bookingRequest, createStaff, listSessions } from '../support/factories';
import { client } from '../support/http';
import { TestSmtpServer } from '../support/smtp';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { OutboxSender } from '../../src/notifications/outbox-sender.service';

/** The December permanence (last Thursday), 09:00–13:00 Paris; the clock stops on 27 November. */
const DAY = '2026-12-31';

describe('staff cancel a permanence booking for the person, from the pages (real browser, real SMTP)', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let alice: { id: string; email: string; password: string; name: string };
  let sessionId: string;
  const bookings: Record<'camille' | 'dominique' | 'eve', string> = { camille: '', dominique: '', eve: '' };

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ now: '2026-11-27T10:00:00Z', env: { CRESS_NAME: 'CRESS Bretagne', SMTP_URL: smtp.url } });
    const api = client(app.baseUrl);
    browser = await launchBrowser();
    const admin = await adminToken(api);
    alice = await createStaff(api, admin, 'advisor', 'Alice Martin');
    const bruno = await createStaff(api, admin, 'advisor', 'Bruno Petit');
    const [december] = await listSessions(api, DAY, DAY);
    sessionId = december.id;
    const staffed = await api.put(`/api/permanences/${sessionId}/advisors`, { advisorIds: [alice.id, bruno.id] }, admin);
    const slotsOf = (advisorId: string) =>
      staffed.body.slots.filter((slot: { advisor: { id: string } | null }) => slot.advisor?.id === advisorId).map((slot: { id: string }) => slot.id);
    const book = async (slotId: string, name: string, email: string) => {
      const response = await api.post('/api/bookings', bookingRequest(slotId, { attendee: { name, email }, organisation: { name: 'Coop des Lilas' } }));
      expect(response.status).toBe(201);
      return response.body.id as string;
    };
    const [aliceFirst, aliceSecond] = slotsOf(alice.id);
    bookings.camille = await book(aliceFirst, 'Camille Martin', 'camille@asso.test');
    bookings.eve = await book(aliceSecond, 'Eve Leroy', 'eve@asso.test');
    bookings.dominique = await book(slotsOf(bruno.id)[0], 'Dominique Roux', 'dominique@asso.test');
    await app.app.get(OutboxSender).drain();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.stop();
  });

  async function state(id: string) {
    const [booking] = await app.dataSource.query(`SELECT status, cancelled_by AS "by", cancel_reason AS reason FROM bookings WHERE id = $1`, [id]);
    const [{ messages }] = await app.dataSource.query(
      `SELECT count(*)::int AS messages FROM outbox_messages WHERE booking_id = $1 AND kind = 'booking_cancelled'`,
      [id],
    );
    const [{ entries }] = await app.dataSource.query(`SELECT count(*)::int AS entries FROM staff_journal WHERE subject_id = $1`, [id]);
    return { ...booking, messages, entries };
  }

  async function post(page: Page, click: () => Promise<void>) {
    const [response] = await Promise.all([page.waitForResponse((candidate) => candidate.request().method() === 'POST'), click()]);
    await page.waitForLoadState();
    return response;
  }

  it('lets an advisor cancel a booking of their desk from the permanence’s page: confirmation, the reason required, then the e-mail and the journal', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, alice.email, alice.password);
    await page.goto(`/staff/permanences/${sessionId}`);
    // Their desk only: Bruno's booking is neither shown nor offered.
    expect(await page.getByText('Dominique Roux').count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Annuler ce rendez-vous/ }).count()).toBe(2);
    await page.getByRole('link', { name: 'Annuler ce rendez-vous de Camille Martin à 09:00' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Annuler le rendez-vous de Camille Martin ?');
    const details = (await page.locator('dl.details').textContent())!;
    expect(details).toContain('jeudi 31 décembre 2026, 09:00–');
    expect(details).toContain('camille@asso.test');
    await checkPage(page, 'staff-cancel-confirm');

    // No reason: refused next to the field, nothing written.
    const refused = await post(page, () => page.getByRole('button', { name: 'Oui, annuler le rendez-vous' }).click());
    expect(refused.status()).toBe(422);
    expect(await page.locator('#f-reason-error').textContent()).toBe(
      'Indiquez le motif de l’annulation (500 caractères au plus) : il est envoyé à la personne.',
    );
    expect(await page.getByLabel(/Motif de l’annulation/).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').textContent()).toContain('Le rendez-vous n’est pas annulé');
    expect(await state(bookings.camille)).toEqual({ status: 'confirmed', by: null, reason: null, messages: 0, entries: 0 });
    await checkPage(page, 'staff-cancel-reason-missing');

    await page.getByLabel(/Motif de l’annulation/).fill('Empêchement signalé par téléphone');
    const done = await post(page, () => page.getByRole('button', { name: 'Oui, annuler le rendez-vous' }).click());
    expect(done.status()).toBe(303);
    expect(new URL(page.url()).pathname).toBe(`/staff/permanences/${sessionId}`);
    expect(await page.getByRole('status').textContent()).toBe('Rendez-vous annulé ; la personne est prévenue par e-mail.');
    expect(await page.getByText('Camille Martin').count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Annuler ce rendez-vous/ }).count()).toBe(1);
    await checkPage(page, 'staff-cancel-done');
    expect(await state(bookings.camille)).toEqual({ status: 'cancelled', by: 'staff', reason: 'Empêchement signalé par téléphone', messages: 1, entries: 1 });
    const [entry] = await app.dataSource.query(`SELECT actor_id AS "actorId", action FROM staff_journal WHERE subject_id = $1`, [bookings.camille]);
    expect(entry).toEqual({ actorId: alice.id, action: 'booking.cancelled' });

    await app.app.get(OutboxSender).drain();
    const mails = smtp.to('camille@asso.test');
    expect(mails.map((mail) => mail.parsed.subject)).toEqual([
      'Votre rendez-vous du jeudi 31 décembre 2026 à 09:00 est confirmé',
      expect.stringMatching(/^Annulation\s:\svotre rendez-vous du jeudi 31 décembre 2026 à 09:00$/),
    ]);
    expect(mails[1].parsed.text).toContain('Empêchement signalé par téléphone');

    // Cancelled already (an old tab): the page says so and offers no form.
    await page.goto(`/staff/rendez-vous/${bookings.camille}/annuler`);
    expect(await page.locator('main p.alert').textContent()).toBe('Ce rendez-vous est déjà annulé.');
    expect(await page.getByRole('button', { name: 'Oui, annuler le rendez-vous' }).count()).toBe(0);
    await context.close();
  });

  it('refuses an advisor a colleague’s booking: no page, and a forged POST is answered 403 with nothing written', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, alice.email, alice.password);
    expect((await page.goto(`/staff/rendez-vous/${bookings.dominique}/annuler`))?.status()).toBe(403);
    await page.goto(`/staff/permanences/${sessionId}`);
    const forged = await page.request.post(`/staff/rendez-vous/${bookings.dominique}/annuler`, {
      form: { _csrf: await page.locator('input[name=_csrf]').first().inputValue(), reason: 'Pas mon bureau' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await state(bookings.dominique)).toEqual({ status: 'confirmed', by: null, reason: null, messages: 0, entries: 0 });
    // Their own desk, but without the form's CSRF token (a request from another site): refused too.
    const crossSite = await page.request.post(`/staff/rendez-vous/${bookings.eve}/annuler`, { form: { _csrf: 'forged', reason: 'Forgé' }, maxRedirects: 0 });
    expect(crossSite.status()).toBe(403);
    expect(await state(bookings.eve)).toEqual({ status: 'confirmed', by: null, reason: null, messages: 0, entries: 0 });
    await context.close();
  });

  it('lets an admin cancel from the agenda, back on the same day with the message', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/staff/agenda?date=${DAY}`);
    await page.getByRole('link', { name: 'Annuler ce rendez-vous de Dominique Roux' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Annuler le rendez-vous de Dominique Roux ?');
    await page.getByLabel(/Motif de l’annulation/).fill('Structure fermée ce jour-là');
    const done = await post(page, () => page.getByRole('button', { name: 'Oui, annuler le rendez-vous' }).click());
    expect(done.status()).toBe(303);
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('date')]).toEqual(['/staff/agenda', DAY]);
    expect(await page.getByRole('status').first().textContent()).toBe('Rendez-vous annulé ; la personne est prévenue par e-mail.');
    expect(await page.getByRole('heading', { name: /Dominique Roux/ }).count()).toBe(0);
    await checkPage(page, 'staff-cancel-agenda-done');
    expect(await state(bookings.dominique)).toMatchObject({ status: 'cancelled', by: 'staff', reason: 'Structure fermée ce jour-là', messages: 1, entries: 1 });
    await context.close();
  });

  it('offers no cancellation once the appointment has started, and refuses a late POST with nothing written', async () => {
    // 12:00 in Paris: Eve's appointment (Alice's second slot) has started.
    app.clock.set('2026-12-31T11:00:00Z');
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, alice.email, alice.password);
    await page.goto(`/staff/permanences/${sessionId}`);
    expect(await page.getByText('Eve Leroy').count()).toBe(1);
    const before = await state(bookings.eve);
    const started = await page.request.post(`/staff/rendez-vous/${bookings.eve}/annuler`, {
      form: { _csrf: await page.locator('input[name=_csrf]').first().inputValue(), reason: 'Trop tard' },
      maxRedirects: 0,
    });
    expect(before.status).toBe('confirmed');
    expect(started.status()).toBe(409);
    expect(await started.text()).toContain('Ce rendez-vous a déjà commencé : il ne peut plus être annulé.');
    expect(await state(bookings.eve)).toEqual(before);
    expect(await page.getByRole('link', { name: /^Annuler ce rendez-vous/ }).count()).toBe(0);
    await context.close();
  });
});
