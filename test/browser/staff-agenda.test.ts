import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

/** The December permanence (last Thursday), 09:00–13:00 Paris. */
const DAY = '2026-12-31';

interface Staff {
  id: string;
  email: string;
  password: string;
  name: string;
}

describe('the advisors’ staff pages in a real browser: agenda, attendance, calendar feed', () => {
  let app: TestApp;
  let api: Client;
  let browser: Browser;
  let alice: Staff;
  let bruno: Staff;
  const bookings: Record<string, { id: string }> = {};

  /** A fresh browser profile, signed in through the login page. */
  async function signedIn(user: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
    const visitor = await newVisitor(browser, app.baseUrl);
    await signIn(visitor.page, user.email, user.password);
    return visitor;
  }

  /** Clicks `button` and returns the answer to the form it posts (before any redirect is followed). */
  async function post(page: Page, click: () => Promise<void>): Promise<Response> {
    const [response] = await Promise.all([page.waitForResponse((candidate) => candidate.request().method() === 'POST'), click()]);
    await page.waitForLoadState();
    return response;
  }

  const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  async function attendanceOf(id: string) {
    const [row] = await app.dataSource.query(`SELECT attendance, attendance_note AS note, attendance_recorded_by AS "by" FROM bookings WHERE id = $1`, [id]);
    return row;
  }

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    browser = await launchBrowser();
    const admin = await adminToken(api);
    alice = await createStaff(api, admin, 'advisor', 'Alice Martin');
    bruno = await createStaff(api, admin, 'advisor', 'Bruno Durand');
    const [december] = await listSessions(api, DAY, DAY);
    const staffed = await api.put(`/api/permanences/${december.id}/advisors`, { advisorIds: [alice.id, bruno.id] }, admin);
    expect(staffed.status).toBe(200);
    const slotsOf = (advisor: Staff) => staffed.body.slots.filter((slot: { advisor: { id: string } }) => slot.advisor.id === advisor.id);
    const book = async (request: object) => {
      const response = await api.post('/api/bookings', request);
      if (response.status !== 201) throw new Error(`booking failed: ${response.status} ${response.text}`);
      return response.body;
    };
    bookings.camille = await book(
      bookingRequest(slotsOf(alice)[0].id, {
        attendee: { name: 'Camille Martin', email: 'camille@asso.test' },
        organisation: { name: 'Coop des Lilas', legalForm: 'cooperative', postcode: '42000' },
        topics: ['legal_status'],
        message: 'Nous envisageons de passer en SCIC.',
      }),
    );
    bookings.eve = await book(
      bookingRequest(slotsOf(bruno)[1].id, { attendee: { name: 'Eve Leroy', email: 'eve@asso.test' }, organisation: { name: 'Asso du Pont' } }),
    );
    const workshop = await createWorkshop(api, admin, {
      title: 'Les statuts de la SCIC',
      capacity: 1,
      startsAt: '2026-12-31T14:00:00+01:00',
      endsAt: '2026-12-31T17:30:00+01:00',
    });
    bookings.farid = await book(registrationRequest(workshop.id, { attendee: { name: 'Farid Benali', email: 'farid@asso.test' } }));
    bookings.gaelle = await book(registrationRequest(workshop.id, { attendee: { name: 'Gaëlle Roux', email: 'gaelle@asso.test' } }));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('sends a signed-out visitor to the login page and back, and refuses the agenda and the feed to a viewer', async () => {
    app.clock.set('2026-11-27T10:00:00Z');
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.goto(`/staff/agenda?date=${DAY}`);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/staff/connexion');
    expect(url.searchParams.get('suite')).toBe(`/staff/agenda?date=${DAY}`);
    await page.getByLabel('Adresse e-mail').fill(alice.email);
    await page.getByLabel('Mot de passe').fill(alice.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((next) => next.pathname === '/staff/agenda');
    expect(new URL(page.url()).searchParams.get('date')).toBe(DAY);
    expect(await h1(page)).toBe('Agenda du jeudi 31 décembre 2026');
    await context.close();

    const viewer = await createStaff(api, await adminToken(api), 'viewer', 'Valérie Métropole');
    const signedInViewer = await signedIn(viewer);
    const refused = await signedInViewer.page.goto(`/staff/agenda?date=${DAY}`);
    expect(refused?.status()).toBe(403);
    expect(await h1(signedInViewer.page)).toBe('Action impossible');
    expect(await signedInViewer.page.getByRole('alert').textContent()).toContain('Votre rôle ne permet pas d’ouvrir cette page.');
    expect(await signedInViewer.page.getByText('Camille Martin').count()).toBe(0);
    expect((await signedInViewer.page.goto('/staff/flux'))?.status()).toBe(403);
    await signedInViewer.context.close();
  });

  it('shows an advisor their desk’s day, offers attendance only once the event has started, then records and corrects it', async () => {
    app.clock.set('2026-11-27T10:00:00Z');
    const { context, page } = await signedIn(alice);
    // Signing in lands on the agenda; today has nothing booked, so it shows the next day that has (test/browser/staff-day.test.ts).
    expect(new URL(page.url()).pathname).toBe('/staff/agenda');
    expect(await h1(page)).toBe(`Agenda du jeudi 31 décembre 2026`);
    // Today, asked for by its date, is shown empty.
    await page.goto('/staff/agenda?date=2026-11-27');
    expect(await h1(page)).toBe('Agenda du vendredi 27 novembre 2026');
    expect(await page.getByText('Aucun créneau de permanence ni atelier ce jour-là.').isVisible()).toBe(true);
    await checkPage(page, 'staff-agenda-empty-day');

    // The date picker.
    await page.getByLabel('Date').fill(DAY);
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/date=2026-12-31/);
    expect(await h1(page)).toBe('Agenda du jeudi 31 décembre 2026');
    expect(await page.locator('main p.meta').first().textContent()).toBe('Votre bureau');
    const items = await page.getByRole('heading', { level: 3 }).allTextContents();
    expect(items.map((heading) => heading.slice(0, 5))).toEqual(['09:00', '10:00', '11:00', '12:00', '14:00']);
    expect(items.slice(0, 4).every((heading) => heading.endsWith('Permanence — Alice Martin'))).toBe(true);
    expect(items[4]).toBe('14:00–17:30 · Atelier « Les statuts de la SCIC »');
    expect(await page.getByText('Créneau libre').count()).toBe(3);

    const camille = page.locator(`#reservation-${bookings.camille.id}`);
    expect(await camille.getByRole('heading', { level: 4 }).textContent()).toBe('Camille Martin — Coop des Lilas');
    const details = await camille.locator('dl').textContent();
    for (const shown of [
      'camille@asso.test',
      'Coopérative (SCOP, SCIC, CAE…)',
      '42000',
      'Évolution des statuts',
      'Nous envisageons de passer en SCIC.',
      'Confirmé',
      'Pas encore notée',
    ])
      expect(details).toContain(shown);
    // The legal form's label has its own parenthesis: none is added around it.
    expect(details).toContain('Coop des Lilas · Coopérative (SCOP, SCIC, CAE…) · 42000');
    expect(details).not.toContain('))');
    // Only their own desk: Bruno's booking is not there; the workshop's registrations are.
    expect(await page.getByText('Eve Leroy').count()).toBe(0);
    expect(await page.locator(`#reservation-${bookings.farid.id} h4`).textContent()).toMatch(/^Farid Benali — Association [0-9a-f]{8}$/);
    expect(await page.locator(`#reservation-${bookings.gaelle.id}`).textContent()).toContain('Liste d’attente, position 1');
    expect(await page.getByRole('row', { name: /Présences/ }).textContent()).toContain('2 à noter (sur 2 rendez-vous ou inscriptions)');
    // A month before the day: no attendance buttons yet, only when they will come.
    expect(await page.getByRole('button', { name: /^(Présent|Absent|Excusé) pour/ }).count()).toBe(0);
    expect(await camille.locator('p.hint').textContent()).toBe('La présence se notera à partir de 09:00, quand le rendez-vous aura commencé.');
    const farid = page.locator(`#reservation-${bookings.farid.id}`);
    expect(await farid.locator('p.hint').textContent()).toBe('La présence se notera à partir de 14:00, quand l’atelier aura commencé.');
    expect(await page.locator(`#reservation-${bookings.gaelle.id} p.hint`).count()).toBe(0);
    await checkPage(page, 'staff-agenda-day');

    // A form posted before the start all the same (an old tab, a crafted request): refused on the same day's agenda, nothing written.
    const early = await page.request.post(`/staff/agenda/presences/${bookings.camille.id}`, {
      form: { _csrf: await page.locator('input[name=_csrf]').first().inputValue(), date: DAY, conseiller: '', status: 'present', note: '' },
      maxRedirects: 0,
    });
    expect(early.status()).toBe(422);
    expect(await early.text()).toContain('Présence non enregistrée pour Camille Martin : La présence se note une fois le rendez-vous commencé.');
    expect((await attendanceOf(bookings.camille.id)).attendance).toBeNull();

    // During the appointment. The session of 27 November has expired: the page asks to sign in again.
    app.clock.set('2026-12-31T08:05:00Z');
    await page.goto(`/staff/agenda?date=${DAY}`);
    expect(new URL(page.url()).pathname).toBe('/staff/connexion');
    await signIn(page, alice.email, alice.password);
    expect(await h1(page)).toBe('Agenda du jeudi 31 décembre 2026');
    expect(await page.locator('main p.meta').first().textContent()).toBe('Votre bureau · aujourd’hui');

    await camille.getByLabel('Note (facultatif) pour Camille Martin').fill('Arrivée à l’heure');
    const recorded = await post(page, () => camille.getByRole('button', { name: 'Présent pour Camille Martin' }).click());
    expect(recorded.status()).toBe(303);
    expect(new URL(page.url()).searchParams.get('date')).toBe(DAY);
    expect(await page.getByRole('status').textContent()).toBe('Présence enregistrée pour Camille Martin : présent.');
    expect(await camille.locator('dd.attendance').textContent()).toBe('Présent — Arrivée à l’heureNotée par Alice Martin le 31/12/2026 à 09:05');
    expect(await camille.locator('dd.attendance small.recorded').textContent()).toBe('Notée par Alice Martin le 31/12/2026 à 09:05');
    const token = await login(api, alice.email, alice.password);
    const day = await api.get(`/api/agenda?date=${DAY}`, token);
    expect(day.body.items[0].bookings[0]).toMatchObject({ id: bookings.camille.id, attendance: 'present', attendanceNote: 'Arrivée à l’heure' });
    expect(await attendanceOf(bookings.camille.id)).toEqual({ attendance: 'present', note: 'Arrivée à l’heure', by: alice.id });
    await checkPage(page, 'staff-agenda-attendance-recorded');

    // Corrected: absent after all, without a note.
    await camille.getByLabel('Note (facultatif) pour Camille Martin').fill('');
    const corrected = await post(page, () => camille.getByRole('button', { name: 'Absent pour Camille Martin' }).click());
    expect(corrected.status()).toBe(303);
    expect(await page.getByRole('status').textContent()).toBe('Présence enregistrée pour Camille Martin : absent.');
    expect(await camille.locator('dd.attendance').textContent()).toBe('AbsentNotée par Alice Martin le 31/12/2026 à 09:05');
    expect((await api.get(`/api/agenda?date=${DAY}`, token)).body.items[0].bookings[0]).toMatchObject({ attendance: 'absent', attendanceNote: null });
    expect(await page.getByRole('row', { name: /Présences/ }).textContent()).toContain('0 présent, 1 absent, 0 excusé, 1 à noter');

    // The afternoon's workshop has not started yet: its registration waits; someone waiting for a seat never has buttons.
    expect(await page.getByRole('button', { name: 'Excusé pour Farid Benali' }).count()).toBe(0);
    expect(await page.locator(`#reservation-${bookings.farid.id} p.hint`).textContent()).toContain('à partir de 14:00');
    expect(await page.getByRole('button', { name: 'Présent pour Gaëlle Roux' }).count()).toBe(0);
    app.clock.set('2026-12-31T13:00:00Z');
    await page.reload();
    expect(await page.getByRole('button', { name: 'Excusé pour Farid Benali' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Présent pour Gaëlle Roux' }).count()).toBe(0);
    await context.close();
  });

  it('moves from day to day, back to today, and shows the API’s error for a wrong date or someone else’s desk', async () => {
    app.clock.set('2026-12-31T08:05:00Z');
    const { context, page } = await signedIn(alice);
    expect(await h1(page)).toBe('Agenda du jeudi 31 décembre 2026');

    await page.getByRole('link', { name: 'Jour suivant : vendredi 1er janvier 2027' }).click();
    await page.waitForURL(/date=2027-01-01/);
    expect(await h1(page)).toBe('Agenda du vendredi 1er janvier 2027');
    expect(await page.getByText('Aucun créneau de permanence ni atelier ce jour-là.').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Jour précédent : jeudi 31 décembre 2026' }).click();
    await page.waitForURL(/date=2026-12-31/);
    expect(await page.getByText('Camille Martin — Coop des Lilas').count()).toBe(1);
    await page.getByRole('link', { name: /Jour précédent/ }).click();
    await page.waitForURL(/date=2026-12-30/);
    expect(await h1(page)).toBe('Agenda du mercredi 30 décembre 2026');
    await page.getByRole('link', { name: 'Aujourd’hui' }).click();
    await page.waitForURL((url) => url.pathname === '/staff/agenda' && !url.searchParams.has('date'));
    expect(await h1(page)).toBe('Agenda du jeudi 31 décembre 2026');

    const wrong = await page.goto('/staff/agenda?date=2026-12-32');
    // The status every page gives a refused form (src/web/forms.ts), and the date as people write it.
    expect(wrong?.status()).toBe(422);
    expect(await page.getByRole('alert').isVisible()).toBe(true);
    expect(await page.locator('#f-date-error').textContent()).toBe('Indiquez une date valide, par exemple 31/12/2026.');
    expect(await page.getByRole('alert').getByRole('link', { name: 'Indiquez une date valide, par exemple 31/12/2026.' }).getAttribute('href')).toBe('#f-date');
    expect(await page.getByLabel('Date').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('link', { name: 'Aujourd’hui' }).getAttribute('href')).toBe('/staff/agenda');
    await checkPage(page, 'staff-agenda-invalid-date');

    const nosy = await page.goto(`/staff/agenda?date=${DAY}&conseiller=${bruno.id}`);
    expect(nosy?.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('Vous ne voyez que votre propre agenda.');
    expect(await page.getByText('Eve Leroy').count()).toBe(0);
    await context.close();
  });

  it('lets an admin see every desk, switch to one advisor, and record attendance there', async () => {
    app.clock.set('2026-12-31T09:10:00Z');
    const { context, page } = await signedIn(ADMIN);
    await page.goto(`/staff/agenda?date=${DAY}`);
    expect(await page.locator('main p.meta').first().textContent()).toContain('Tous les bureaux');
    expect(await page.getByText('Camille Martin — Coop des Lilas').count()).toBe(1);
    expect(await page.getByText('Eve Leroy — Asso du Pont').count()).toBe(1);
    expect(await page.getByLabel('Bureau').inputValue()).toBe('');

    await page.getByLabel('Bureau').selectOption({ label: 'Bruno Durand' });
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(new RegExp(`conseiller=${bruno.id}`));
    expect(await page.locator('main p.meta').first().textContent()).toContain('Bureau de Bruno Durand');
    expect(await page.getByText('Eve Leroy — Asso du Pont').count()).toBe(1);
    expect(await page.getByText('Camille Martin').count()).toBe(0);
    expect(await page.getByLabel('Bureau').inputValue()).toBe(bruno.id);
    await checkPage(page, 'staff-agenda-admin');

    // Recording sends back to the same advisor's day.
    const eve = page.locator(`#reservation-${bookings.eve.id}`);
    const recorded = await post(page, () => eve.getByRole('button', { name: 'Excusé pour Eve Leroy' }).click());
    expect(recorded.status()).toBe(303);
    const back = new URL(page.url());
    expect([back.searchParams.get('date'), back.searchParams.get('conseiller')]).toEqual([DAY, bruno.id]);
    expect(await page.getByRole('status').textContent()).toBe('Présence enregistrée pour Eve Leroy : excusé.');
    expect(await eve.locator('dd.attendance').textContent()).toBe('ExcuséNotée par Administrateur le 31/12/2026 à 10:10');
    expect(await attendanceOf(bookings.eve.id)).toMatchObject({ attendance: 'excused', by: expect.any(String) });

    // The chosen advisor stays when moving to another day.
    await page.getByRole('link', { name: /Jour suivant/ }).click();
    await page.waitForURL(/date=2027-01-01/);
    expect(new URL(page.url()).searchParams.get('conseiller')).toBe(bruno.id);
    expect(await page.getByLabel('Bureau').inputValue()).toBe(bruno.id);
    await context.close();
  });

  it('gives an advisor a private feed address that works, and renewing it retires the old one at once', async () => {
    app.clock.set('2026-11-27T10:00:00Z');
    const { context, page } = await signedIn(alice);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    await page.getByRole('link', { name: 'Mon calendrier' }).click();
    await page.waitForURL(/\/staff\/flux$/);
    expect(await h1(page)).toBe('Mon calendrier personnel');
    const address = page.getByLabel('Adresse de votre calendrier (iCal)');
    const url = await address.inputValue();
    expect(url).toMatch(/^https?:\/\/[^/]+\/calendar\/advisors\/[A-Za-z0-9_-]{20,}\.ics$/);
    expect(await address.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('link', { name: 'S’abonner directement (webcal)' }).getAttribute('href')).toBe(url.replace(/^https?:/, 'webcal:'));
    const feed = await fetch(`${app.baseUrl}${new URL(url).pathname}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    const ics = (await feed.text()).replace(/\r\n[ \t]/g, '');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('Coop des Lilas (Camille Martin)');
    expect(ics).not.toContain('Eve Leroy');

    // The script shows the "Copier" button, which puts the address on the clipboard.
    const copy = page.getByRole('button', { name: /^Copier/ });
    expect(await copy.isVisible()).toBe(true);
    await copy.click();
    await page.getByRole('button', { name: 'Copié' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await checkPage(page, 'staff-feed');

    page.once('dialog', (dialog) => void dialog.accept());
    const renewed = await post(page, () => page.getByRole('button', { name: 'Renouveler le lien' }).click());
    expect(renewed.status()).toBe(303);
    expect(await page.getByRole('status').textContent()).toContain('l’ancien lien ne fonctionne plus');
    const newUrl = await page.getByLabel('Adresse de votre calendrier (iCal)').inputValue();
    expect(newUrl).not.toBe(url);
    expect((await fetch(`${app.baseUrl}${new URL(url).pathname}`)).status).toBe(404);
    expect((await fetch(`${app.baseUrl}${new URL(newUrl).pathname}`)).status).toBe(200);
    expect((await api.get('/api/auth/me/feed', await login(api, alice.email, alice.password))).body.url).toBe(newUrl);
    await checkPage(page, 'staff-feed-renewed');
    await context.close();
  });
});
