import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, createStaff, createWorkshop, login, registrationRequest } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

/** A workshop on Thursday 18 March 2027, 09:00–12:30 Paris; the clock is moved past it for attendance. */
describe('attendance certificates in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let browser: Browser;
  let alice: { id: string; email: string; password: string; name: string };
  let workshopId: string;
  const people: Record<string, { id: string; token: string }> = {};

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z', env: { CRESS_NAME: 'CRESS Loire-Essai' } });
    api = client(app.baseUrl);
    browser = await launchBrowser();
    let admin = await adminToken(api);
    alice = await createStaff(api, admin, 'advisor', 'Alice Martin');
    workshopId = (await createWorkshop(api, admin, { title: 'Les statuts de la SCIC', capacity: 10 })).id;
    for (const [who, name] of [
      ['present', 'Zoé L’Hôpital'],
      ['unmarked', 'Farid Benali'],
      ['absent', 'Jeanne Absente'],
    ]) {
      const response = await api.post('/api/bookings', registrationRequest(workshopId, { attendee: { name, email: `${who}@asso.test` } }));
      expect(response.status).toBe(201);
      people[who] = { id: response.body.id, token: response.body.manageToken };
    }
    app.clock.set('2027-03-18T12:00:00Z');
    admin = await adminToken(api);
    expect((await api.put(`/api/bookings/${people.present.id}/attendance`, { status: 'present' }, admin)).status).toBe(200);
    expect((await api.put(`/api/bookings/${people.absent.id}/attendance`, { status: 'absent' }, admin)).status).toBe(200);
    // Alice's sign-in must succeed at the new time too.
    await login(api, alice.email, alice.password);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const manage = (who: string) => `/reservations/${people[who].id}?token=${people[who].token}`;

  async function downloaded(page: Page, link: string | RegExp): Promise<{ name: string; content: Buffer }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).first().click()]);
    return { name: download.suggestedFilename(), content: readFileSync(await download.path()) };
  }

  it('offers the certificate on the manage page of an attendee marked present, and downloads it', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto(manage('present'));
    await expect(page.getByRole('heading', { name: 'Attestation de présence' }).count()).resolves.toBe(1);
    const link = page.getByRole('link', { name: 'Télécharger mon attestation de présence (PDF)' });
    await expect(link.count()).resolves.toBe(1);
    await checkPage(page, 'attestation-manage-available');
    const file = await downloaded(page, 'Télécharger mon attestation de présence (PDF)');
    expect(file.name).toMatch(/^attestation-de-presence-ATT-2027-\d{5}\.pdf$/);
    expect(file.content.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });

  it('tells an attendee not marked yet that it will come, and shows nothing to someone absent', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto(manage('unmarked'));
    await expect(page.getByRole('link', { name: /attestation/i }).count()).resolves.toBe(0);
    await expect(
      page.getByText('Votre attestation de présence pourra être téléchargée ici dès que l’équipe aura noté votre présence à l’atelier.').count(),
    ).resolves.toBe(1);
    await checkPage(page, 'attestation-manage-pending');
    await page.goto(manage('absent'));
    await expect(page.getByText(/attestation/i).count()).resolves.toBe(0);
    await checkPage(page, 'attestation-manage-absent');
    // Following the certificate's address anyway gives a French page saying why, not a file.
    const answer = await page.goto(`/reservations/${people.absent.id}/attestation.pdf?token=${people.absent.token}`);
    expect(answer!.status()).toBe(422);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Action impossible');
    await expect(page.getByText(/réservée aux personnes notées présentes/).count()).resolves.toBe(1);
    await checkPage(page, 'attestation-refused');
    await context.close();
  });

  it('lets the admin download it from the workshop’s page, and the advisor from the agenda, each download journalled', async () => {
    const admin = await newVisitor(browser, app.baseUrl);
    await signIn(admin.page, ADMIN.email, ADMIN.password);
    await admin.page.goto(`/staff/ateliers/${workshopId}`);
    await expect(admin.page.getByRole('link', { name: /attestation de présence de/ }).count()).resolves.toBe(1);
    await checkPage(admin.page, 'attestation-staff-workshop');
    const fromWorkshop = await downloaded(admin.page, 'PDF : attestation de présence de Zoé L’Hôpital');
    expect(fromWorkshop.name).toMatch(/^attestation-de-presence-ATT-2027-\d{5}\.pdf$/);

    const advisor = await newVisitor(browser, app.baseUrl);
    await signIn(advisor.page, alice.email, alice.password);
    await advisor.page.goto('/staff/agenda?date=2027-03-18');
    await expect(advisor.page.getByRole('link', { name: /^Attestation de présence/ }).count()).resolves.toBe(1);
    await checkPage(advisor.page, 'attestation-staff-agenda');
    const fromAgenda = await downloaded(advisor.page, 'Attestation de présence de Zoé L’Hôpital (PDF)');
    // The same certificate as the attendee's own: the same bytes.
    expect(fromAgenda.content.equals(fromWorkshop.content)).toBe(true);

    // Another workshop's address for this registration, or someone not present: a French page, no file.
    const elsewhere = await admin.page.goto(`/staff/ateliers/00000000-0000-4000-8000-000000000000/inscriptions/${people.present.id}/attestation.pdf`);
    expect(elsewhere!.status()).toBe(404);
    const absent = await admin.page.goto(`/staff/ateliers/${workshopId}/inscriptions/${people.absent.id}/attestation.pdf`);
    expect(absent!.status()).toBe(422);
    await expect(admin.page.getByText(/réservée aux personnes notées présentes/).count()).resolves.toBe(1);

    await admin.page.goto('/staff/journal?action=attestation.downloaded');
    await expect(admin.page.getByText(/Attestation de présence ATT-2027-\d{5} téléchargée/).count()).resolves.toBe(2);
    await admin.context.close();
    await advisor.context.close();
  });

  it('fits a phone: the workshop’s registrations with the certificate column at 390 px', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/staff/ateliers/${workshopId}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await checkPage(page, 'attestation-staff-workshop-phone');
    await context.close();
  });
});
