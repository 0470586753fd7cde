import ICAL from 'ical.js';
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import * as nodeIcal from 'node-ical';
import { eventStamps, utcStampOf } from './support/calendar-stamps';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** A GET with exactly these headers (no Accept unless given), as a calendar client sends it; the body's bytes as they came. */
function rawBytes(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function rawGet(url: string, headers: Record<string, string> = {}) {
  const { bytes, ...rest } = await rawBytes(url, headers);
  return { ...rest, body: bytes.toString('utf8') };
}

/** Both independent parsers must read the feed; ical.js gives the details. */
function parse(body: string) {
  const nodeEvents = Object.values(nodeIcal.sync.parseICS(body)).filter((component) => component?.type === 'VEVENT');
  const calendar = new ICAL.Component(ICAL.parse(body));
  const events = calendar.getAllSubcomponents('vevent').map((event) => ({
    uid: String(event.getFirstPropertyValue('uid')),
    summary: String(event.getFirstPropertyValue('summary')),
    description: String(event.getFirstPropertyValue('description') ?? ''),
    status: String(event.getFirstPropertyValue('status')),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    tzid: event.getFirstProperty('dtstart')!.getParameter('tzid'),
    localStart: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toString(),
    organizer: event.getFirstProperty('organizer'),
    attendees: event.getAllProperties('attendee'),
    url: event.getFirstPropertyValue('url'),
  }));
  expect(nodeEvents).toHaveLength(events.length);
  return { calendar, events, method: calendar.getFirstPropertyValue('method') };
}

describe('calendar feeds', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z', env: { PUBLIC_URL: 'https://rdv.cress.test', CRESS_NAME: 'CRESS Bretagne' } });
    api = client(app.baseUrl);
    admin = await adminToken(api);
  });
  afterAll(() => app.close());

  describe('GET /calendar/public.ics', () => {
    it('lists every session and workshop as a subscribable feed with no personal data', async () => {
      const [december] = await listSessions(api, '2026-12-31', '2026-12-31');
      await api.post(
        '/api/bookings',
        bookingRequest(december.slots[0].id, { attendee: { name: 'Zoé Secrète', email: 'zoe.secrete@asso.test', phone: '06 12 34 56 78' } }),
      );
      const workshop = await createWorkshop(api, admin, { capacity: 5 });
      await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Yann Privé', email: 'yann.prive@asso.test' } }));
      const response = await rawGet(`${app.baseUrl}/calendar/public.ics`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
      const { calendar, events, method } = parse(response.body);
      expect([undefined, null, 'PUBLISH']).toContain(method);
      expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('CRESS Bretagne — permanences et ateliers ESS');
      expect(String(calendar.getFirstPropertyValue('x-wr-caldesc'))).toBe('Les permanences de la CRESS Bretagne et ses ateliers sur les statuts de l’ESS.');
      expect(response.body).toMatch(/\r\nNAME:/);
      expect(response.body).toMatch(/\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n/);
      expect(response.body).toMatch(/\r\nX-PUBLISHED-TTL:PT1H\r\n/);
      expect(calendar.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid'))).toEqual(['Europe/Paris']);
      const sessions = events.filter((event) => event.uid.startsWith('permanence-'));
      expect(sessions).toHaveLength(12);
      expect(sessions[0]).toMatchObject({
        uid: `permanence-${december.id}@rendez-vous-ess`,
        tzid: 'Europe/Paris',
        localStart: '2026-12-31T09:00:00',
        status: 'CONFIRMED',
        summary: 'Permanence de la CRESS Bretagne',
      });
      const listed = events.find((event) => event.uid === `workshop-${workshop.id}@rendez-vous-ess`)!;
      expect(listed.description).toContain('Places restantes : 4 sur 5.');
      expect(listed.description).toContain(`Inscription : https://rdv.cress.test/reserver/atelier/${workshop.id}`);
      expect(listed.url).toBe(`https://rdv.cress.test/reserver/atelier/${workshop.id}`);
      expect(sessions[0].url).toBe('https://rdv.cress.test');
      expect(events.every((event) => event.organizer === null && event.attendees.length === 0)).toBe(true);
      for (const personal of ['Zoé', 'zoe.secrete', '06 12 34', 'Yann', 'yann.prive', 'asso.test']) expect(response.body).not.toContain(personal);
    });

    it('writes DTSTAMP in UTC (RFC 5545 §3.8.7.2), as the row’s last change, and no TIMEZONE-ID line', async () => {
      const body = (await rawGet(`${app.baseUrl}/calendar/public.ics`)).body;
      const rows: Array<{ id: string; updatedAt: Date; kind: string }> = await app.dataSource.query(
        `SELECT id, updated_at AS "updatedAt", 'permanence' AS kind FROM permanence_sessions UNION ALL SELECT id, updated_at, 'workshop' FROM workshops`,
      );
      const expected = new Map(rows.map((row) => [`${row.kind}-${row.id}@rendez-vous-ess`, row.updatedAt]));
      const stamps = eventStamps(body);
      expect(stamps.length).toBeGreaterThan(12);
      for (const stamp of stamps) expect(stamp).toEqual(utcStampOf(stamp.uid, expected.get(stamp.uid)!));
      expect(body).toMatch(/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);
      expect(body).not.toMatch(/^TIMEZONE-ID:/m);
    });

    it('keeps a cancelled session in the feed as STATUS:CANCELLED', async () => {
      const [january] = await listSessions(api, '2027-01-01', '2027-01-31');
      await api.post(`/api/permanences/${january.id}/cancel`, { reason: 'Fermeture exceptionnelle' }, admin);
      const { events } = parse((await rawGet(`${app.baseUrl}/calendar/public.ics`)).body);
      expect(events.find((event) => event.uid === `permanence-${january.id}@rendez-vous-ess`)).toMatchObject({
        status: 'CANCELLED',
        description: expect.stringContaining('Fermeture exceptionnelle'),
      });
    });

    it('is byte-identical while nothing changes, and answers 304 to If-None-Match and If-Modified-Since', async () => {
      const first = await rawGet(`${app.baseUrl}/calendar/public.ics`);
      const second = await rawGet(`${app.baseUrl}/calendar/public.ics`);
      expect(second.body).toBe(first.body);
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      expect(second.headers.etag).toBe(etag);
      const byTag = await rawGet(`${app.baseUrl}/calendar/public.ics`, { 'If-None-Match': etag });
      expect([byTag.status, byTag.body]).toEqual([304, '']);
      const byDate = await rawGet(`${app.baseUrl}/calendar/public.ics`, { 'If-Modified-Since': String(first.headers['last-modified']) });
      expect(byDate.status).toBe(304);
      const stale = await rawGet(`${app.baseUrl}/calendar/public.ics`, { 'If-None-Match': '"not-the-tag"' });
      expect(stale.status).toBe(200);
    });

    it('is sent gzip-compressed, with an ETag of its own, to clients that accept it', async () => {
      const url = `${app.baseUrl}/calendar/public.ics`;
      const plain = await rawBytes(url);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBe('Accept-Encoding');
      const gzip = await rawBytes(url, { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(gzip.status).toBe(200);
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gzip.headers.vary).toBe('Accept-Encoding');
      expect(Number(gzip.headers['content-length'])).toBe(gzip.bytes.length);
      expect(gzip.bytes.length).toBeLessThan(plain.bytes.length / 3);
      expect(gunzipSync(gzip.bytes).equals(plain.bytes)).toBe(true);
      expect(gzip.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}\.gz"$/);
      expect(gzip.headers.etag).not.toBe(plain.headers.etag);
      const again = await rawBytes(url, { 'Accept-Encoding': 'gzip' });
      expect(again.bytes.equals(gzip.bytes)).toBe(true);
      // If-None-Match is compared with the representation chosen; a weak tag matches too.
      expect((await rawBytes(url, { 'Accept-Encoding': 'gzip', 'If-None-Match': String(gzip.headers.etag) })).status).toBe(304);
      expect((await rawBytes(url, { 'Accept-Encoding': 'gzip', 'If-None-Match': `W/${String(gzip.headers.etag)}` })).status).toBe(304);
      expect((await rawBytes(url, { 'If-None-Match': String(gzip.headers.etag) })).status).toBe(200);
      expect((await rawBytes(url, { 'Accept-Encoding': 'gzip', 'If-None-Match': String(plain.headers.etag) })).status).toBe(200);
      const refused = await rawBytes(url, { 'Accept-Encoding': 'gzip;q=0, identity' });
      expect(refused.headers['content-encoding']).toBeUndefined();
      expect(refused.bytes.equals(plain.bytes)).toBe(true);
      const head = await rawBytes(url, { 'Accept-Encoding': 'gzip' }, 'HEAD');
      expect([head.status, head.bytes.length, head.headers['content-length']]).toEqual([200, 0, String(gzip.bytes.length)]);
    });

    it('changes, with a new ETag, when a seat is taken', async () => {
      const before = await rawGet(`${app.baseUrl}/calendar/public.ics`);
      const workshop = (await api.get('/api/workshops')).body[0];
      await api.post('/api/bookings', registrationRequest(workshop.id));
      const after = await rawGet(`${app.baseUrl}/calendar/public.ics`, { 'If-None-Match': String(before.headers.etag) });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      const listed = parse(after.body).events.find((event) => event.uid === `workshop-${workshop.id}@rendez-vous-ess`)!;
      expect(listed.description).toContain('Places restantes : 3 sur 5.');
    });
  });

  describe('an advisor’s private feed', () => {
    it('shows their desk slots with who booked them and why, not their phone, with the workshops', async () => {
      const advisor = await createStaff(api, admin, 'advisor', 'Alice Conseil');
      const token = await login(api, advisor.email, advisor.password);
      const [february] = await listSessions(api, '2027-02-01', '2027-02-28');
      const staffed = await api.put(`/api/permanences/${february.id}/advisors`, { advisorIds: [advisor.id] }, admin);
      await api.post(
        '/api/bookings',
        bookingRequest(staffed.body.slots[1].id, {
          attendee: { name: 'Bérénice', email: 'b@scic.test', phone: '07 00 00 00 01' },
          organisation: { name: 'SCIC du Pilat' },
          topics: ['legal_status'],
        }),
      );
      const link = await api.get('/api/auth/me/feed', token);
      expect(link.body.url).toMatch(/^https:\/\/rdv\.cress\.test\/calendar\/advisors\/[A-Za-z0-9_-]{43}\.ics$/);
      expect(link.body.webcalUrl).toBe(link.body.url.replace('https:', 'webcal:'));
      expect(link.body.url.length).toBeLessThan(256);
      const path = new URL(link.body.url).pathname;
      const feed = await rawGet(`${app.baseUrl}${path}`);
      expect(feed.status).toBe(200);
      expect(feed.body).not.toMatch(/^TIMEZONE-ID:/m);
      for (const stamp of eventStamps(feed.body)) expect([stamp.uid, stamp.icalZone, stamp.nodeIcalZone]).toEqual([stamp.uid, 'UTC', 'Etc/UTC']);
      const { events } = parse(feed.body);
      const booked = events.find((event) => event.summary.startsWith('Rendez-vous'))!;
      expect(booked).toMatchObject({ summary: 'Rendez-vous : SCIC du Pilat (Bérénice)', description: 'Sujets : Évolution des statuts' });
      expect(events.filter((event) => event.summary === 'Créneau libre')).toHaveLength(3);
      expect(events.some((event) => event.uid.startsWith('workshop-'))).toBe(true);
      expect(feed.body).not.toContain('07 00 00');
      expect(feed.body).not.toContain('b@scic.test');
      // The same link every time it is asked for, until rotated.
      expect((await api.get('/api/auth/me/feed', token)).body.url).toBe(link.body.url);
      // A topic an admin renames reads as renamed in the feed.
      expect((await api.patch('/api/lists/topics/legal_status', { label: 'Changer de statut juridique' }, admin)).status).toBe(200);
      const renamed = parse((await rawGet(`${app.baseUrl}${path}`)).body).events.find((event) => event.summary.startsWith('Rendez-vous'))!;
      expect(renamed.description).toBe('Sujets : Changer de statut juridique');
    });

    it('stops the old link at once when rotated, and every link when the account is deactivated', async () => {
      const advisor = await createStaff(api, admin, 'advisor');
      const token = await login(api, advisor.email, advisor.password);
      const old = new URL((await api.get('/api/auth/me/feed', token)).body.url).pathname;
      const rotated = new URL((await api.post('/api/auth/me/feed/rotate', {}, token)).body.url).pathname;
      expect(rotated).not.toBe(old);
      expect((await rawGet(`${app.baseUrl}${old}`)).status).toBe(404);
      expect((await rawGet(`${app.baseUrl}${rotated}`)).status).toBe(200);
      await api.patch(`/api/users/${advisor.id}`, { active: false }, admin);
      expect((await rawGet(`${app.baseUrl}${rotated}`)).status).toBe(404);
    });

    it('answers 404 problem+json to an unknown token, and 401 to asking for a link unsigned', async () => {
      const unknown = await rawGet(`${app.baseUrl}/calendar/advisors/${'A'.repeat(43)}.ics`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await api.get('/api/auth/me/feed')).status).toBe(401);
      const viewer = await createStaff(api, admin, 'viewer');
      expect((await api.get('/api/auth/me/feed', await login(api, viewer.email, viewer.password))).status).toBe(403);
    });
  });

  describe('GET /api/bookings/:id/invite.ics', () => {
    it('gives the booking’s own file, consistent with its invites, and STATUS:CANCELLED once cancelled', async () => {
      const [march] = await listSessions(api, '2027-03-01', '2027-03-31');
      const booking = (await api.post('/api/bookings', bookingRequest(march.slots[0].id))).body;
      const file = await rawGet(`${app.baseUrl}/api/bookings/${booking.id}/invite.ics?token=${booking.manageToken}`);
      expect([file.status, file.headers['content-type']]).toEqual([200, 'text/calendar; charset=utf-8']);
      const parsed = parse(file.body);
      expect(parsed.method).toBe('PUBLISH');
      const [{ updatedAt }] = await app.dataSource.query(`SELECT updated_at AS "updatedAt" FROM bookings WHERE id = $1`, [booking.id]);
      expect(eventStamps(file.body)).toEqual([utcStampOf(`${booking.id}@rendez-vous-ess`, updatedAt)]);
      expect(file.body).not.toMatch(/^TIMEZONE-ID:/m);
      expect(parsed.events).toEqual([
        expect.objectContaining({
          uid: `${booking.id}@rendez-vous-ess`,
          sequence: 0,
          status: 'CONFIRMED',
          localStart: '2027-03-25T09:00:00',
          summary: 'Permanence de la CRESS Bretagne',
        }),
      ]);
      await api.post(`/api/bookings/${booking.id}/cancel`, {}, booking.manageToken);
      const cancelled = parse((await rawGet(`${app.baseUrl}/api/bookings/${booking.id}/invite.ics?token=${booking.manageToken}`)).body);
      expect(cancelled.events[0]).toMatchObject({ uid: `${booking.id}@rendez-vous-ess`, sequence: 1, status: 'CANCELLED' });
      expect((await rawGet(`${app.baseUrl}/api/bookings/${booking.id}/invite.ics`)).status).toBe(401);
      expect((await rawGet(`${app.baseUrl}/api/bookings/${booking.id}/invite.ics?token=wrong`)).status).toBe(404);
    });
  });
});
