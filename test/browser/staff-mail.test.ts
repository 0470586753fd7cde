import type { Browser, Page } from 'playwright-core';
import { OutboxSender } from '../../src/notifications/outbox-sender.service';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, bookingRequest, createStaff, firstOpenSession, login } from '../support/factories';
import { client, Client } from '../support/http';
import { TestSmtpServer } from '../support/smtp';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

const START = Date.parse('2026-11-27T10:00:00Z');

/** The page is no wider than the phone's screen: nothing makes it scroll sideways. */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
}

describe('/staff/courriels and /api/admin/outbox: failed and waiting e-mails, retried one by one or all at once', () => {
  let app: TestApp;
  let api: Client;
  let smtp: TestSmtpServer;
  let sender: OutboxSender;
  let browser: Browser;
  let minutes = 0;

  /** With the SMTP server down, every waiting message uses up its tries and is marked failed. */
  async function failEverything(): Promise<void> {
    await smtp.stop();
    for (let attempt = 0; attempt < 8; attempt++) {
      await sender.drain();
      minutes += 120;
      app.clock.set(new Date(START + minutes * 60_000));
    }
  }

  async function book(name: string, email: string): Promise<void> {
    const session = await firstOpenSession(api, '2027-03-01', '2027-12-31');
    const slot = session.slots.find((candidate) => candidate.available > 0)!;
    const response = await api.post('/api/bookings', bookingRequest(slot.id, { attendee: { name, email } }));
    expect(response.status).toBe(201);
  }

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

  it('lists failed messages with their last error, retries one, then all, and each is sent once the server is back', async () => {
    await book('Léa Martin', 'lea@asso.test');
    await book('Noé Petit', 'noe@asso.test');
    await book('Zoé Garnier', 'zoe@asso.test');
    await failEverything();
    // One more, still waiting its first try.
    await book('Yanis Roux', 'yanis@asso.test');

    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Courriels' }).click();
    await page.waitForURL('**/staff/courriels');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Courriels en échec ou en attente');
    const failed = page.getByRole('table', { name: /Courriels en échec/ });
    expect(await failed.locator('tbody tr').count()).toBe(3);
    expect(await failed.textContent()).toContain('lea@asso.test');
    expect(await failed.textContent()).toContain('Confirmation de rendez-vous');
    // The mailer's own words for the failure (connection refused), not a generic label.
    expect(await failed.locator('tbody tr').first().locator('td[data-label="Dernière erreur"]').textContent()).toMatch(/ECONNREFUSED|connect/i);
    const pending = page.getByRole('table', { name: /Courriels en attente/ });
    expect(await pending.locator('tbody tr').count()).toBe(1);
    expect(await pending.textContent()).toContain('yanis@asso.test');
    await expectNoHorizontalOverflow(page);
    await checkPage(page, 'staff-mail-failed-phone');

    await page.setViewportSize({ width: 1280, height: 900 });
    await checkPage(page, 'staff-mail-failed');

    await page.getByRole('button', { name: 'Relancer le courriel à lea@asso.test' }).click();
    await page.waitForURL('**/staff/courriels?relances=1');
    expect(await page.getByRole('status').first().textContent()).toBe('C’est fait : 1 courriel est remis dans la file d’envoi.');
    expect(await failed.locator('tbody tr').count()).toBe(2);
    expect(await pending.textContent()).toContain('lea@asso.test');
    await checkPage(page, 'staff-mail-retried-one');

    await page.getByRole('button', { name: 'Relancer tous les courriels en échec' }).click();
    await page.waitForURL('**/staff/courriels?relances=2');
    expect(await page.getByRole('status').first().textContent()).toBe('C’est fait : 2 courriels sont remis dans la file d’envoi.');
    expect(await page.getByText('Aucun courriel en échec.').count()).toBe(1);
    expect(await pending.locator('tbody tr').count()).toBe(4);
    await checkPage(page, 'staff-mail-retried-all');

    await smtp.start();
    expect(await sender.drain()).toBe(4);
    for (const email of ['lea@asso.test', 'noe@asso.test', 'zoe@asso.test', 'yanis@asso.test']) expect(smtp.to(email)).toHaveLength(1);
    await page.reload();
    expect(await page.getByText('Aucun courriel en attente : tout est parti.').count()).toBe(1);
    await context.close();
  });

  it('answers a message that is no longer failed with a 404 page, and keeps the page from other roles', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const advisor = await createStaff(api, await adminToken(api), 'advisor');
    await signIn(page, advisor.email, advisor.password);
    expect((await page.goto('/staff/courriels'))?.status()).toBe(403);
    expect(await page.getByRole('link', { name: 'Courriels' }).count()).toBe(0);
    await context.close();

    const sent = (await app.dataSource.query(`SELECT id FROM outbox_messages WHERE status = 'sent' LIMIT 1`))[0].id;
    const admin = await newVisitor(browser, app.baseUrl);
    await signIn(admin.page, ADMIN.email, ADMIN.password);
    await admin.page.goto('/staff/courriels');
    // A form for a message someone else already retried: built by hand, as the page would have sent it.
    const status = await admin.page.evaluate(async (id) => {
      const csrf = document.querySelector<HTMLInputElement>('input[name=_csrf]')?.value ?? '';
      const response = await fetch(`/staff/courriels/${id}/relancer`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf }), redirect: 'manual' });
      return response.status;
    }, sent);
    expect(status).toBe(404);
    await admin.context.close();
  });

  it('retries every failed message through the API, for admins only', async () => {
    await book('Inès Morel', 'ines@asso.test');
    await book('Jules Blanc', 'jules@asso.test');
    await failEverything();
    const admin = await adminToken(api); // the clock moved past earlier tokens' expiry
    const advisor = await createStaff(api, admin, 'advisor');
    const refused = await api.post('/api/admin/outbox/retry-failed', {}, await login(api, advisor.email, advisor.password));
    expect([refused.status, refused.headers.get('content-type')]).toEqual([403, expect.stringContaining('application/problem+json')]);
    expect((await api.post('/api/admin/outbox/retry-failed', {})).status).toBe(401);

    const failed = (await api.get('/api/admin/outbox?status=failed', admin)).body as { id: string }[];
    expect(failed).toHaveLength(2);
    const retried = await api.post('/api/admin/outbox/retry-failed', {}, admin);
    expect(retried.status).toBe(200);
    expect(retried.body.retried).toBe(2);
    expect([...retried.body.ids].sort()).toEqual(failed.map((row) => row.id).sort());
    expect((await api.get('/api/admin/outbox?status=failed', admin)).body).toEqual([]);
    const again = await api.post('/api/admin/outbox/retry-failed', {}, admin);
    expect(again.body).toEqual({ retried: 0, ids: [] });

    await smtp.start();
    expect(await sender.drain()).toBe(2);
    expect(smtp.to('ines@asso.test')).toHaveLength(1);
    expect(smtp.to('jules@asso.test')).toHaveLength(1);
  });
});
