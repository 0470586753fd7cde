import { PermanencesService } from '../src/permanences/permanences.service';
import { adminToken, bookingRequest, listSessions } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** The manage page offers these slots to move a booking to: the rule is the service's, not the page's. */
describe(`${PermanencesService.name}.movableTo`, () => {
  let app: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });
  afterAll(() => app.close());

  it('offers the free slots of scheduled sessions, not the booking’s own, a cancelled session’s or a taken one', async () => {
    const [december, january] = await listSessions(api, '2026-12-01', '2027-01-31');
    const own = (await api.post('/api/bookings', bookingRequest(december.slots[0].id))).body;
    const taken = december.slots[1];
    for (let seat = 0; seat < taken.available; seat++) expect((await api.post('/api/bookings', bookingRequest(taken.id))).status).toBe(201);
    expect((await api.post(`/api/permanences/${january.id}/cancel`, { reason: 'Locaux fermés' }, admin)).status).toBe(200);

    const offered = await app.app.get(PermanencesService).movableTo(own.slotId);
    const ids = offered.map((slot) => slot.id);
    expect(ids).toContain(december.slots[2].id);
    expect(ids).not.toContain(own.slotId);
    expect(ids).not.toContain(taken.id);
    for (const slot of january.slots) expect(ids).not.toContain(slot.id);
    expect(offered.every((slot) => slot.available > 0 && slot.timeZone === 'Europe/Paris')).toBe(true);
  });
});
