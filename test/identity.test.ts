import { adminToken, bookingRequest, listSessions } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** CRESS_NAME names the programme wherever a permanence or its place is written; no literal 'CRESS' stands in for it. */
describe('the configured CRESS name on permanences', () => {
  const CRESS = 'CRESS Normandie';
  let app: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z', env: { CRESS_NAME: CRESS } });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });
  afterAll(() => app.close());

  it('names the default series and its place to be announced after the configured CRESS', async () => {
    const series = await api.get('/api/permanences/series', admin);
    expect(series.status).toBe(200);
    expect(series.body).toEqual([expect.objectContaining({ name: `Permanence de la ${CRESS}`, location: `Lieu communiqué par la ${CRESS}` })]);
    const [session] = await listSessions(api, '2026-12-31', '2026-12-31');
    expect(session.location).toBe(`Lieu communiqué par la ${CRESS}`);
  });

  it('gives an extra session without a place the configured CRESS as who announces it, and the series’ title in the report', async () => {
    const added = await api.post('/api/permanences', { date: '2026-12-10', startTime: '09:00', endTime: '10:00' }, admin);
    expect(added.status).toBe(201);
    expect(added.body.location).toBe(`Lieu communiqué par la ${CRESS}`);
    const slot = (added.body as { slots: Array<{ id: string }> }).slots[0];
    expect(
      (
        await api.post(
          '/api/bookings',
          bookingRequest(slot.id, { attendee: { name: 'Yanis Roux', email: 'yanis@asso.test' }, organisation: { name: 'Coopérative Roux' } }),
        )
      ).status,
    ).toBe(201);
    const report = await api.get('/api/reports/attendance?from=2026-12-10&to=2026-12-10', admin);
    expect(report.body.rows.map((row: { title: string }) => row.title)).toEqual([`Permanence de la ${CRESS}`]);
  });

  it('titles a permanence booking with the configured CRESS in the register and in the personal-data export', async () => {
    const [session] = await listSessions(api, '2026-12-31', '2026-12-31');
    const booking = await api.post('/api/bookings', bookingRequest(session.slots[0].id, { attendee: { name: 'Inès Morel', email: 'ines@asso.test' } }));
    expect(booking.status).toBe(201);
    const [row] = await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [booking.body.id]);
    const organisation = await api.get(`/api/organisations/${row.id}`, admin);
    expect(organisation.body.bookings.map((entry: { title: string }) => entry.title)).toEqual([`Permanence de la ${CRESS}`]);
    const held = await api.get('/api/personal-data?email=ines@asso.test', admin);
    expect(held.body.bookings.map((entry: { event: { title: string } }) => entry.event.title)).toEqual([`Permanence de la ${CRESS}`]);
  });
});
