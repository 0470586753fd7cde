import type { Browser } from 'playwright-core';
import { AccountsService } from '../../src/accounts/accounts.service';
import { OutboxSender } from '../../src/notifications/outbox-sender.service';
import { checkPage, launchBrowser, newVisitor, signIn, submitForm as submit } from '../support/browser';
import { TestSmtpServer } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';

const NOW = '2026-11-27T10:00:00.000Z';
const FIRST_ADMIN = { name: 'Dominique Admin', email: 'dominique@cress.test', password: 'Sureau-Piano-Marelle-47' };

describe('accounts run from the pages, in a real browser: first start, invitations, passwords', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    // No ADMIN_EMAIL: the service starts with no account at all.
    app = await startTestApp({ now: NOW, env: { ADMIN_EMAIL: '', ADMIN_PASSWORD: '', SMTP_URL: smtp.url } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.stop();
  });
  afterEach(() => app.clock.set(NOW));

  /** The path of the last link e-mailed to `to` (the mail's address is PUBLIC_URL's, not the test server's). */
  async function linkIn(to: string): Promise<string> {
    await app.app.get(OutboxSender).drain();
    const mail = smtp.to(to).at(-1);
    const match = /https?:\/\/[^/\s]+(\/staff\/nouveau-mot-de-passe\?jeton=[A-Za-z0-9_-]{43})/.exec(mail?.parsed.text ?? '');
    if (!match) throw new Error(`no link in the mail to ${to}`);
    return match[1];
  }

  it('the setup address creates the first admin, signs them in, and then no longer works', async () => {
    const url = new URL((await app.app.get(AccountsService).setupUrl())!);
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto(url.pathname + url.search);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Première installation');
    await checkPage(page, 'staff-accounts-setup');

    await page.getByLabel('Votre nom').fill(FIRST_ADMIN.name);
    await page.getByLabel('Votre adresse e-mail').fill('pas-une-adresse');
    await page.getByLabel('Mot de passe').fill('motdepasse123');
    expect(await submit(page, page.getByRole('button', { name: 'Créer le compte et me connecter' }))).toBe(422);
    await expect(page.locator('#f-email-error').textContent()).resolves.toContain('adresse e-mail valide');
    expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM users`))[0].n).toBe(0);
    await checkPage(page, 'staff-accounts-setup-errors');

    await page.getByLabel('Votre adresse e-mail').fill(FIRST_ADMIN.email);
    await page.getByLabel('Mot de passe').fill('motdepasse123');
    expect(await submit(page, page.getByRole('button', { name: 'Créer le compte et me connecter' }))).toBe(422);
    await expect(page.locator('#f-password-error').textContent()).resolves.toContain('trop courant');
    await page.getByLabel('Mot de passe').fill(FIRST_ADMIN.password);
    expect(await submit(page, page.getByRole('button', { name: 'Créer le compte et me connecter' }))).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/staff/comptes');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Bienvenue');
    await expect(page.getByRole('row', { name: /Dominique Admin \(vous\)/ }).textContent()).resolves.toContain('Administration');
    await checkPage(page, 'staff-accounts-list');

    const again = await page.goto(url.pathname + url.search);
    expect(again?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ce lien n’est plus valable');
    await checkPage(page, 'staff-accounts-link-used');
    await context.close();
  });

  it('an admin invites an advisor, who reads the e-mail, chooses a password and signs in; the admin changes the role and deactivates', async () => {
    const admin = await newVisitor(browser, app.baseUrl);
    await signIn(admin.page, FIRST_ADMIN.email, FIRST_ADMIN.password);
    await admin.page.goto('/staff/comptes');
    await admin.page.locator('#f-name').fill('Camille Conseil');
    await admin.page.locator('#f-email').fill('not-an-email');
    expect(await submit(admin.page, admin.page.getByRole('button', { name: 'Créer le compte et envoyer l’invitation' }))).toBe(422);
    await expect(admin.page.locator('#f-email-error').textContent()).resolves.toContain('Adresse e-mail invalide');
    await expect(admin.page.locator('#f-role-error').textContent()).resolves.toContain('Choisissez un rôle');
    await checkPage(admin.page, 'staff-accounts-invite-errors');
    await admin.page.locator('#f-email').fill('camille@cress.test');
    await admin.page.locator('#f-role').selectOption('advisor');
    expect(await submit(admin.page, admin.page.getByRole('button', { name: 'Créer le compte et envoyer l’invitation' }))).toBe(303);
    await expect(admin.page.getByRole('status').textContent()).resolves.toContain('72 heures');
    await expect(admin.page.getByRole('row', { name: /Camille Conseil/ }).textContent()).resolves.toContain('Invitation envoyée');
    await checkPage(admin.page, 'staff-accounts-invited');

    const link = await linkIn('camille@cress.test');
    expect(smtp.to('camille@cress.test')[0].parsed.subject).toContain('choisissez votre mot de passe');

    const advisor = await newVisitor(browser, app.baseUrl);
    await advisor.page.goto(link);
    expect(await advisor.page.getByRole('heading', { level: 1 }).textContent()).toBe('Activer mon compte');
    await checkPage(advisor.page, 'staff-accounts-invitation');
    await advisor.page.getByLabel('Mot de passe').fill('Cerise-Boussole-Nuage-31');
    expect(await submit(advisor.page, advisor.page.getByRole('button', { name: 'Enregistrer et me connecter' }))).toBe(303);
    expect(new URL(advisor.page.url()).pathname).toBe('/staff/agenda');
    await expect(advisor.page.getByRole('button', { name: /Se déconnecter \(Camille Conseil\)/ }).count()).resolves.toBe(1);
    // The link served once.
    expect((await advisor.page.goto(link))?.status()).toBe(410);
    await checkPage(advisor.page, 'staff-accounts-invitation-used');
    await advisor.page.goto('/staff/agenda');
    await advisor.page.getByRole('button', { name: /Se déconnecter/ }).click();
    await signIn(advisor.page, 'camille@cress.test', 'Cerise-Boussole-Nuage-31');
    expect(new URL(advisor.page.url()).pathname).toBe('/staff/agenda');

    await admin.page.goto('/staff/comptes');
    await admin.page.getByLabel('Rôle de Camille Conseil').selectOption('viewer');
    expect(await submit(admin.page, admin.page.getByRole('button', { name: 'Changer le rôle de Camille Conseil' }))).toBe(303);
    await expect(
      admin.page
        .getByRole('row', { name: /Camille Conseil/ })
        .locator('select')
        .inputValue(),
    ).resolves.toBe('viewer');
    // A role change signs the person out.
    await advisor.page.goto('/staff/rapports');
    expect(new URL(advisor.page.url()).pathname).toBe('/staff/connexion');
    await signIn(advisor.page, 'camille@cress.test', 'Cerise-Boussole-Nuage-31');

    // Deactivating signs the person out at once: a confirmation page says so first, and "Non" changes nothing.
    expect(await submit(admin.page, admin.page.getByRole('button', { name: 'Désactiver le compte de Camille Conseil' }))).toBe(200);
    await expect(admin.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Désactiver le compte de Camille Conseil ?');
    await expect(admin.page.locator('main').textContent()).resolves.toContain('camille@cress.test');
    await checkPage(admin.page, 'staff-account-deactivate-confirm');
    await admin.page.getByRole('link', { name: 'Non, revenir aux comptes' }).click();
    await expect(admin.page.getByRole('row', { name: /Camille Conseil/ }).textContent()).resolves.toContain('Actif');
    expect(await submit(admin.page, admin.page.getByRole('button', { name: 'Désactiver le compte de Camille Conseil' }))).toBe(200);
    expect(await submit(admin.page, admin.page.getByRole('button', { name: 'Oui, désactiver le compte' }))).toBe(303);
    await expect(admin.page.getByRole('row', { name: /Camille Conseil/ }).textContent()).resolves.toContain('Désactivé');
    await checkPage(admin.page, 'staff-accounts-deactivated');
    await advisor.page.goto('/staff/rapports');
    expect(new URL(advisor.page.url()).pathname).toBe('/staff/connexion');
    expect(await submit(admin.page, admin.page.getByRole('button', { name: 'Réactiver le compte de Camille Conseil' }))).toBe(303);
    await expect(admin.page.getByRole('row', { name: /Camille Conseil/ }).textContent()).resolves.toContain('Actif');
    await admin.context.close();
    await advisor.context.close();
  });

  it('forgotten password: the link on the sign-in page, the e-mail, a new password that signs out the other session; an expired link gets a clear page', async () => {
    const elsewhere = await newVisitor(browser, app.baseUrl);
    await signIn(elsewhere.page, FIRST_ADMIN.email, FIRST_ADMIN.password);

    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto('/staff/connexion');
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.waitForURL('**/staff/mot-de-passe-oublie');
    await checkPage(page, 'staff-accounts-forgotten');
    await page.getByLabel('Adresse e-mail').fill('inconnu@cress.test');
    expect(await submit(page, page.getByRole('button', { name: 'Recevoir un lien' }))).toBe(200);
    const unknownAnswer = await page.getByRole('status').textContent();
    await page.goto('/staff/mot-de-passe-oublie');
    await page.getByLabel('Adresse e-mail').fill(FIRST_ADMIN.email);
    expect(await submit(page, page.getByRole('button', { name: 'Recevoir un lien' }))).toBe(200);
    expect(await page.getByRole('status').textContent()).toBe(unknownAnswer);
    await checkPage(page, 'staff-accounts-forgotten-sent');

    const link = await linkIn(FIRST_ADMIN.email);
    expect(smtp.to('inconnu@cress.test')).toHaveLength(0);
    await page.goto(link);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Choisir un nouveau mot de passe');
    await checkPage(page, 'staff-accounts-reset');
    await page.getByLabel('Mot de passe').fill('court');
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer et me connecter' }))).toBe(422);
    await expect(page.locator('#f-password-error').textContent()).resolves.toContain('12');
    await checkPage(page, 'staff-accounts-reset-errors');
    await page.getByLabel('Mot de passe').fill('Vélo-Lampe-Orage-92');
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer et me connecter' }))).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/staff/agenda');
    FIRST_ADMIN.password = 'Vélo-Lampe-Orage-92';

    await elsewhere.page.goto('/staff/comptes');
    expect(new URL(elsewhere.page.url()).pathname).toBe('/staff/connexion');

    await page.goto('/staff/mot-de-passe-oublie');
    await page.getByLabel('Adresse e-mail').fill(FIRST_ADMIN.email);
    await submit(page, page.getByRole('button', { name: 'Recevoir un lien' }));
    const late = await linkIn(FIRST_ADMIN.email);
    app.clock.set('2026-11-27T11:00:01.000Z');
    expect((await page.goto(late))?.status()).toBe(410);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('a expiré');
    await checkPage(page, 'staff-accounts-link-expired');
    await context.close();
    await elsewhere.context.close();
  });

  it('changes one’s own password: the current one is required, the other sessions are signed out', async () => {
    const elsewhere = await newVisitor(browser, app.baseUrl);
    await signIn(elsewhere.page, FIRST_ADMIN.email, FIRST_ADMIN.password);
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await signIn(page, FIRST_ADMIN.email, FIRST_ADMIN.password);
    await page.getByRole('link', { name: 'Mot de passe' }).click();
    await page.waitForURL('**/staff/mot-de-passe');
    await checkPage(page, 'staff-accounts-password');
    await page.getByLabel('Mot de passe actuel').fill('pas-le-bon-mot-de-passe');
    await page.getByLabel('Nouveau mot de passe').fill('Girafe-Tempete-Violon-58');
    expect(await submit(page, page.getByRole('button', { name: 'Changer mon mot de passe' }))).toBe(422);
    await expect(page.locator('#f-currentPassword-error').textContent()).resolves.toContain('mot de passe actuel');
    await checkPage(page, 'staff-accounts-password-errors');
    await page.getByLabel('Mot de passe actuel').fill(FIRST_ADMIN.password);
    await page.getByLabel('Nouveau mot de passe').fill('Girafe-Tempete-Violon-58');
    expect(await submit(page, page.getByRole('button', { name: 'Changer mon mot de passe' }))).toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Mot de passe changé');
    await page.goto('/staff/comptes');
    expect(new URL(page.url()).pathname).toBe('/staff/comptes');
    await elsewhere.page.goto('/staff/comptes');
    expect(new URL(elsewhere.page.url()).pathname).toBe('/staff/connexion');
    await context.close();
    await elsewhere.context.close();
  });
});
