import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { adminToken, bookingRequest, firstOpenSession } from './support/factories';
import { client, Client, HttpResponse } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** What must never reach a client: a stack frame, a source path, SQL or a driver error name. */
const LEAK = /at .*\(|\.ts:|\.js:|SELECT|INSERT|node_modules|QueryFailedError/i;

/** What a test case can use: a free slot of a real session and an admin's token. */
interface Context {
  slotId: string;
  admin: string;
}

interface RequestSpec {
  method: string;
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (content-type application/json unless `headers` says otherwise). */
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

interface Expected {
  /** '4xx' where the contract names no particular status. */
  status: number | '4xx';
  code?: string;
  /** Dotted paths that must be named in `errors`. */
  fields?: string[];
}

interface Case {
  name: string;
  request: (context: Context) => RequestSpec;
  expected: Expected;
}

/** A valid booking for the free slot, with `value` at the dotted `path` (`undefined` removes it). */
function bookingWith(context: Context, path: string, value: unknown): Record<string, unknown> {
  const body: Record<string, unknown> = structuredClone(bookingRequest(context.slotId));
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce((object, key) => object[key] as Record<string, unknown>, body);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return body;
}

function postBooking(body: (context: Context) => unknown): (context: Context) => RequestSpec {
  return (context) => ({ method: 'POST', path: '/api/bookings', body: body(context) });
}

function postRawBooking(raw: (context: Context) => string, headers?: Record<string, string>): (context: Context) => RequestSpec {
  return (context) => ({ method: 'POST', path: '/api/bookings', raw: raw(context), headers });
}

/** A field of an otherwise valid booking for a free slot set to `value`: the field alone is to blame. */
function fieldCase(path: string, value: unknown, label = JSON.stringify(value)?.slice(0, 40)): Case {
  return {
    name: `${path} = ${label}`,
    request: postBooking((context) => bookingWith(context, path, value)),
    expected: { status: 400, code: 'validation_failed', fields: [path] },
  };
}

/** The JSON text of a valid booking with `members` spliced in as the first members of the object at `path`. */
function rawBookingWithMembers(context: Context, path: string, members: string): string {
  const body: Record<string, unknown> = bookingRequest(context.slotId);
  if (path === '') return `{${members},${JSON.stringify(body).slice(1)}`;
  const nested = JSON.stringify(body[path]);
  return JSON.stringify({ ...body, [path]: '__NESTED__' }).replace('"__NESTED__"', `{${members},${nested.slice(1)}`);
}

const MALFORMED_BODIES: Case[] = [
  { name: 'truncated JSON', request: postRawBooking(() => '{"slotId":'), expected: { status: 400, code: 'malformed_json' } },
  { name: 'a JSON array', request: postRawBooking(() => '[]'), expected: { status: 400, code: 'validation_failed' } },
  { name: 'a JSON string', request: postRawBooking(() => '"x"'), expected: { status: 400, code: 'malformed_json' } },
  { name: 'a JSON number', request: postRawBooking(() => '42'), expected: { status: 400, code: 'malformed_json' } },
  { name: 'JSON null', request: postRawBooking(() => 'null'), expected: { status: 400, code: 'malformed_json' } },
  {
    name: 'a valid booking sent as text/plain',
    request: postRawBooking((context) => JSON.stringify(bookingRequest(context.slotId)), { 'content-type': 'text/plain' }),
    expected: { status: 400, code: 'validation_failed', fields: ['slotId', 'attendee', 'organisation', 'consent'] },
  },
  {
    name: 'an empty body',
    request: postRawBooking(() => ''),
    expected: { status: 400, code: 'validation_failed', fields: ['slotId', 'attendee', 'organisation', 'consent'] },
  },
];

const WRONG_TYPES: Case[] = [
  fieldCase('slotId', 42),
  fieldCase('attendee', 'x'),
  fieldCase('attendee.name', 42),
  fieldCase('attendee.email', 7),
  fieldCase('attendee.phone', 477000000),
  fieldCase('organisation', ['Association']),
  fieldCase('organisation.name', { name: 'x' }),
  fieldCase('organisation.siret', 73282932000074),
  fieldCase('topics', 'legal_status'),
  fieldCase('consent', 'true'),
  fieldCase('consent', false),
  fieldCase('message', {}),
];

const MISSING_FIELDS: Case[] = ['slotId', 'attendee', 'attendee.name', 'attendee.email', 'organisation', 'organisation.name', 'consent'].map((path) => ({
  name: `without ${path}`,
  request: postBooking((context) => bookingWith(context, path, undefined)),
  expected: { status: 400, code: 'validation_failed', fields: [path] },
}));

const INVALID_VALUES: Case[] = [
  fieldCase('attendee.email', 'not-an-email'),
  fieldCase('attendee.email', 'camille@'),
  fieldCase('attendee.email', '@asso.test'),
  fieldCase('attendee.email', 'camille martin@asso.test'),
  fieldCase('attendee.email', 'camille@asso'),
  fieldCase('attendee.email', `${'a'.repeat(250)}@asso.test`, '260 characters'),
  fieldCase('attendee.email', ''),
  fieldCase('attendee.name', '   ', 'blank'),
  fieldCase('attendee.name', 'x'.repeat(201), '201 characters'),
  fieldCase('attendee.phone', 'call me'),
  fieldCase('organisation.name', 'x'.repeat(201), '201 characters'),
  fieldCase('organisation.siret', '732 829 320 00075', 'wrong Luhn key'),
  fieldCase('organisation.siret', '7328293200007', '13 digits'),
  fieldCase('organisation.siret', '7328293200007A'),
  fieldCase('organisation.legalForm', 'sarl'),
  fieldCase('organisation.postcode', '4200'),
  fieldCase('organisation.postcode', '00100'),
  fieldCase('organisation.postcode', 'ABCDE'),
  fieldCase('topics', ['astrology']),
  fieldCase('topics', ['legal_status', 'legal_status']),
  fieldCase('topics', [['legal_status']]),
  fieldCase('message', 'x'.repeat(2001), '2001 characters'),
  fieldCase('slotId', 'not-a-uuid'),
];

const UNKNOWN_FIELDS: Case[] = [
  fieldCase('isAdmin', true),
  fieldCase('status', 'confirmed'),
  fieldCase('attendee.role', 'admin'),
  fieldCase('organisation.verified', true),
  {
    name: 'a top-level "__proto__" member',
    request: postRawBooking((context) => rawBookingWithMembers(context, '', '"__proto__":{"polluted":"yes","isAdmin":true}')),
    expected: { status: 400, code: 'validation_failed' },
  },
  {
    name: 'a nested "__proto__" member',
    request: postRawBooking((context) => rawBookingWithMembers(context, 'attendee', '"__proto__":{"polluted":"yes"}')),
    expected: { status: 400, code: 'validation_failed' },
  },
  {
    name: 'a top-level "constructor" member',
    request: postRawBooking((context) => rawBookingWithMembers(context, '', '"constructor":{"prototype":{"polluted":"yes"}}')),
    expected: { status: 400, code: 'validation_failed' },
  },
  {
    name: 'a nested "constructor" member',
    request: postRawBooking((context) => rawBookingWithMembers(context, 'organisation', '"constructor":{"prototype":{"polluted":"yes"}}')),
    expected: { status: 400, code: 'validation_failed' },
  },
];

function nested(levels: number, inner = '1'): string {
  return `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;
}

const SIZE_ABUSE: Case[] = [
  {
    name: 'a 100 KB message',
    request: postBooking((context) => bookingWith(context, 'message', 'x'.repeat(100_000))),
    expected: { status: 413, code: 'payload_too_large' },
  },
  { name: '5,000 nested objects', request: postRawBooking(() => nested(5_000)), expected: { status: 400, code: 'validation_failed' } },
  {
    name: '10,000 nested objects under attendee',
    request: postRawBooking((context) => rawBookingWithMembers(context, 'attendee', `"extra":${nested(10_000)}`)),
    expected: { status: 400, code: 'validation_failed' },
  },
  {
    name: '10,000 nested arrays as topics',
    request: postRawBooking((context) =>
      JSON.stringify(bookingRequest(context.slotId, { topics: '__T__' })).replace('"__T__"', `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
    ),
    expected: { status: 400, code: 'validation_failed' },
  },
];

const PATH_IDS: Case[] = [
  {
    name: 'GET /api/bookings/not-a-uuid',
    request: () => ({ method: 'GET', path: '/api/bookings/not-a-uuid?token=abc' }),
    expected: { status: 400, code: 'validation_failed', fields: ['id'] },
  },
  {
    name: 'POST /api/bookings/123/cancel',
    request: () => ({ method: 'POST', path: '/api/bookings/123/cancel?token=abc', body: {} }),
    expected: { status: 400, code: 'validation_failed', fields: ['id'] },
  },
  {
    name: 'POST /api/bookings/123/reschedule',
    request: (context) => ({ method: 'POST', path: '/api/bookings/123/reschedule?token=abc', body: { slotId: context.slotId } }),
    expected: { status: 400, code: 'validation_failed', fields: ['id'] },
  },
  {
    name: 'GET /api/permanences/xyz',
    request: () => ({ method: 'GET', path: '/api/permanences/xyz' }),
    expected: { status: 400, code: 'validation_failed', fields: ['id'] },
  },
  {
    name: "GET /api/permanences/1' OR '1'='1",
    request: () => ({ method: 'GET', path: `/api/permanences/${encodeURIComponent("1' OR '1'='1")}` }),
    expected: { status: 400, code: 'validation_failed', fields: ['id'] },
  },
  {
    name: 'PATCH /api/users/xyz (admin)',
    request: (context) => ({ method: 'PATCH', path: '/api/users/xyz', body: { active: false }, token: context.admin }),
    expected: { status: 400, code: 'validation_failed', fields: ['id'] },
  },
];

const DATE_QUERIES: Case[] = [
  ['from=2026-02-30', ['from']],
  ['from=yesterday', ['from']],
  ['to=2026-13-01', ['to']],
  ['from=2026-12-1', ['from']],
  ['from=2026-12-10&to=2026-12-01', ['to']],
  ['from=2026-12-01&from=2026-12-02', ['from']],
  ['from=2026-12-01&unknown=1', ['unknown']],
].map(([query, fields]) => ({
  name: `GET /api/permanences?${query as string}`,
  request: () => ({ method: 'GET', path: `/api/permanences?${query as string}` }),
  expected: { status: 400, code: 'validation_failed', fields: fields as string[] },
}));

DATE_QUERIES.push({
  name: 'GET /api/permanences over 24 months',
  request: () => ({ method: 'GET', path: '/api/permanences?from=2026-12-01&to=2028-12-02' }),
  expected: { status: 422, code: 'range_too_large' },
});

const unknownBooking = randomUUID();

const WRONG_TOKENS: Case[] = [
  { name: 'no token', request: () => ({ method: 'GET', path: `/api/bookings/${unknownBooking}` }), expected: { status: 401, code: 'token_required' } },
  {
    name: '?token=wrong',
    request: () => ({ method: 'GET', path: `/api/bookings/${unknownBooking}?token=wrong` }),
    expected: { status: 404, code: 'booking_not_found' },
  },
  {
    name: 'Bearer wrong',
    request: () => ({ method: 'GET', path: `/api/bookings/${unknownBooking}`, token: 'wrong' }),
    expected: { status: 404, code: 'booking_not_found' },
  },
  {
    name: 'a 10 KB ?token=',
    request: () => ({ method: 'GET', path: `/api/bookings/${unknownBooking}?token=${'t'.repeat(10_240)}` }),
    expected: { status: 404, code: 'booking_not_found' },
  },
  {
    name: 'a 10 KB bearer token',
    request: () => ({ method: 'GET', path: `/api/bookings/${unknownBooking}`, token: 't'.repeat(10_240) }),
    expected: { status: 404, code: 'booking_not_found' },
  },
  {
    name: 'cancel with ?token=wrong',
    request: () => ({ method: 'POST', path: `/api/bookings/${unknownBooking}/cancel?token=wrong`, body: {} }),
    expected: { status: 404, code: 'booking_not_found' },
  },
  {
    name: 'a garbage JWT on a booking',
    request: () => ({ method: 'GET', path: `/api/bookings/${unknownBooking}`, token: 'a.b.c' }),
    expected: { status: 401, code: 'unauthenticated' },
  },
  ...[
    ['GET', '/api/auth/me'],
    ['GET', '/api/users'],
    ['POST', '/api/users'],
    ['GET', '/api/permanences/series'],
    ['POST', '/api/permanences'],
  ].map(([method, path]) => ({
    name: `${method} ${path} with a garbage JWT`,
    request: () => ({ method, path, token: 'a.b.c', ...(method === 'POST' ? { body: {} } : {}) }),
    expected: { status: 401, code: 'unauthenticated' },
  })),
];

/** A valid workshop with `field` set to `value` (`undefined` removes it), posted by the admin. */
function workshopCase(field: string, value: unknown, label = JSON.stringify(value)?.slice(0, 40)): Case {
  return {
    name: `workshop ${field} = ${label}`,
    request: (context) => {
      const body: Record<string, unknown> = {
        title: 'Atelier',
        startsAt: '2027-03-18T09:00:00+01:00',
        endsAt: '2027-03-18T12:30:00+01:00',
        location: 'Saint-Étienne',
        capacity: 20,
      };
      if (value === undefined) delete body[field];
      else body[field] = value;
      return { method: 'POST', path: '/api/workshops', body, token: context.admin };
    },
    expected: { status: 400, code: 'validation_failed', fields: [field] },
  };
}

const WORKSHOP_INPUTS: Case[] = [
  workshopCase('title', undefined),
  workshopCase('title', ''),
  workshopCase('capacity', 0),
  workshopCase('capacity', '20'),
  workshopCase('capacity', 2.5),
  workshopCase('startsAt', 'tomorrow'),
  workshopCase('startsAt', '2027-03-18T09:00:00', 'a time without its offset'),
  workshopCase('startsAt', '2027-02-30T09:00:00+01:00'),
  workshopCase('endsAt', '2027-03-18T08:00:00+01:00', 'before the start'),
  workshopCase('registrationOpensAt', 'soon'),
  workshopCase('registrationClosesAt', '2027-03-19T09:00:00+01:00', 'after the end'),
  workshopCase('organisationLimit', 0),
  workshopCase('waitlistEnabled', 'yes'),
  workshopCase('isPublic', true),
  fieldCase('workshopId', 'not-a-uuid'),
  {
    name: 'a booking naming a slot and a workshop',
    request: postBooking((context) => ({ ...bookingRequest(context.slotId), workshopId: randomUUID() })),
    expected: { status: 400, code: 'validation_failed', fields: ['slotId', 'workshopId'] },
  },
  {
    name: 'GET /api/workshops?from=2027-02-30',
    request: () => ({ method: 'GET', path: '/api/workshops?from=2027-02-30' }),
    expected: { status: 400, code: 'validation_failed', fields: ['from'] },
  },
  {
    name: 'PATCH /api/workshops/abc',
    request: (context) => ({ method: 'PATCH', path: '/api/workshops/abc', body: { capacity: 5 }, token: context.admin }),
    expected: { status: 400, code: 'validation_failed' },
  },
  {
    name: 'a workshop created without a token',
    request: () => ({ method: 'POST', path: '/api/workshops', body: {} }),
    expected: { status: 401, code: 'unauthenticated' },
  },
];

const HEADER_ABUSE: Case[] = [
  {
    name: 'Content-Type: application/json; charset=utf-16 with UTF-8 bytes',
    request: postRawBooking((context) => JSON.stringify(bookingRequest(context.slotId)), { 'content-type': 'application/json; charset=utf-16' }),
    expected: { status: 400 },
  },
  {
    name: 'Content-Type: application/json; charset=latin1',
    request: postRawBooking((context) => JSON.stringify(bookingRequest(context.slotId)), { 'content-type': 'application/json; charset=latin1' }),
    expected: { status: '4xx' },
  },
  {
    name: 'Content-Encoding: gzip on a plain body',
    request: postRawBooking((context) => JSON.stringify(bookingRequest(context.slotId)), { 'content-encoding': 'gzip' }),
    expected: { status: 400 },
  },
  {
    name: 'Content-Encoding: compress',
    request: postRawBooking((context) => JSON.stringify(bookingRequest(context.slotId)), { 'content-encoding': 'compress' }),
    expected: { status: '4xx' },
  },
];

/**
 * One HTTP/1.1 request written byte for byte (fetch will not send a lying Content-Length), the first
 * response read back. `late` bytes follow 200 ms later: had they come in the same packet, Node's parser
 * would read them as a second, malformed request and answer that itself before the application answers.
 */
function rawRequest(baseUrl: string, head: string, body: string, late = ''): Promise<HttpResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error(`no complete response within 5 s; received: ${received.toString('latin1').slice(0, 500)}`));
    });
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
      const headers = new Headers(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as [string, string]));
      const length = Number(headers.get('content-length') ?? 0);
      if (received.length < end + 4 + length) return;
      const payload = received.subarray(end + 4, end + 4 + length).toString('utf8');
      socket.destroy();
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        parsed = undefined;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: parsed, text: payload });
    });
    socket.on('error', reject);
    socket.write(`${head}\r\n\r\n${body}`);
    if (late) setTimeout(() => socket.writable && socket.write(late), 200);
  });
}

describe('bad input', () => {
  let app: TestApp;
  let api: Client;
  let context: Context;

  beforeAll(async () => {
    app = await startTestApp();
    api = client(app.baseUrl);
    context = { slotId: await freeSlot(), admin: await adminToken(api) };
  });

  async function freeSlot(): Promise<string> {
    const session = await firstOpenSession(api);
    return session.slots.find((slot) => slot.available > 0)!.id;
  }

  afterAll(() => app.close());

  async function counts(): Promise<{ bookings: number; outbox: number; users: number; workshops: number }> {
    const [row] = await app.dataSource.query(
      `SELECT (SELECT count(*) FROM bookings)::int AS bookings, (SELECT count(*) FROM outbox_messages)::int AS outbox, (SELECT count(*) FROM users)::int AS users,
              (SELECT count(*) FROM workshops)::int AS workshops`,
    );
    return row;
  }

  function send(spec: RequestSpec): Promise<HttpResponse> {
    return api.request(spec.method, spec.path, { body: spec.body, raw: spec.raw, token: spec.token, headers: spec.headers });
  }

  function expectProblem(response: HttpResponse, expected: Expected): void {
    if (expected.status === '4xx') {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    } else {
      expect(response.status).toBe(expected.status);
    }
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual(
      expect.objectContaining({
        type: expect.any(String),
        title: expect.any(String),
        status: response.status,
        detail: expect.any(String),
        code: expected.code ?? expect.any(String),
      }),
    );
    expect(response.text).not.toMatch(LEAK);
    if (expected.fields) {
      const named = (response.body.errors as Array<{ field: string; message: string }>).map((error) => error.field);
      expect(named).toEqual(expect.arrayContaining(expected.fields));
    }
  }

  /** Sends the request and checks the problem answer and that no booking or message was written. */
  async function expectRejected(spec: RequestSpec, expected: Expected): Promise<HttpResponse> {
    const before = await counts();
    const response = await send(spec);
    expectProblem(response, expected);
    expect(await counts()).toEqual(before);
    return response;
  }

  // A new route's bad inputs: a `Case[]` above (its request built from `context`), and a line here.
  const TABLES: Array<[string, Case[]]> = [
    ['a body that is not a JSON object', MALFORMED_BODIES],
    ['a field of the wrong type', WRONG_TYPES],
    ['a missing required field', MISSING_FIELDS],
    ['an invalid value', INVALID_VALUES],
    ['an unknown field or a prototype pollution attempt', UNKNOWN_FIELDS],
    ['an oversized or deeply nested body', SIZE_ABUSE],
    ['an identifier in the path that is not a UUID', PATH_IDS],
    ['a bad date range', DATE_QUERIES],
    ['a missing or wrong token', WRONG_TOKENS],
    ['an abusive header', HEADER_ABUSE],
    ['a bad workshop or registration', WORKSHOP_INPUTS],
  ];

  describe.each(TABLES)('rejects %s', (_, cases) => {
    // A fresh free slot each time: a case the service wrongly accepts must not make the next ones fail.
    beforeEach(async () => {
      context.slotId = await freeSlot();
    });

    it.each(cases)('$name', async ({ request, expected }) => {
      await expectRejected(request(context), expected);
    });
  });

  it('leaves Object.prototype untouched after the pollution attempts', async () => {
    for (const testCase of UNKNOWN_FIELDS) await send(testCase.request(context));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  const INJECTIONS: Array<[string, string]> = [
    ['SQL', "'; DROP TABLE bookings; --"],
    ['HTML', '<script>alert(1)</script>'],
    ['template', '${7*7}{{7*7}}'],
    ['an RTL override', 'Camille \u202Egnp.exe'],
    ['zero-width characters', 'Ca\u200Bmi\u200Dlle\uFEFF'],
    ['emoji', 'Camille 👩🏽‍💻🏳️‍🌈'],
  ];
  // NUL is refused before any lookup (PostgreSQL cannot store it): see the validation_failed cases below.
  // So is a lone surrogate (it would be stored as U+FFFD, altered).

  it('answers 400 validation_failed to a lone surrogate in a name, before any lookup, writing nothing', async () => {
    const body = bookingRequest(randomUUID());
    body.attendee.name = 'Camille \ud800';
    await expectRejected({ method: 'POST', path: '/api/bookings', body }, { status: 400, code: 'validation_failed' });
  });

  it.each(INJECTIONS)('answers 404 slot_not_found to %s in names and message for an unknown slot, writing nothing', async (_, value) => {
    const body = bookingRequest(randomUUID(), { message: value });
    body.attendee.name = value;
    body.organisation.name = value;
    await expectRejected({ method: 'POST', path: '/api/bookings', body }, { status: 404, code: 'slot_not_found' });
  });

  it.each(['attendee.name', 'organisation.name', 'message', 'attendee.email'])('answers a 4xx, not a 500, to NUL in %s for a real slot', async (path) => {
    const before = await counts();
    const value = path === 'attendee.email' ? 'camille\u0000@asso.test' : 'Camille\u0000Martin';
    const response = await send({ method: 'POST', path: '/api/bookings', body: bookingWith({ ...context, slotId: await freeSlot() }, path, value) });
    expectProblem(response, { status: 400, code: 'validation_failed', fields: [path] });
    expect(await counts()).toEqual(before);
  });

  it('answers a 4xx, not a 500, to NUL in a staff account name', async () => {
    const before = await counts();
    const response = await send({
      method: 'POST',
      path: '/api/users',
      token: context.admin,
      body: { email: `nul.${randomUUID()}@cress.test`, name: 'Nul\u0000Name', role: 'viewer', password: 'long-enough-password' },
    });
    expectProblem(response, { status: 400, code: 'validation_failed', fields: ['name'] });
    expect(await counts()).toEqual(before);
  });

  it("answers 404 to a real booking's id with another booking's token, by query and by header", async () => {
    const a = await api.post('/api/bookings', bookingRequest(await freeSlot()));
    const b = await api.post('/api/bookings', bookingRequest(await freeSlot()));
    expect([a.status, b.status]).toEqual([201, 201]);
    // The own token works: the 404s below are about the token, not the booking.
    expect((await api.get(`/api/bookings/${a.body.id}?token=${a.body.manageToken}`)).status).toBe(200);
    expect((await api.get(`/api/bookings/${a.body.id}`, a.body.manageToken)).status).toBe(200);

    const byQuery = await expectRejected(
      { method: 'GET', path: `/api/bookings/${a.body.id}?token=${b.body.manageToken}` },
      { status: 404, code: 'booking_not_found' },
    );
    const byHeader = await expectRejected(
      { method: 'GET', path: `/api/bookings/${a.body.id}`, token: b.body.manageToken },
      { status: 404, code: 'booking_not_found' },
    );
    const unknown = await expectRejected(
      { method: 'GET', path: `/api/bookings/${randomUUID()}?token=${b.body.manageToken}` },
      { status: 404, code: 'booking_not_found' },
    );
    // A wrong token and an unknown booking are indistinguishable.
    expect(byQuery.body).toEqual(unknown.body);
    expect(byHeader.body).toEqual(unknown.body);
    await expectRejected(
      { method: 'POST', path: `/api/bookings/${a.body.id}/cancel?token=${b.body.manageToken}`, body: {} },
      { status: 404, code: 'booking_not_found' },
    );
    const [row] = await app.dataSource.query(`SELECT status FROM bookings WHERE id = $1`, [a.body.id]);
    expect(row.status).toBe('confirmed');
  });

  it('answers a 4xx to a 20 KB cookie header', async () => {
    const before = await counts();
    const response = await api.request('POST', '/api/bookings', { body: bookingRequest(await freeSlot()), headers: { cookie: `c=${'x'.repeat(20_480)}` } });
    // Node answers 431 itself, without a body, before the application sees the request.
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await counts()).toEqual(before);
  });

  it('answers 400 malformed_json to a Content-Length shorter than the body', async () => {
    const before = await counts();
    const body = JSON.stringify(bookingRequest(await freeSlot()));
    const declared = body.length - 20;
    const head = ['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', `Content-Length: ${declared}`, 'Connection: close'].join(
      '\r\n',
    );
    const response = await rawRequest(app.baseUrl, head, body.slice(0, declared), body.slice(declared));
    expectProblem(response, { status: 400, code: 'malformed_json' });
    expect(await counts()).toEqual(before);
  });
});
