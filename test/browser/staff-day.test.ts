import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, registrationRequest } from '../support/factories';
import { client } from '../support/http';
import { TestSmtpServer } from '../support/smtp';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { OutboxSender } from '../../src/notifications/outbox-sender.service';

/** The December permanence (last Thursday), 09:00–13:00 Paris; the clock stops on 27 November. */
const DAY = '2026-12-31';

describe('running the day in a real browser: the agenda’s next day, registrant lists and sign-in sheets', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let alice: { id: string; email: string; password: string; name: string };
  let workshopId: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ now: '2026-11-27T10:00:00Z', env: { CRESS_NAME: 'CRESS Bretagne', SMTP_URL: smtp.url } });
    const api = client(app.baseUrl);
    browser = await launchBrowser();
    const admin = await adminToken(api);
    alice = await createStaff(api, admin, 'advisor', 'Alice Martin');
    const [december] = await listSessions(api, DAY, DAY);
    const staffed = await api.put(`/api/permanences/${december.id}/advisors`, { advisorIds: [alice.id] }, admin);
    const slot = staffed.body.slots.find((candidate: { advisor: { id: string } }) => candidate.advisor.id === alice.id);
    expect(
      (
        await api.post(
          '/api/bookings',
          bookingRequest(slot.id, { attendee: { name: 'Camille Martin', email: 'camille@asso.test' }, organisation: { name: 'Coop des Lilas' } }),
        )
      ).status,
    ).toBe(201);
    workshopId = (
      await createWorkshop(api, admin, { title: 'Les statuts de la SCIC', startsAt: '2026-12-31T14:00:00+01:00', endsAt: '2026-12-31T17:30:00+01:00' })
    ).id;
    expect(
      (
        await api.post(
          '/api/bookings',
          registrationRequest(workshopId, { attendee: { name: 'Farid Benali', email: 'farid@asso.test' }, organisation: { name: 'Association Été' } }),
        )
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.stop();
  });

  async function downloaded(page: Page, link: string): Promise<{ name: string; content: Buffer }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).first().click()]);
    return { name: download.suggestedFilename(), content: readFileSync(await download.path()) };
  }

  it('opens an advisor’s agenda on the next day with bookings when today has none, with the next permanence as a shortcut', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, alice.email, alice.password);
    await page.goto('/staff/agenda');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Agenda du jeudi 31 décembre 2026');
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'Aucun rendez-vous aujourd’hui (vendredi 27 novembre 2026) : voici le prochain jour qui en a.',
    );
    await expect(page.getByRole('link', { name: 'Prochaine permanence : jeudi 31 décembre 2026' }).getAttribute('aria-current')).resolves.toBe('date');
    expect(await page.getByRole('heading', { name: 'Camille Martin — Coop des Lilas' }).count()).toBe(1);
    await checkPage(page, 'staff-day-agenda-next-day');
    // A day chosen on purpose is shown as it is, empty or not, with the shortcut to the permanence.
    await page.goto('/staff/agenda?date=2026-12-01');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Agenda du mardi 1er décembre 2026');
    await expect(page.getByRole('status').count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Prochaine permanence : jeudi 31 décembre 2026' }).click();
    await page.waitForURL((url) => url.searchParams.get('date') === DAY);
    await context.close();
  });

  it('lets an advisor register a caller from the agenda: French field errors first, nothing written; then the booking, its e-mail and the agenda', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, alice.email, alice.password);
    await page.goto(`/staff/agenda?date=${DAY}`);
    await page.getByRole('link', { name: 'Réserver pour une personne à 10:00' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Réserver un créneau pour une personne');
    await checkPage(page, 'staff-day-register-form');
    await page.getByLabel('Nom et prénom').fill('Yasmine Caller');
    await page.getByLabel('Adresse e-mail').fill('pas-une-adresse');
    await page.getByRole('button', { name: 'Réserver ce créneau pour cette personne' }).click();
    await page.waitForLoadState();
    const alert = (await page.getByRole('alert').textContent())!;
    expect(alert).toContain('Adresse e-mail invalide.');
    expect(alert).toContain('Le nom de la structure est requis.');
    expect(alert.match(/Confirmez que la personne a donné son accord oralement/g)).toHaveLength(1);
    await expect(
      page
        .getByRole('alert')
        .getByRole('link', { name: /accord oralement/ })
        .getAttribute('href'),
    ).resolves.toBe('#f-consent');
    await checkPage(page, 'staff-day-register-errors');
    expect(await app.dataSource.query(`SELECT 1 FROM bookings WHERE attendee_name = 'Yasmine Caller'`)).toEqual([]);
    await expect(page.getByLabel('Nom et prénom').inputValue()).resolves.toBe('Yasmine Caller');
    await page.getByLabel('Adresse e-mail').fill('yasmine@asso.test');
    await page.getByLabel('Nom de la structure').fill('Tiers-lieu du Port');
    await page.getByLabel(/La personne a donné son accord oralement/).check();
    await page.getByRole('button', { name: 'Réserver ce créneau pour cette personne' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/agenda' && url.searchParams.get('date') === DAY);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(
      'C’est fait : Yasmine Caller est inscrit·e ; la confirmation lui est envoyée par e-mail.',
    );
    expect(await page.getByRole('heading', { name: 'Yasmine Caller — Tiers-lieu du Port' }).count()).toBe(1);
    await checkPage(page, 'staff-day-registered');
    const [row] = await app.dataSource.query(`SELECT consent_given_to FROM bookings WHERE attendee_email = 'yasmine@asso.test'`);
    expect(row.consent_given_to).toBe(alice.id);
    await app.app.get(OutboxSender).drain();
    const mails = smtp.to('yasmine@asso.test');
    expect(mails).toHaveLength(1);
    expect(mails[0].parsed.text).toContain('Yasmine Caller');
    await context.close();
  });

  it('shows a permanence’s bookings on its page, from the agenda and from the admin’s list', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto('/staff/permanences');
    await page.getByRole('link', { name: 'Les rendez-vous du jeudi 31 décembre 2026' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Permanence du jeudi 31 décembre 2026');
    const rows = await page.getByRole('row').allTextContents();
    expect(rows.find((row) => row.includes('Camille Martin'))).toContain('Coop des Lilas');
    expect(rows.find((row) => row.includes('Yasmine Caller'))).toContain('accord oral recueilli par Alice Martin');
    expect(rows.filter((row) => row.includes('Libre'))).toHaveLength(2);
    await checkPage(page, 'staff-day-session-bookings');
    await context.close();
    const advisor = await newVisitor(browser, app.baseUrl);
    await signIn(advisor.page, alice.email, alice.password);
    await advisor.page.goto(`/staff/agenda?date=${DAY}`);
    await advisor.page.getByRole('link', { name: 'Les rendez-vous de la permanence' }).click();
    await expect(advisor.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Permanence du jeudi 31 décembre 2026');
    await advisor.context.close();
  });

  it('downloads the permanence’s and the workshop’s sign-in sheets and the registrants from the agenda', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, alice.email, alice.password);
    await page.goto(`/staff/agenda?date=${DAY}`);
    const permanence = await downloaded(page, 'Feuille d’émargement de la permanence (PDF, à imprimer)');
    expect(permanence.name).toBe(`emargement-permanence-${DAY}.pdf`);
    expect(permanence.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(permanence.content.includes(Buffer.from('DejaVu'))).toBe(true);
    const sheet = await downloaded(page, 'Feuille d’émargement de l’atelier Atelier « Les statuts de la SCIC » (PDF)');
    expect(sheet.name).toBe(`emargement-atelier-${DAY}.pdf`);
    const csv = await downloaded(page, 'Inscrits (CSV)');
    expect(csv.name).toBe(`inscrits-atelier-${DAY}.csv`);
    expect(csv.content.toString('utf8')).toContain('Farid Benali;farid@asso.test');
    await context.close();
  });

  it('offers the admin the workshop’s sheet and lists on its page', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/staff/ateliers/${workshopId}`);
    await checkPage(page, 'staff-day-workshop-downloads');
    const xlsx = await downloaded(page, 'Liste des inscrits (Excel)');
    expect(xlsx.name).toBe(`inscrits-atelier-${DAY}.xlsx`);
    expect(xlsx.content.subarray(0, 2).toString()).toBe('PK');
    const pdf = await downloaded(page, 'Feuille d’émargement (PDF, à imprimer)');
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });

  it('refuses the viewer the sheets (403 page)', async () => {
    const api = client(app.baseUrl);
    const viewer = await createStaff(api, await adminToken(api), 'viewer', 'Métropole');
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, viewer.email, viewer.password);
    const response = await page.goto(`/staff/ateliers/${workshopId}/emargement.pdf`);
    expect(response!.status()).toBe(403);
    await context.close();
  });
});
