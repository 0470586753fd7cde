import { eventStamps, utcStampOf } from './support/calendar-stamps';
import { adminToken, bookingRequest, createWorkshop, listSessions, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * updated_at is the calendar's DTSTAMP, so it must come from the injected Clock like every other
 * time the service writes, never from PostgreSQL's own clock (TypeORM's CURRENT_TIMESTAMP, now()).
 * Each instant below is days away from the machine's time, and distinct from the others.
 */
describe('row changes and the injected clock', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });
  afterAll(() => app.close());

  async function rawGetText(url: string): Promise<string> {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return response.text();
  }

  /** Sets the clock, and signs the admin in again, as a token expires by the clock. */
  async function at(instant: string): Promise<void> {
    app.clock.set(instant);
    admin = await adminToken(api);
  }

  async function updatedAt(table: 'bookings' | 'workshops' | 'permanence_sessions' | 'permanence_series' | 'organisations', id: string): Promise<Date> {
    const [row] = await app.dataSource.query(`SELECT updated_at AS "updatedAt" FROM ${table} WHERE id = $1`, [id]);
    return row.updatedAt;
  }

  async function publicStamp(uid: string) {
    return eventStamps(await rawGetText(`${app.baseUrl}/calendar/public.ics`)).find((stamp) => stamp.uid === uid);
  }

  it('stamps a booking, its cancellation and its calendar file with the clock’s time', async () => {
    const [march] = await listSessions(api, '2027-03-01', '2027-03-31');
    await at('2026-11-28T08:15:42Z');
    const booking = (await api.post('/api/bookings', bookingRequest(march.slots[0].id))).body;
    const file = `${app.baseUrl}/api/bookings/${booking.id}/invite.ics?token=${booking.manageToken}`;
    expect(await updatedAt('bookings', booking.id)).toEqual(new Date('2026-11-28T08:15:42Z'));
    expect(eventStamps(await rawGetText(file))).toEqual([utcStampOf(`${booking.id}@rendez-vous-ess`, new Date('2026-11-28T08:15:42Z'))]);

    await at('2026-11-29T17:03:09Z');
    expect((await api.post(`/api/bookings/${booking.id}/reschedule`, { slotId: march.slots[1].id }, booking.manageToken)).status).toBe(200);
    expect(await updatedAt('bookings', booking.id)).toEqual(new Date('2026-11-29T17:03:09Z'));

    await at('2026-11-30T06:44:01Z');
    expect((await api.post(`/api/bookings/${booking.id}/cancel`, {}, booking.manageToken)).status).toBe(200);
    expect(await updatedAt('bookings', booking.id)).toEqual(new Date('2026-11-30T06:44:01Z'));
    expect(eventStamps(await rawGetText(file))).toEqual([utcStampOf(`${booking.id}@rendez-vous-ess`, new Date('2026-11-30T06:44:01Z'))]);
  });

  it('stamps a workshop’s creation, change and cancellation, and a registration on it, with the clock’s time', async () => {
    await at('2026-12-01T09:10:11Z');
    const workshop = await createWorkshop(api, admin);
    const uid = `workshop-${workshop.id}@rendez-vous-ess`;
    expect(await updatedAt('workshops', workshop.id)).toEqual(new Date('2026-12-01T09:10:11Z'));
    expect(await publicStamp(uid)).toEqual(utcStampOf(uid, new Date('2026-12-01T09:10:11Z')));

    await at('2026-12-02T10:20:30Z');
    const registration = (await api.post('/api/bookings', registrationRequest(workshop.id))).body;
    expect(await updatedAt('bookings', registration.id)).toEqual(new Date('2026-12-02T10:20:30Z'));

    await at('2026-12-03T11:22:33Z');
    expect((await api.patch(`/api/workshops/${workshop.id}`, { location: 'Salle B, Maison de l’ESS' }, admin)).status).toBe(200);
    expect(await updatedAt('workshops', workshop.id)).toEqual(new Date('2026-12-03T11:22:33Z'));
    expect(await publicStamp(uid)).toEqual(utcStampOf(uid, new Date('2026-12-03T11:22:33Z')));

    await at('2026-12-04T12:34:56Z');
    expect((await api.post(`/api/workshops/${workshop.id}/cancel`, { reason: 'Intervenante malade' }, admin)).status).toBe(200);
    expect(await updatedAt('workshops', workshop.id)).toEqual(new Date('2026-12-04T12:34:56Z'));
    expect(await updatedAt('bookings', registration.id)).toEqual(new Date('2026-12-04T12:34:56Z'));
  });

  it('stamps a session’s move and cancellation with the clock’s time', async () => {
    const [april, may] = await listSessions(api, '2027-04-01', '2027-05-31');
    const uid = (id: string) => `permanence-${id}@rendez-vous-ess`;

    await at('2026-12-05T13:14:15Z');
    expect((await api.post(`/api/permanences/${april.id}/move`, { date: '2027-04-28' }, admin)).status).toBe(200);
    expect(await updatedAt('permanence_sessions', april.id)).toEqual(new Date('2026-12-05T13:14:15Z'));
    expect(await publicStamp(uid(april.id))).toEqual(utcStampOf(uid(april.id), new Date('2026-12-05T13:14:15Z')));

    await at('2026-12-06T14:15:16Z');
    expect((await api.post(`/api/permanences/${may.id}/cancel`, { reason: 'Locaux fermés' }, admin)).status).toBe(200);
    expect(await updatedAt('permanence_sessions', may.id)).toEqual(new Date('2026-12-06T14:15:16Z'));
    expect(await publicStamp(uid(may.id))).toEqual(utcStampOf(uid(may.id), new Date('2026-12-06T14:15:16Z')));
  });

  it('stamps an organisation’s correction and merge with the clock’s time', async () => {
    const [march] = await listSessions(api, '2027-03-01', '2027-03-31');
    const organisationOf = async (bookingId: string): Promise<string> =>
      (await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [bookingId]))[0].id;
    const book = async (slotId: string, name: string) => {
      const response = await api.post('/api/bookings', bookingRequest(slotId, { organisation: { name, legalForm: 'association', postcode: '42000' } }));
      expect(response.status).toBe(201);
      return response.body;
    };
    const kept = await book(march.slots[2].id, 'Atelier vélo solidaire');
    const duplicate = await book(march.slots[3].id, 'Atelier du vélo solidaire');
    const [keptId, duplicateId] = [await organisationOf(kept.id), await organisationOf(duplicate.id)];
    expect(keptId).not.toBe(duplicateId);

    await at('2026-12-07T15:16:17Z');
    expect((await api.patch(`/api/organisations/${keptId}`, { commune: 'Saint-Étienne' }, admin)).status).toBe(200);
    expect(await updatedAt('organisations', keptId)).toEqual(new Date('2026-12-07T15:16:17Z'));

    await at('2026-12-08T16:17:18Z');
    expect((await api.post(`/api/organisations/${duplicateId}/merge`, { into: keptId }, admin)).status).toBe(200);
    expect(await updatedAt('organisations', duplicateId)).toEqual(new Date('2026-12-08T16:17:18Z'));
  });
});
