import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn, submitForm as submit } from '../support/browser';
import { adminToken, bookingRequest, createStaff, listSessions, registrationRequest } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

/** Forms marked data-confirm ask first; this admin says yes. */
function acceptConfirmations(page: Page): void {
  page.on('dialog', (dialog) => void dialog.accept());
}

describe('admin pages for workshops and permanences, in a real browser', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    api = client(app.baseUrl);
    admin = await adminToken(api);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('sends a signed-out visitor to the login page, and shows an advisor a 403 page', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    for (const path of ['/staff/ateliers', '/staff/ateliers/nouveau', '/staff/permanences']) {
      await page.goto(path);
      expect(new URL(page.url()).pathname).toBe('/staff/connexion');
      expect(new URL(page.url()).searchParams.get('suite')).toBe(path);
    }
    const advisor = await createStaff(api, admin, 'advisor');
    await signIn(page, advisor.email, advisor.password);
    for (const path of ['/staff/ateliers', '/staff/ateliers/nouveau', '/staff/permanences']) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Action impossible');
      expect(await page.getByRole('alert').textContent()).toContain('Votre rôle ne permet pas');
    }
    await checkPage(page, 'staff-admin-forbidden');
    await context.close();
  });

  it('creates a workshop through the form, edits it, lists its registrations and waitlist, and cancels it', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    acceptConfirmations(page);
    await signIn(page, ADMIN.email, ADMIN.password);
    const listing = await page.goto('/staff/ateliers');
    expect(listing?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ateliers');
    await checkPage(page, 'staff-workshops-empty');

    await page.getByRole('link', { name: 'Nouvel atelier' }).click();
    await page.waitForURL('**/staff/ateliers/nouveau');
    await checkPage(page, 'staff-workshop-new');

    // The end before the start: the service's rule, next to the field, with what was typed kept.
    await page.getByLabel('Titre').fill('La SCIC en pratique');
    await page.getByLabel('Description').fill('Gouvernance <b>multi-sociétariale</b>.');
    await page.getByLabel('Lieu', { exact: false }).fill('Maison de l’ESS, Saint-Étienne');
    await page.getByLabel('Début').fill('2027-02-10T14:00');
    await page.getByLabel('Fin', { exact: false }).fill('2027-02-10T12:00');
    await page.getByLabel('Nombre de places').fill('2');
    expect(await submit(page, page.getByRole('button', { name: 'Créer l’atelier' }))).toBe(422);
    expect(new URL(page.url()).pathname).toBe('/staff/ateliers/nouveau');
    expect(await page.locator('#f-endsAt-error').textContent()).toBe('Doit être après le début de l’atelier.');
    expect(await page.locator('#f-endsAt').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#resume-erreurs li').allTextContents()).toEqual(['Doit être après le début de l’atelier.']);
    expect(await page.locator('#resume-erreurs').isVisible()).toBe(true);
    expect(await page.getByLabel('Titre').inputValue()).toBe('La SCIC en pratique');
    expect(await page.getByLabel('Début').inputValue()).toBe('2027-02-10T14:00');
    await checkPage(page, 'staff-workshop-new-errors');

    // A browser without the date-and-time input sends what was typed: unreadable text is refused…
    await page.locator('#f-endsAt').fill('2027-02-10T17:30');
    await page.locator('#f-startsAt').evaluate((input: HTMLInputElement) => (input.type = 'text'));
    await page.locator('#f-startsAt').fill('mercredi après-midi');
    expect(await submit(page, page.getByRole('button', { name: 'Créer l’atelier' }))).toBe(422);
    expect(await page.locator('#f-startsAt-error').textContent()).toBe('Indiquez une date et une heure valides (jj/mm/aaaa hh:mm).');
    expect(await page.locator('#f-endsAt-error').count()).toBe(0);
    await checkPage(page, 'staff-workshop-new-unreadable-date');
    // …and a French date and time is read as Paris wall time.
    await page.locator('#f-startsAt').evaluate((input: HTMLInputElement) => (input.type = 'text'));
    await page.locator('#f-startsAt').fill('10/02/2027 14:00');
    expect(await submit(page, page.getByRole('button', { name: 'Créer l’atelier' }))).toBe(303);
    await page.waitForURL(/\/staff\/ateliers\/[0-9a-f-]{36}\?fait=cree$/);
    expect(await page.getByRole('status').textContent()).toContain('l’atelier est créé');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('La SCIC en pratique');
    await checkPage(page, 'staff-workshop-created');
    const id = /ateliers\/([0-9a-f-]{36})/.exec(page.url())![1];

    // Paris wall time in the form, the UTC instant in the API, and the same wall time shown back.
    const created = (await api.get(`/api/workshops/${id}`)).body;
    expect(created).toMatchObject({
      startsAt: '2027-02-10T13:00:00.000Z',
      endsAt: '2027-02-10T16:30:00.000Z',
      capacity: 2,
      waitlistEnabled: true,
      description: 'Gouvernance <b>multi-sociétariale</b>.',
    });
    expect(await page.locator('#f-startsAt').inputValue()).toBe('2027-02-10T14:00');
    expect(await page.locator('#f-endsAt').inputValue()).toBe('2027-02-10T17:30');

    const visitor = await newVisitor(browser, app.baseUrl);
    await visitor.page.goto('/');
    await expect(visitor.page.getByRole('heading', { name: 'La SCIC en pratique' }).count()).resolves.toBe(1);
    await visitor.context.close();

    // Two seats taken, three people waiting.
    const people = ['Awa Diallo', 'Hugo Blanc', 'Inès Morel', 'Jules Roux', 'Karim Saïd'];
    for (const [index, name] of people.entries()) {
      const request = registrationRequest(id, { attendee: { name, email: `personne${index}@asso.test` }, organisation: { name: `Structure ${index}` } });
      const response = await api.post('/api/bookings', request);
      expect([response.status, response.body.status]).toEqual([201, index < 2 ? 'confirmed' : 'waitlisted']);
    }

    // One more seat: the first person waiting takes it; nothing else changed, so nobody is told of a change.
    await page.reload();
    await page.locator('#f-capacity').fill('3');
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer les modifications' }))).toBe(303);
    await page.waitForURL(/\?fait=modifie$/);
    expect(await page.getByRole('status').textContent()).toContain('l’atelier est modifié');
    expect((await api.get(`/api/workshops/${id}`)).body).toMatchObject({ capacity: 3, available: 0, waitlisted: 2, startsAt: '2027-02-10T13:00:00.000Z' });
    const messages = await app.dataSource.query(
      `SELECT m.kind, m.recipient FROM outbox_messages m JOIN bookings b ON b.id = m.booking_id
       WHERE b.workshop_id = $1 AND m.kind NOT IN ('workshop_confirmed', 'workshop_waitlisted')`,
      [id],
    );
    expect(messages).toEqual([{ kind: 'workshop_promoted', recipient: 'personne2@asso.test' }]);

    await page.goto(`/staff/ateliers/${id}`);
    const confirmedTable = page.getByRole('table', { name: 'Confirmées (3)' });
    const waitlistTable = page.getByRole('table', { name: 'Liste d’attente (2)' });
    expect(await confirmedTable.locator('tbody th').allTextContents()).toEqual(['Awa Diallo', 'Hugo Blanc', 'Inès Morel']);
    expect(await confirmedTable.locator('tbody tr').first().textContent()).toContain('personne0@asso.test');
    expect(await confirmedTable.locator('tbody tr').first().textContent()).toContain('Structure 0');
    const waiting = await waitlistTable
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => [row.children[0].textContent?.trim(), row.children[1].textContent?.trim()]));
    expect(waiting).toEqual([
      ['1', 'Jules Roux'],
      ['2', 'Karim Saïd'],
    ]);
    expect(await page.locator('dl.details').textContent()).toContain('3 sur 3');
    await checkPage(page, 'staff-workshop-registrations');

    // Below the confirmed: refused, with the rule's message next to the capacity.
    await page.locator('#f-capacity').fill('2');
    expect(await submit(page, page.getByRole('button', { name: 'Enregistrer les modifications' }))).toBe(422);
    expect(await page.locator('#resume-erreurs').textContent()).toContain('3 personnes sont déjà inscrites');
    expect(await page.locator('#f-capacity-error').textContent()).toBe('Au moins 3.');
    expect(await page.locator('#f-capacity').inputValue()).toBe('2');
    expect((await api.get(`/api/workshops/${id}`)).body.capacity).toBe(3);
    await checkPage(page, 'staff-workshop-capacity-error');

    // The staff cancels a confirmed registration, after a confirmation page: the first person waiting takes the seat.
    expect(await submit(page, page.getByRole('button', { name: 'Annuler l’inscription de Hugo Blanc' }))).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Annuler l’inscription de Hugo Blanc ?');
    expect((await api.get(`/api/workshops/${id}`)).body.available).toBe(0);
    await checkPage(page, 'staff-registration-cancel-confirm');
    expect(await submit(page, page.getByRole('button', { name: 'Oui, annuler l’inscription' }))).toBe(303);
    await page.waitForURL(/\?fait=inscription-annulee$/);
    expect(await page.getByRole('table', { name: 'Confirmées (3)' }).locator('tbody th').allTextContents()).toEqual(['Awa Diallo', 'Inès Morel', 'Jules Roux']);
    expect(await page.getByRole('table', { name: 'Liste d’attente (1)' }).locator('tbody tr').first().textContent()).toMatch(/^\s*1\s*Karim Saïd/);
    const registrations = (await api.get(`/api/workshops/${id}/registrations`, admin)).body as Array<{ attendeeName: string; status: string }>;
    expect(registrations.map((registration) => [registration.attendeeName, registration.status])).toEqual([
      ['Awa Diallo', 'confirmed'],
      ['Inès Morel', 'confirmed'],
      ['Jules Roux', 'confirmed'],
      ['Karim Saïd', 'waitlisted'],
    ]);

    // Cancelling needs a reason.
    expect(await submit(page, page.getByRole('button', { name: 'Annuler l’atelier' }))).toBe(422);
    expect(await page.locator('#f-reason-error').textContent()).toContain('Le motif est requis');
    expect((await api.get(`/api/workshops/${id}`)).body.status).not.toBe('cancelled');
    await checkPage(page, 'staff-workshop-cancel-error');
    await page.getByLabel('Motif de l’annulation').fill('Intervenante indisponible');
    expect(await submit(page, page.getByRole('button', { name: 'Annuler l’atelier' }))).toBe(200);
    expect(await page.locator('dl.details').textContent()).toContain('Intervenante indisponible');
    expect((await api.get(`/api/workshops/${id}`)).body.status).not.toBe('cancelled');
    await checkPage(page, 'staff-workshop-cancel-confirm');
    expect(await submit(page, page.getByRole('button', { name: 'Oui, annuler l’atelier' }))).toBe(303);
    await page.waitForURL(/\?fait=annule$/);
    expect(await page.getByRole('status').textContent()).toContain('l’atelier est annulé');
    expect(await page.locator('dl.details').textContent()).toContain('Intervenante indisponible');
    expect(await page.getByRole('button', { name: 'Enregistrer les modifications' }).count()).toBe(0);
    expect((await api.get(`/api/workshops/${id}`)).body).toMatchObject({ status: 'cancelled', statusReason: 'Intervenante indisponible' });
    await checkPage(page, 'staff-workshop-cancelled');

    await page.goto('/staff/ateliers');
    const row = page.getByRole('row', { name: /La SCIC en pratique/ });
    expect(await row.textContent()).toContain('Annulé');
    expect(await row.textContent()).toContain('10/02/2027, 14:00–17:30');
    await checkPage(page, 'staff-workshops');
    await context.close();
  });

  it('cancels, moves, adds and staffs permanence sessions', async () => {
    const alice = await createStaff(api, admin, 'advisor', 'Alice Conseil');
    const bruno = await createStaff(api, admin, 'advisor', 'Bruno Conseil');
    const sessionOn = async (date: string) => (await listSessions(api, date, date))[0];
    const december = await sessionOn('2026-12-31');
    const january = await sessionOn('2027-01-28');
    const february = await sessionOn('2027-02-25');
    const { context, page } = await newVisitor(browser, app.baseUrl);
    acceptConfirmations(page);
    await signIn(page, ADMIN.email, ADMIN.password);
    const listing = await page.goto('/staff/permanences');
    expect(listing?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 3, name: /jeudi 31 décembre 2026/ }).count()).toBe(1);
    await checkPage(page, 'staff-sessions');

    // Cancel: a reason is required.
    let card = page.locator(`#permanence-${december.id}`);
    await card.locator('summary', { hasText: 'Annuler la permanence' }).click();
    expect(await submit(page, card.getByRole('button', { name: 'Annuler la permanence du jeudi 31 décembre 2026' }))).toBe(422);
    card = page.locator(`#permanence-${december.id}`);
    expect(await card.locator(`#f-${december.id}-reason-error`).textContent()).toContain('Le motif est requis');
    expect(await card.getByLabel('Motif de l’annulation').isVisible()).toBe(true);
    expect(await page.locator('#resume-erreurs').textContent()).toContain('La permanence du jeudi 31 décembre 2026 n’a pas été modifiée.');
    expect((await sessionOn('2026-12-31')).status).toBe('scheduled');
    await checkPage(page, 'staff-sessions-cancel-error');
    await card.getByLabel('Motif de l’annulation').fill('Conseillère indisponible');
    expect(await submit(page, card.getByRole('button', { name: 'Annuler la permanence du jeudi 31 décembre 2026' }))).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Annuler la permanence du jeudi 31 décembre 2026 ?');
    expect((await sessionOn('2026-12-31')).status).toBe('scheduled');
    await checkPage(page, 'staff-session-cancel-confirm');
    expect(await submit(page, page.getByRole('button', { name: 'Oui, annuler la permanence' }))).toBe(303);
    await page.waitForURL(/\/staff\/permanences\?fait=annulee/);
    expect(await page.getByRole('status').textContent()).toContain('la permanence est annulée');
    expect(await page.locator(`#permanence-${december.id}`).textContent()).toContain('Cette permanence est annulée : Conseillère indisponible.');
    expect(await sessionOn('2026-12-31')).toMatchObject({ status: 'cancelled', statusReason: 'Conseillère indisponible' });

    // Move: a past date is refused next to the field, then a new date is taken.
    card = page.locator(`#permanence-${january.id}`);
    await card.locator('summary', { hasText: 'Déplacer à une autre date' }).click();
    await card.getByLabel('Nouvelle date').fill('2026-11-20');
    expect(await submit(page, card.getByRole('button', { name: 'Déplacer la permanence du jeudi 28 janvier 2027' }))).toBe(422);
    card = page.locator(`#permanence-${january.id}`);
    expect(await card.locator(`#f-${january.id}-date-error`).textContent()).toBe('Choisissez aujourd’hui ou une date à venir.');
    expect(await card.getByLabel('Nouvelle date').inputValue()).toBe('2026-11-20');
    await checkPage(page, 'staff-sessions-move-error');
    await card.getByLabel('Nouvelle date').fill('2027-02-04');
    await card.getByLabel('Motif (facultatif)').fill('Salle indisponible');
    expect(await submit(page, card.getByRole('button', { name: 'Déplacer la permanence du jeudi 28 janvier 2027' }))).toBe(303);
    await page.waitForURL(/\?fait=deplacee/);
    expect(await page.locator(`#permanence-${january.id}`).textContent()).toContain('initialement le jeudi 28 janvier 2027');
    expect(await page.getByRole('heading', { level: 3, name: /jeudi 4 février 2027/ }).count()).toBe(1);
    expect(await sessionOn('2027-02-04')).toMatchObject({ id: january.id, originalDate: '2027-01-28', status: 'scheduled' });

    // Add: the end before the start is refused, then an extra session with Alice's desk.
    const addForm = page.locator('section', { has: page.locator('#titre-ajouter') });
    await addForm.locator('#f-date').fill('2027-03-11');
    await addForm.getByLabel('Heure de début').fill('16:00');
    await addForm.getByLabel('Heure de fin').fill('14:00');
    await addForm.getByLabel('Durée d’un créneau, en minutes').fill('30');
    await addForm.getByLabel('Lieu').fill('Maison de l’ESS');
    await addForm.getByLabel('Alice Conseil').check();
    expect(await submit(page, addForm.getByRole('button', { name: 'Ajouter la permanence' }))).toBe(422);
    expect(await page.locator('#f-endTime-error').textContent()).toBe('Doit être après l’heure de début.');
    expect(await page.locator('#resume-erreurs').textContent()).toContain('La permanence n’a pas été ajoutée.');
    expect(await addForm.getByLabel('Alice Conseil').isChecked()).toBe(true);
    expect(await addForm.getByLabel('Lieu').inputValue()).toBe('Maison de l’ESS');
    await checkPage(page, 'staff-sessions-add-error');
    await addForm.getByLabel('Heure de début').fill('14:00');
    await addForm.getByLabel('Heure de fin').fill('16:00');
    expect(await submit(page, addForm.getByRole('button', { name: 'Ajouter la permanence' }))).toBe(303);
    await page.waitForURL(/\?fait=ajoutee/);
    expect(await page.getByRole('status').textContent()).toContain('permanence exceptionnelle est ajoutée');
    const extra = await sessionOn('2027-03-11');
    expect(extra).toMatchObject({ location: 'Maison de l’ESS', status: 'scheduled' });
    expect(extra.slots.map((slot) => slot.startsAt)).toEqual([
      '2027-03-11T13:00:00.000Z',
      '2027-03-11T13:30:00.000Z',
      '2027-03-11T14:00:00.000Z',
      '2027-03-11T14:30:00.000Z',
    ]);
    expect(extra.slots.every((slot) => slot.advisor?.name === 'Alice Conseil')).toBe(true);
    expect(await page.locator(`#permanence-${extra.id}`).textContent()).toContain('14:00–16:00 · Maison de l’ESS');

    // Staff a desk per advisor.
    card = page.locator(`#permanence-${february.id}`);
    await card.locator('summary', { hasText: 'Changer les conseiller·ères' }).click();
    await card.getByLabel('Alice Conseil').check();
    await card.getByLabel('Bruno Conseil').check();
    expect(await submit(page, card.getByRole('button', { name: 'Enregistrer les conseiller·ères du jeudi 25 février 2027' }))).toBe(303);
    await page.waitForURL(/\?fait=conseillers/);
    card = page.locator(`#permanence-${february.id}`);
    const desks = await card.locator('dl.details').textContent();
    expect(desks).toContain('Alice Conseil');
    expect(desks).toContain('Bruno Conseil');
    expect(desks).not.toContain('sans conseiller');
    const staffed = await sessionOn('2027-02-25');
    expect(new Set(staffed.slots.map((slot) => slot.advisor?.id))).toEqual(new Set([alice.id, bruno.id]));
    await checkPage(page, 'staff-sessions-done');

    // A desk holding a booking is not taken away: the rule's message is shown on the page.
    const brunoSlot = staffed.slots.find((slot) => slot.advisor?.id === bruno.id)!;
    expect((await api.post('/api/bookings', bookingRequest(brunoSlot.id))).status).toBe(201);
    await page.reload();
    card = page.locator(`#permanence-${february.id}`);
    const seats = staffed.slots.reduce((sum, slot) => sum + slot.capacity, 0);
    expect(seats).toBe(8);
    expect(await card.locator('dl.details').textContent()).toContain(`1 place réservée sur ${seats}`);
    await card.locator('summary', { hasText: 'Changer les conseiller·ères' }).click();
    await card.getByLabel('Bruno Conseil').uncheck();
    expect(await submit(page, card.getByRole('button', { name: 'Enregistrer les conseiller·ères du jeudi 25 février 2027' }))).toBe(422);
    card = page.locator(`#permanence-${february.id}`);
    expect(await card.locator(`#f-${february.id}-staff-message`).textContent()).toContain('Un conseiller retiré a encore des rendez-vous');
    expect(await card.locator(`#f-${february.id}-staff-message`).isVisible()).toBe(true);
    expect(await page.locator('#resume-erreurs').textContent()).toContain('Un conseiller retiré a encore des rendez-vous');
    expect(new Set((await sessionOn('2027-02-25')).slots.map((slot) => slot.advisor?.id))).toEqual(new Set([alice.id, bruno.id]));
    await checkPage(page, 'staff-sessions-desk-error');
    await context.close();
  });

  it('keeps a permanence under way today in the list, with its bookings link but no form that changes it', async () => {
    const march = (await listSessions(client(app.baseUrl), '2027-03-25', '2027-03-25'))[0];
    const { context, page } = await newVisitor(browser, app.baseUrl);
    app.clock.set('2027-03-25T09:30:00Z'); // 10:30 in Paris, the session runs 09:00–13:00
    try {
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.goto('/staff/permanences');
      const card = page.locator(`#permanence-${march.id}`);
      await expect(card.getByRole('heading', { level: 3 }).textContent()).resolves.toBe('jeudi 25 mars 2027 en cours');
      await expect(card.getByRole('link', { name: 'Les rendez-vous du jeudi 25 mars 2027' }).count()).resolves.toBe(1);
      await expect(card.locator('summary').count()).resolves.toBe(0);
      await expect(card.textContent()).resolves.toContain('Cette permanence a commencé');
      await checkPage(page, 'staff-sessions-under-way');
      app.clock.set('2027-03-25T12:00:01Z'); // ended
      await page.reload();
      await expect(page.locator(`#permanence-${march.id}`).count()).resolves.toBe(0);
    } finally {
      app.clock.set('2026-11-27T10:00:00Z');
      await context.close();
    }
  });
});
