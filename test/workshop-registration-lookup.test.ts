import { WorkshopsService } from '../src/workshops/workshops.service';
import { adminToken, createWorkshop, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** The staff page cancels a registration by its workshop's address: the rule that it belongs there is the service's. */
describe(`${WorkshopsService.name}.registration`, () => {
  let app: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });
  afterAll(() => app.close());

  it('finds a live registration under its own workshop only, and not once cancelled', async () => {
    const workshops = app.app.get(WorkshopsService);
    const [own, other] = [await createWorkshop(api, admin), await createWorkshop(api, admin, { title: 'Achats responsables' })];
    const registration = (await api.post('/api/bookings', registrationRequest(own.id))).body;
    expect(await workshops.registration(own.id, registration.id)).toMatchObject({ id: registration.id, status: 'confirmed' });
    await expect(workshops.registration(other.id, registration.id)).rejects.toMatchObject({ code: 'booking_not_found' });
    expect((await api.post(`/api/bookings/${registration.id}/cancel`, {}, registration.manageToken)).status).toBe(200);
    await expect(workshops.registration(own.id, registration.id)).rejects.toMatchObject({ code: 'booking_not_found' });
  });
});
