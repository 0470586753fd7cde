import { randomUUID } from 'node:crypto';
import { PersonalDataService } from '../src/personal-data/personal-data.service';
import { adminToken, bookingRequest, createWorkshop, firstOpenSession, ListedSession, listSessions, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** `Idempotency-Key` on POST /api/bookings (draft-ietf-httpapi-idempotency-key-header). */
describe('booking with an Idempotency-Key', () => {
  let app: TestApp;
  let api: Client;
  let session: ListedSession;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    session = await firstOpenSession(api);
  });
  afterAll(() => app.close());

  const book = (body: unknown, key: string) => api.request('POST', '/api/bookings', { body, headers: { 'idempotency-key': key } });
  async function written(email: string): Promise<{ bookings: number; messages: number }> {
    const [row] = await app.dataSource.query(
      `SELECT (SELECT count(*)::int FROM bookings WHERE attendee_email = $1) AS bookings,
              (SELECT count(*)::int FROM outbox_messages WHERE recipient = $1) AS messages`,
      [email],
    );
    return row;
  }

  it('answers the same key and body with the first booking and its manage token, without booking again', async () => {
    const body = bookingRequest(session.slots[0].id);
    const key = randomUUID();
    const first = await book(body, key);
    expect(first.status).toBe(201);
    const second = await book(body, `"${key}"`);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await written(body.attendee.email)).toEqual({ bookings: 1, messages: 1 });
  });

  it('refuses the key reused with another body with 422 problem+json, writing nothing', async () => {
    const key = randomUUID();
    const first = bookingRequest(session.slots[1].id);
    expect((await book(first, key)).status).toBe(201);
    const other = bookingRequest(session.slots[1].id);
    const reused = await book(other, key);
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(reused.body).toMatchObject({
      code: 'idempotency_key_reused',
      status: 422,
      errors: [{ field: 'Idempotency-Key', message: expect.stringMatching(/Déjà utilisée/) }],
    });
    expect(reused.body.manageToken).toBeUndefined();
    expect(await written(other.attendee.email)).toEqual({ bookings: 0, messages: 0 });
  });

  it('gives no manage token to a request with the same e-mail and slot but another key', async () => {
    const body = bookingRequest(session.slots[2].id);
    expect((await book(body, randomUUID())).status).toBe(201);
    const guess = await book(body, randomUUID());
    expect([guess.status, guess.body.code, guess.body.manageToken]).toEqual([409, 'already_booked', undefined]);
  });

  it('books once for the same key sent many times at once; every answer is that booking or a 409', async () => {
    const body = bookingRequest(session.slots[3].id);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 12 }, () => book(body, key)));
    const booked = answers.filter((answer) => answer.status === 201);
    expect(booked.length).toBeGreaterThanOrEqual(1);
    expect(new Set(booked.map((answer) => answer.body.id)).size).toBe(1);
    expect(new Set(booked.map((answer) => answer.body.manageToken)).size).toBe(1);
    for (const answer of answers.filter((answer) => answer.status !== 201)) expect([answer.status, answer.body.code]).toEqual([409, 'conflict']);
    expect(await written(body.attendee.email)).toEqual({ bookings: 1, messages: 1 });
  });

  it('replays a workshop registration, waitlisted included', async () => {
    const workshop = await createWorkshop(api, await adminToken(api), { capacity: 1 });
    expect((await api.post('/api/bookings', registrationRequest(workshop.id))).status).toBe(201);
    const body = registrationRequest(workshop.id);
    const key = randomUUID();
    const first = await book(body, key);
    expect([first.status, first.body.status, first.body.waitlistPosition]).toEqual([201, 'waitlisted', 1]);
    const second = await book(body, key);
    expect(second.body).toEqual(first.body);
    expect(await written(body.attendee.email)).toEqual({ bookings: 1, messages: 1 });
  });

  it.each([
    ['too short', 'abc'],
    ['with spaces', 'une cle avec des espaces 1234'],
    ['an unterminated quoted string', '"0123456789abcdef'],
    ['longer than 255 characters', 'k'.repeat(256)],
  ])('refuses a key %s with 400 problem+json and a French message', async (_, key) => {
    const body = bookingRequest(session.slots[0].id);
    const response = await book(body, key);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'Idempotency-Key', message: expect.stringContaining('Clé d’idempotence invalide') }],
    });
    expect(await written(body.attendee.email)).toEqual({ bookings: 0, messages: 0 });
  });

  it('forgets a key after 24 hours, and the nightly job deletes it', async () => {
    const [, later] = await listSessions(api);
    const body = bookingRequest(later.slots[0].id, { attendee: { name: 'Vingt-quatre heures', email: 'vingt-quatre@asso.test' } });
    const key = randomUUID();
    const first = await book(body, key);
    expect(first.status).toBe(201);
    const stored = async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE booking_id = $1`, [first.body.id]))[0].n;
    app.clock.set(new Date(Date.parse('2026-11-27T10:00:00Z') + 23 * 3600_000));
    expect((await book(body, key)).status).toBe(201);
    await app.app.get(PersonalDataService).anonymiseExpired();
    expect(await stored()).toBe(1);
    app.clock.set(new Date(Date.parse('2026-11-27T10:00:00Z') + 24 * 3600_000 + 1_000));
    await app.app.get(PersonalDataService).anonymiseExpired();
    expect(await stored()).toBe(0);
    const late = await book(body, key);
    expect([late.status, late.body.code, late.body.manageToken]).toEqual([409, 'already_booked', undefined]);
    app.clock.set(new Date('2026-11-27T10:00:00Z'));
  });

  it('makes the booking form carry a key of its own, so the form sent twice books once', async () => {
    const [, later] = await listSessions(api);
    const slot = later.slots[1];
    const form = await fetch(`${app.baseUrl}/reserver/creneau/${slot.id}`, { headers: { accept: 'text/html' } });
    const cookie = form.headers
      .getSetCookie()
      .find((setCookie) => setCookie.startsWith('rv_csrf='))!
      .split(';')[0];
    const html = await form.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1];
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const fields = new URLSearchParams({
      _csrf: csrf!,
      idempotencyKey: key!,
      'attendee.name': 'Double clic',
      'attendee.email': 'double-clic@asso.test',
      'organisation.name': 'Association du double clic',
      consent: 'on',
    });
    const send = () =>
      fetch(`${app.baseUrl}/reserver/creneau/${slot.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie },
        body: fields,
        redirect: 'manual',
      });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.get('location')?.replace('&nouveau=1', '')).toBe(first.headers.get('location')?.replace('&nouveau=1', ''));
    expect(await written('double-clic@asso.test')).toEqual({ bookings: 1, messages: 1 });
    const fresh = await (await fetch(`${app.baseUrl}/reserver/creneau/${slot.id}`, { headers: { accept: 'text/html' } })).text();
    expect(/name="idempotencyKey" value="([^"]+)"/.exec(fresh)?.[1]).not.toBe(key);
  });

  it('forgets the keys of an address whose personal data is erased: the request no longer replays the booking', async () => {
    const [, later] = await listSessions(api);
    const body = bookingRequest(later.slots[2].id, { attendee: { name: 'Effacée', email: 'effacee@asso.test' } });
    const key = randomUUID();
    const first = await book(body, key);
    expect(first.status).toBe(201);
    expect((await api.post('/api/personal-data/erase', { email: 'effacee@asso.test' }, await adminToken(api))).status).toBe(200);
    expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE booking_id = $1`, [first.body.id]))[0].n).toBe(0);
    const after = await book(body, key);
    expect(after.body.id).not.toBe(first.body.id);
  });
});
