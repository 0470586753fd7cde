import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, newVisitor, signIn } from '../support/browser';
import { adminToken, bookingRequest, createWorkshop, listSessions, registrationRequest } from '../support/factories';
import { client, Client } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

const PHONE = { width: 390, height: 844 };

/** How wide the document is: more than the screen means the whole page scrolls sideways. */
function documentWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe('staff pages on a phone (390 px wide), with data in every table', () => {
  let app: TestApp;
  let api: Client;
  let browser: Browser;
  let workshopId: string;
  let organisationId: string;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    const admin = await adminToken(api);
    const [session] = await listSessions(api, '2026-12-31', '2026-12-31');
    const people = [
      {
        name: 'Camille Martin-Delacroix',
        email: 'camille.martin-delacroix@cooperative-alpha-saint-etienne.test',
        organisation: 'Coopérative d’activités et d’emploi Alpha Saint-Étienne Métropole',
      },
      { name: 'Eve Blanc', email: 'eve@entraide.test', organisation: 'Entraide Loire' },
    ];
    for (const [index, person] of people.entries()) {
      const response = await api.post(
        '/api/bookings',
        bookingRequest(session.slots[index].id, {
          attendee: { name: person.name, email: person.email, phone: '04 77 00 00 0' + String(index + 1) },
          organisation: { name: person.organisation, legalForm: 'cooperative', postcode: '42000' },
          topics: ['legal_status', 'responsible_purchasing', 'essaimage'],
          message: 'Nous voudrions parler de la transformation de notre association en société coopérative d’intérêt collectif.',
        }),
      );
      expect(response.status).toBe(201);
    }
    const workshop = await createWorkshop(api, admin, { title: 'Entreprises de l’ESS : la société à mission et l’agrément ESUS', capacity: 1 });
    workshopId = workshop.id;
    for (const [index, person] of people.entries()) {
      const response = await api.post(
        '/api/bookings',
        registrationRequest(workshop.id, { attendee: { name: person.name, email: person.email }, organisation: { name: person.organisation } }),
      );
      expect([response.status, response.body.status]).toEqual([201, index === 0 ? 'confirmed' : 'waitlisted']);
    }
    const listed = await api.get('/api/organisations', admin);
    organisationId = listed.body.find((entry: { name: string }) => entry.name.startsWith('Coopérative')).id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('never makes a staff page wider than the phone, and keeps every page accessible there', async () => {
    const { context, page } = await newVisitor(browser, app.baseUrl);
    await page.setViewportSize(PHONE);
    await signIn(page, ADMIN.email, ADMIN.password);
    const pages: Array<[string, string]> = [
      ['/staff/agenda?date=2026-12-31', 'agenda'],
      ['/staff/ateliers', 'workshops'],
      [`/staff/ateliers/${workshopId}`, 'workshop'],
      ['/staff/ateliers/nouveau', 'workshop-new'],
      ['/staff/permanences', 'sessions'],
      ['/staff/organisations', 'organisations'],
      [`/staff/organisations/${organisationId}`, 'organisation'],
      ['/staff/rapports?du=2026-11-01&au=2027-01-31', 'reports'],
      ['/staff/flux', 'feed'],
      ['/staff/courriels', 'mail'],
    ];
    const widths: Record<string, number> = {};
    for (const [path, name] of pages) {
      const response = await page.goto(path);
      expect([path, response?.status()]).toEqual([path, 200]);
      widths[path] = await documentWidth(page);
      await checkPage(page, `staff-phone-${name}`);
    }
    expect(widths).toEqual(Object.fromEntries(pages.map(([path]) => [path, PHONE.width])));
    await context.close();
  });
});
