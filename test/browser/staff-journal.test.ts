import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, createStaff, createWorkshop, listSessions } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

describe('/staff/journal in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    const admin = await adminToken(api);
    const [december] = await listSessions(api, '2026-12-01', '2026-12-31');
    await api.post(`/api/permanences/${december.id}/cancel`, { reason: 'Salle indisponible ce jour-là' }, admin);
    app.clock.set('2026-11-30T09:00:00Z');
    const workshop = await createWorkshop(api, await adminToken(api));
    await api.post(`/api/workshops/${workshop.id}/cancel`, { reason: 'Intervenante malade' }, await adminToken(api));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows who did what and when, filters by action and period, and refuses a reversed period with French field errors', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Journal' }).click();
    await page.waitForURL('**/staff/journal');
    const rows = page.locator('#journal tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('Atelier annulé');
    expect(await rows.nth(0).textContent()).toContain('Administrateur');
    expect(await rows.nth(1).textContent()).toContain('Permanence annulée');
    expect(await rows.nth(1).textContent()).toContain('Salle indisponible ce jour-là');
    expect(await rows.nth(1).locator('th').textContent()).toBe('27/11/2026 à 11:00');
    await checkPage(page, 'staff-journal');

    await page.getByLabel('Action').selectOption({ label: 'Permanence annulée' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/action=session.cancelled/);
    expect(await rows.count()).toBe(1);
    expect(await page.getByLabel('Action').inputValue()).toBe('session.cancelled');

    await page.getByLabel('Action').selectOption({ label: 'Toutes les actions' });
    await page.getByLabel('Du').fill('2026-11-30');
    await page.getByLabel('Au').fill('2026-11-30');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/du=2026-11-30/);
    expect(await rows.count()).toBe(1);
    expect(await rows.nth(0).textContent()).toContain('Atelier annulé');

    await page.getByLabel('Du').fill('2026-12-05');
    await page.getByLabel('Au').fill('2026-12-01');
    const [refused] = await Promise.all([
      page.waitForResponse((response) => response.url().includes('/staff/journal?')),
      page.getByRole('button', { name: 'Filtrer' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await page.waitForLoadState('load');
    expect(await page.locator('#f-au-error').textContent()).toBe('La fin de la période doit être après son début.');
    expect(await page.locator('#f-au').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Du').inputValue()).toBe('2026-12-05');
    await checkPage(page, 'staff-journal-errors');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/staff/journal');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkPage(page, 'staff-journal-phone');
    await context.close();
  });

  it('is for admins only', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    const advisor = await createStaff(api, await adminToken(api), 'advisor');
    await signIn(page, advisor.email, advisor.password);
    expect((await page.goto('/staff/journal'))?.status()).toBe(403);
    expect(await page.getByRole('link', { name: 'Journal' }).count()).toBe(0);
    await context.close();
  });
});
