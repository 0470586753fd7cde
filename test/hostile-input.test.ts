/**
 * Hostile requests over the whole HTTP surface (API, French pages, static files, HTTP framing): each is
 * answered by a 4xx, as problem+json with a code on the API or as a French page on the pages, without a
 * stack trace, SQL or source path, and writes nothing. Text that merely looks hostile (SQL, templates,
 * markup, CRLF, RTL overrides…) is a valid name: it is stored verbatim and shown escaped.
 *
 * test/bad-input.test.ts holds the first corpus (field rules of the booking and workshop DTOs); this
 * one adds what an attacker sends, and the pages.
 */
import Handlebars from 'handlebars';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import * as zlib from 'node:zlib';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { adminToken, bookingRequest, createWorkshop, listSessions, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { countRows, Counts, csrfPair, form, handmadeJwt, LEAK, Outgoing, Reply, send, sendRaw, TABLES } from './support/hostile';
import { startTestApp, TestApp } from './support/test-app';

/** What a case can use. `slotId` is a free slot, fresh for every case. */
interface Context {
  baseUrl: string;
  slotId: string;
  workshopId: string;
  admin: string;
  adminId: string;
  adminVersion: number;
  jwtSecret: string;
  /** The test clock, in seconds. */
  now: number;
  csrf: { cookie: string; token: string };
  /** A confirmed booking of this corpus, for the manage, cancel and reschedule routes. */
  booking: { id: string; token: string };
}

/** Bytes written on a socket as they are. */
interface RawSpec {
  raw: string | Buffer;
  later?: Array<string | Buffer>;
  halfClose?: boolean;
}

type Expected =
  /** An API answer: problem+json with this status and code, naming these fields. */
  | { problem: number | '4xx'; code?: string; fields?: string[] }
  /** A French page with this status, showing (and not showing) these texts. */
  | { page: number; shows?: string[]; hides?: string[] }
  /** A 303 to this location (a staff page without a valid session). */
  | { redirect: RegExp }
  /** Node's own answer to a request it cannot parse (a 4xx, maybe without a body; this status if named), or, where allowed, the connection closed. */
  | { node4xx: true; status?: number; orClosed?: boolean };

interface Case {
  name: string;
  request: (context: Context) => Outgoing | RawSpec;
  expected: Expected;
  /** Rows a case may add on purpose (the failed-login counter), table by table. */
  writes?: Partial<Counts>;
}

/** Markers of a file served from outside templates/assets. */
const FILE_LEAK = /"dependencies"|root:x:0:0|\{\{title\}\}|\{\{\{body\}\}\}|import \{|DATABASE_URL|JWT_SECRET/;

const SLOT_RANGE = ['2026-11-27', '2027-11-30'] as const;

// ---------------------------------------------------------------------------------------------
// Request builders

function api(method: string, path: string, body?: unknown, options: { token?: string; headers?: Record<string, string> } = {}): Outgoing {
  const headers: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) };
}

/** POST /api/bookings with these bytes and headers (application/json unless told). */
function rawBooking(body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, path = '/api/bookings'): Outgoing {
  return { method: 'POST', path, headers, body };
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

/** The JSON text of a valid booking for the free slot with `marker` (a JSON string) replaced by `text`. */
function bookingText(context: Context, path: string, text: string): string {
  const marker = `__${randomBytes(6).toString('hex')}__`;
  return JSON.stringify(bookingWith(context, path, marker)).replace(`"${marker}"`, text);
}

/** The bytes of a valid booking for the free slot with `bytes` inside the string at `path`. */
function bookingBytes(context: Context, path: string, bytes: number[]): Buffer {
  const marker = `__${randomBytes(6).toString('hex')}__`;
  const text = Buffer.from(JSON.stringify(bookingWith(context, path, `Camille ${marker} Martin`)));
  const at = text.indexOf(marker);
  return Buffer.concat([text.subarray(0, at), Buffer.from(bytes), text.subarray(at + marker.length)]);
}

function fieldCase(path: string, value: unknown, label = JSON.stringify(value)?.slice(0, 50) ?? String(value)): Case {
  return {
    name: `${path} = ${label}`,
    request: (context) => api('POST', '/api/bookings', bookingWith(context, path, value)),
    expected: { problem: 400, code: 'validation_failed', fields: [path] },
  };
}

function pageGet(path: string, headers: Record<string, string> = {}): Outgoing {
  return { method: 'GET', path, headers: { accept: 'text/html', ...headers } };
}

/** A form posted as a browser does, with this browser's CSRF pair unless `csrf` says otherwise. */
function pagePost(
  context: Context,
  path: string,
  fields: Array<[string, string]>,
  options: { csrf?: { cookie?: string; token?: string | string[] } | false; headers?: Record<string, string> } = {},
): Outgoing {
  const csrf = options.csrf === false ? {} : (options.csrf ?? context.csrf);
  const tokens = csrf.token === undefined ? [] : Array.isArray(csrf.token) ? csrf.token : [csrf.token];
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...(csrf.cookie ? { cookie: csrf.cookie } : {}), ...options.headers },
    body: form([...tokens.map((token): [string, string] => ['_csrf', token]), ...fields]),
  };
}

/** The fields of a valid booking form (topics included unless it is a workshop's). */
function bookingFields(overrides: Record<string, string> = {}, topics = true): Array<[string, string]> {
  const n = randomBytes(4).toString('hex');
  const fields: Record<string, string> = {
    'attendee.name': `Camille ${n}`,
    'attendee.email': `camille.${n}@asso.test`,
    'attendee.phone': '04 77 00 00 00',
    'organisation.name': `Association ${n}`,
    'organisation.siret': '73282932000074',
    'organisation.legalForm': 'association',
    'organisation.postcode': '42000',
    message: 'Nous envisageons de passer en SCIC.',
    consent: 'on',
    ...overrides,
  };
  return [...Object.entries(fields), ...(topics ? ([['topics', 'legal_status']] as Array<[string, string]>) : [])];
}

function nested(levels: number, inner = '1'): string {
  return `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;
}

function jwtSigner(secret: string) {
  return (input: string) => createHmac('sha256', secret).update(input).digest('base64url');
}

/** Claims of the admin's real tokens, valid for an hour unless overridden. */
function adminClaims(context: Context, overrides: Record<string, unknown> = {}) {
  return { sub: context.adminId, role: 'admin', ver: context.adminVersion, iat: context.now - 60, exp: context.now + 3600, ...overrides };
}

const HS256 = { alg: 'HS256', typ: 'JWT' };

// ---------------------------------------------------------------------------------------------
// The corpus: rejected requests

const SQL = ["'; DROP TABLE bookings; --", "' OR 1=1 --", '$1', '\\', "1' UNION SELECT password_hash FROM users --"];
const TEMPLATES = ["{{constructor.constructor('return process')()}}", '{{#each}}', '${7*7}'];

const INJECTION_REJECTED: Case[] = [
  // Fields with a format: the injection is a wrong value like any other, refused by the field's rule.
  // ($1@asso.test is a valid address: see the accepted cases.)
  ...SQL.filter((value) => value !== '$1').map((value) => fieldCase('attendee.email', `${value}@asso.test`)),
  fieldCase('attendee.email', 'camille@asso.test\r\nBcc: everyone@asso.test', 'an e-mail with a CRLF Bcc header'),
  fieldCase('attendee.email', 'camille@asso.test\nSubject: x', 'an e-mail with an LF Subject header'),
  ...SQL.map((value) => fieldCase('attendee.phone', value)),
  fieldCase('attendee.phone', '04 77 00 00 00\r\nSet-Cookie: a=b', 'a phone with a CRLF header'),
  ...SQL.map((value) => fieldCase('organisation.siret', value)),
  ...SQL.map((value) => fieldCase('organisation.postcode', value)),
  ...[...SQL, ...TEMPLATES].map((value) => fieldCase('organisation.legalForm', value)),
  ...[...SQL, ...TEMPLATES].map((value) => fieldCase('topics', [value], `[${JSON.stringify(value)}]`)),
  ...[...SQL, ...TEMPLATES].map((value) => fieldCase('slotId', value)),
  {
    name: 'workshopId = {{constructor…}} instead of slotId',
    request: (context) => api('POST', '/api/bookings', { ...bookingWith(context, 'slotId', undefined), workshopId: TEMPLATES[0] }),
    expected: { problem: 400, code: 'validation_failed', fields: ['workshopId'] },
  },
  // Query strings and path segments.
  ...SQL.map((value) => ({
    name: `GET /api/permanences?from=${value}`,
    request: () => api('GET', `/api/permanences?from=${encodeURIComponent(value)}`),
    expected: { problem: 400, code: 'validation_failed', fields: ['from'] },
  })),
  ...SQL.map((value) => ({
    name: `GET /api/workshops?to=${value}`,
    request: () => api('GET', `/api/workshops?to=${encodeURIComponent(value)}`),
    expected: { problem: 400, code: 'validation_failed', fields: ['to'] },
  })),
  {
    name: 'GET /api/organisations?limit=1;DROP TABLE organisations (admin)',
    request: (context) => api('GET', `/api/organisations?limit=${encodeURIComponent('1;DROP TABLE organisations')}`, undefined, { token: context.admin }),
    expected: { problem: 400, code: 'validation_failed', fields: ['limit'] },
  },
  ...SQL.map((value) => ({
    name: `GET /api/bookings/${value}`,
    request: () => api('GET', `/api/bookings/${encodeURIComponent(value)}?token=x`),
    expected: { problem: 400, code: 'validation_failed', fields: ['id'] },
  })),
  {
    name: "the manage token ' OR 1=1 -- on a real booking",
    request: (context) => api('GET', `/api/bookings/${context.booking.id}?token=${encodeURIComponent("' OR 1=1 --")}`),
    expected: { problem: 404, code: 'booking_not_found' },
  },
  {
    name: 'the manage token {"$ne":null} on a real booking',
    request: (context) => api('GET', `/api/bookings/${context.booking.id}?token[$ne]=null`),
    expected: { problem: 401, code: 'token_required' },
  },
  // Logins: the shapes of injections into a login form.
  {
    name: 'login with {"$ne": null} as e-mail and password',
    request: () => api('POST', '/api/auth/login', { email: { $ne: null }, password: { $ne: null } }),
    expected: { problem: 400, code: 'validation_failed', fields: ['email', 'password'] },
  },
  {
    name: "login with admin@cress.test' -- as e-mail",
    request: () => api('POST', '/api/auth/login', { email: "admin@cress.test' --", password: 'x' }),
    expected: { problem: 400, code: 'validation_failed', fields: ['email'] },
  },
  {
    name: "login with the admin's e-mail and ' OR '1'='1 as password (counts one failure for the address, by design)",
    request: () => api('POST', '/api/auth/login', { email: 'admin@cress.test', password: "' OR '1'='1" }),
    expected: { problem: 401, code: 'invalid_credentials' },
    writes: { rate_limits: 1 },
  },
  {
    name: "POST /api/users with the name {{constructor…}} and the e-mail x'--@cress.test as a viewer (no token)",
    request: () => api('POST', '/api/users', { email: "x'--@cress.test", name: TEMPLATES[0], role: 'admin', password: 'long-enough-password' }),
    expected: { problem: 401, code: 'unauthenticated' },
  },
];

const GZIP_BOMB = gzipSync(Buffer.alloc(10_000_000, ' '));
const DEFLATE_BOMB = deflateSync(Buffer.alloc(10_000_000, ' '));

/** A valid booking padded (in `message`) to exactly `bytes` bytes of JSON. */
function bookingOfSize(context: Context, bytes: number): string {
  const empty = JSON.stringify(bookingWith(context, 'message', ''));
  return JSON.stringify(bookingWith(context, 'message', 'x'.repeat(bytes - Buffer.byteLength(empty))));
}

const HUGE: Case[] = [
  {
    name: 'a JSON booking of 65,536 bytes (at the limit: parsed, then the 2,000-character message is refused)',
    request: (context) => rawBooking(bookingOfSize(context, 65_536)),
    expected: { problem: 400, code: 'validation_failed', fields: ['message'] },
  },
  {
    name: 'a JSON booking of 65,537 bytes',
    request: (context) => rawBooking(bookingOfSize(context, 65_537)),
    expected: { problem: 413, code: 'payload_too_large' },
  },
  {
    name: 'a 1 MB attendee.name',
    request: (context) => api('POST', '/api/bookings', bookingWith(context, 'attendee.name', 'x'.repeat(1_000_000))),
    expected: { problem: 413, code: 'payload_too_large' },
  },
  {
    name: 'a 1 MB password on login',
    request: () => api('POST', '/api/auth/login', { email: 'admin@cress.test', password: 'x'.repeat(1_000_000) }),
    expected: { problem: 413, code: 'payload_too_large' },
  },
  {
    name: 'topics: 10,000 topic codes (over the body limit)',
    request: (context) =>
      api(
        'POST',
        '/api/bookings',
        bookingWith(
          context,
          'topics',
          Array.from({ length: 10_000 }, () => 'legal_status'),
        ),
      ),
    expected: { problem: 413, code: 'payload_too_large' },
  },
  {
    name: 'topics: 10,000 elements within the body limit',
    request: (context) =>
      api(
        'POST',
        '/api/bookings',
        bookingWith(
          context,
          'topics',
          Array.from({ length: 10_000 }, () => 1),
        ),
      ),
    expected: { problem: 400, code: 'validation_failed', fields: ['topics'] },
  },
  {
    name: 'a 65 KB urlencoded booking form',
    request: (context) => pagePost(context, `/reserver/creneau/${context.slotId}`, bookingFields({ message: 'x'.repeat(66_000) })),
    expected: { page: 413, shows: ['trop volumineux'] },
  },
  {
    name: 'a 1 MB attendee.name in the workshop form',
    request: (context) => pagePost(context, `/reserver/atelier/${context.workshopId}`, bookingFields({ 'attendee.name': 'x'.repeat(1_000_000) }, false)),
    expected: { page: 413, shows: ['trop volumineux'] },
  },
  {
    name: 'a 65 KB login form',
    request: (context) =>
      pagePost(context, '/staff/connexion', [
        ['email', 'admin@cress.test'],
        ['password', 'x'.repeat(66_000)],
      ]),
    expected: { page: 413, shows: ['trop volumineux'] },
  },
  { name: 'an 8 KB path under /api', request: () => api('GET', `/api/${'a'.repeat(8_192)}`), expected: { problem: 404, code: 'route_not_found' } },
  { name: 'an 8 KB path on the pages', request: () => pageGet(`/${'a'.repeat(8_192)}`), expected: { page: 404, shows: ['Page introuvable'] } },
  {
    name: 'an 8 KB query string',
    request: () => api('GET', `/api/permanences?from=${'9'.repeat(8_192)}`),
    expected: { problem: 400, code: 'validation_failed', fields: ['from'] },
  },
  {
    name: 'an 8 KB manage token on the manage page',
    request: (context) => pageGet(`/reservations/${context.booking.id}?token=${'t'.repeat(8_192)}`),
    expected: { page: 404 },
  },
  { name: 'a 20 KB URL', request: () => api('GET', `/api/permanences?from=${'9'.repeat(20_480)}`), expected: { node4xx: true, status: 431 } },
  {
    name: 'a 20 KB header',
    request: () => api('GET', '/api/permanences', undefined, { headers: { 'x-padding': 'x'.repeat(20_480) } }),
    expected: { node4xx: true, status: 431 },
  },
  { name: 'a 20 KB cookie on a page', request: () => pageGet('/', { cookie: `rv_csrf=${'x'.repeat(20_480)}` }), expected: { node4xx: true, status: 431 } },
];

const NESTING: Case[] = [
  {
    name: '17 nested objects as the body (just over the limit of 16)',
    request: () => rawBooking(nested(17)),
    expected: { problem: 400, code: 'validation_failed' },
  },
  { name: '10,000 nested objects as the body', request: () => rawBooking(nested(10_000)), expected: { problem: 400, code: 'validation_failed' } },
  {
    name: '30,000 nested arrays as the body',
    request: () => rawBooking(`${'['.repeat(30_000)}${']'.repeat(30_000)}`),
    expected: { problem: 400, code: 'validation_failed' },
  },
  {
    name: '10,000 nested arrays and objects as attendee.name',
    request: (context) => rawBooking(bookingText(context, 'attendee.name', `${'[{"a":'.repeat(5_000)}1${'}]'.repeat(5_000)}`)),
    expected: { problem: 400, code: 'validation_failed' },
  },
  {
    name: '10,000 nested objects as organisation',
    request: (context) => rawBooking(bookingText(context, 'organisation', nested(10_000))),
    expected: { problem: 400, code: 'validation_failed' },
  },
  {
    name: '10,000 nested objects on the login route',
    request: () => rawBooking(nested(10_000), undefined, '/api/auth/login'),
    expected: { problem: 400, code: 'validation_failed' },
  },
  {
    name: '10,000 nested objects posted as JSON, with the CSRF token, to the booking page',
    request: (context) => ({
      ...rawBooking(`{"_csrf":"${context.csrf.token}","message":${nested(10_000)}}`, {
        'content-type': 'application/json',
        accept: 'text/html',
        cookie: context.csrf.cookie,
      }),
      path: `/reserver/creneau/${context.slotId}`,
    }),
    expected: { page: 400 },
  },
  {
    name: 'a query with nested brackets (from[a][b][c]=x)',
    request: () => api('GET', '/api/permanences?from[a][b][c]=2026-12-01'),
    expected: { problem: 400, code: 'validation_failed' },
  },
  {
    name: '50,000 keys at the top level (over the body limit)',
    request: () => rawBooking(JSON.stringify(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 1])))),
    expected: { problem: 413, code: 'payload_too_large' },
  },
  {
    name: '5,000 unknown keys at the top level of a booking',
    request: (context) =>
      rawBooking(JSON.stringify({ ...bookingWith(context, 'message', 'x'), ...Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 1])) })),
    expected: { problem: 400, code: 'validation_failed', fields: ['k0', 'k4999'] },
  },
  {
    name: '5,000 unknown keys in attendee',
    request: (context) =>
      rawBooking(bookingText(context, 'attendee.phone', `"04 77 00 00 00",${Array.from({ length: 5_000 }, (_, i) => `"k${i}":1`).join(',')}`)),
    expected: { problem: 400, code: 'validation_failed', fields: ['attendee.k0'] },
  },
  {
    name: '900 repeated fields in the booking form',
    request: (context) =>
      pagePost(context, `/reserver/creneau/${context.slotId}`, [
        ...bookingFields(),
        ...Array.from({ length: 900 }, (): [string, string] => ['attendee.name', 'x']),
      ]),
    expected: { page: 422 },
  },
  {
    name: '2,000 fields in the booking form (over the 1,000 parameters urlencoded parses)',
    request: (context) =>
      pagePost(context, `/reserver/creneau/${context.slotId}`, [
        ...bookingFields(),
        ...Array.from({ length: 2_000 }, (): [string, string] => ['attendee.name', 'x']),
      ]),
    expected: { page: 413, shows: ['trop volumineux'] },
  },
];

const UNICODE_REJECTED: Case[] = [
  fieldCase('attendee.name', 'Camille \ud800 Martin', 'a lone high surrogate'),
  fieldCase('organisation.name', 'Asso \udc00', 'a lone low surrogate'),
  fieldCase('message', '\udc00\ud800', 'a reversed surrogate pair'),
  {
    name: 'a lone surrogate written as the JSON escape "\\ud800"',
    request: (context) => rawBooking(bookingText(context, 'attendee.name', '"Camille \\ud800"')),
    expected: { problem: 400, code: 'validation_failed', fields: ['attendee.name'] },
  },
  fieldCase('attendee.name', 'Camille\u0000Martin', 'NUL'),
  fieldCase('message', '\u0000', 'NUL alone'),
  {
    name: 'NUL written as the JSON escape "\\u0000" in organisation.name',
    request: (context) => rawBooking(bookingText(context, 'organisation.name', '"Asso\\u0000"')),
    expected: { problem: 400, code: 'validation_failed', fields: ['organisation.name'] },
  },
  {
    name: 'NUL in a key',
    request: (context) => rawBooking(bookingText(context, 'attendee.phone', '"04 77 00 00 00","na\\u0000me":"x"')),
    expected: { problem: 400, code: 'validation_failed' },
  },
  ...(
    [
      ['an overlong "/" (C0 AF)', [0xc0, 0xaf]],
      ['an overlong NUL (C0 80)', [0xc0, 0x80]],
      ['a surrogate encoded in UTF-8 (ED A0 80)', [0xed, 0xa0, 0x80]],
      ['a byte that is never UTF-8 (FF)', [0xff]],
      ['a code point past U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
      ['a truncated sequence (E2 82)', [0xe2, 0x82]],
      ['a Latin-1 "é" (E9)', [0xe9]],
    ] as Array<[string, number[]]>
  ).map(([label, bytes]) => ({
    name: `invalid UTF-8 in attendee.name: ${label}`,
    request: (context: Context) => rawBooking(bookingBytes(context, 'attendee.name', bytes)),
    expected: { problem: 400, code: 'malformed_json' },
  })),
  {
    name: 'a UTF-16LE body with its BOM, declared UTF-8',
    request: (context) => rawBooking(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(bookingRequest(context.slotId)), 'utf16le')])),
    expected: { problem: 400, code: 'malformed_json' },
  },
  {
    name: 'two BOMs before the JSON',
    request: (context) => rawBooking(`\ufeff\ufeff${JSON.stringify(bookingRequest(context.slotId))}`),
    expected: { problem: 400, code: 'malformed_json' },
  },
  {
    name: 'invalid UTF-8 bytes in the booking form (raw, not percent-encoded)',
    request: (context) => {
      const request = pagePost(context, `/reserver/creneau/${context.slotId}`, bookingFields({ 'attendee.name': 'Camille __X__' }));
      const body = Buffer.from(request.body as string);
      const at = body.indexOf('__X__');
      return { ...request, body: Buffer.concat([body.subarray(0, at), Buffer.from([0xc0, 0xaf, 0xff]), body.subarray(at + 5)]) };
    },
    expected: { page: 400, shows: ['UTF-8'] },
  },
  {
    name: 'NUL in a field of the booking form',
    request: (context) => pagePost(context, `/reserver/creneau/${context.slotId}`, bookingFields({ 'attendee.name': 'Camille\u0000Martin' })),
    expected: { page: 400 },
  },
  {
    name: 'NUL in the cancellation reason of the manage page',
    request: (context) =>
      pagePost(context, `/reservations/${context.booking.id}/annuler`, [
        ['token', context.booking.token],
        ['reason', 'a\u0000b'],
      ]),
    expected: { page: 400 },
  },
  fieldCase('attendee.name', '𝒜'.repeat(201), '201 four-byte characters'),
  fieldCase('organisation.name', '👩🏽‍💻'.repeat(51), '51 ZWJ emoji sequences (204 code points)'),
  fieldCase('attendee.name', 'e\u0301'.repeat(101), '101 "e" + combining acute (202 code points)'),
];

const WRONG_TYPES: Case[] = [
  ...(
    [
      ['attendee', [null, 'Camille', [], 42, true]],
      ['organisation', [null, 'Asso', ['Asso'], 0, false]],
      ['attendee.name', [null, 42, true, [], {}, ['Camille']]],
      ['attendee.email', [null, ['camille@asso.test'], {}, 0]],
      ['attendee.phone', [42, [], {}, true]],
      ['organisation.name', [null, 1, ['Asso'], {}]],
      ['organisation.siret', [73282932000074, ['73282932000074'], {}]],
      ['organisation.postcode', [42000, ['42000'], {}]],
      ['organisation.legalForm', [['association'], {}, 1, true]],
      ['topics', ['legal_status', {}, [1], [null], [{}], true, 1]],
      ['message', [42, [], {}, true]],
      ['consent', ['true', 1, 'on', 'yes', null, [true], {}, 'false', 0]],
      ['slotId', [null, 42, [randomUUID()], {}, true]],
    ] as Array<[string, unknown[]]>
  ).flatMap(([path, values]) => values.map((value) => fieldCase(path, value))),
  ...(
    [
      ['a JSON array of a booking', (context: Context) => `[${JSON.stringify(bookingRequest(context.slotId))}]`, 'validation_failed'],
      ['a JSON string', () => '"{}"', 'malformed_json'],
      ['a JSON number', () => '1', 'malformed_json'],
      ['JSON null', () => 'null', 'malformed_json'],
      ['JSON true', () => 'true', 'malformed_json'],
      ['an empty object', () => '{}', 'validation_failed'],
    ] as Array<[string, (context: Context) => string, string]>
  ).map(([name, body, code]) => ({ name: `top level: ${name}`, request: (context: Context) => rawBooking(body(context)), expected: { problem: 400, code } })),
  {
    name: 'duplicated key: consent true then false (the last one counts)',
    request: (context) => rawBooking(JSON.stringify(bookingRequest(context.slotId)).replace(/}$/, ',"consent":false}')),
    expected: { problem: 400, code: 'validation_failed', fields: ['consent'] },
  },
  {
    name: 'duplicated key: a valid slotId then an injection',
    request: (context) => rawBooking(JSON.stringify(bookingRequest(context.slotId)).replace(/}$/, `,"slotId":"' OR 1=1 --"}`)),
    expected: { problem: 400, code: 'validation_failed', fields: ['slotId'] },
  },
  {
    name: 'duplicated key: attendee as an object then as a string',
    request: (context) => rawBooking(JSON.stringify(bookingRequest(context.slotId)).replace(/}$/, ',"attendee":"Camille"}')),
    expected: { problem: 400, code: 'validation_failed', fields: ['attendee'] },
  },
  {
    name: 'login: e-mail as an array',
    request: () => api('POST', '/api/auth/login', { email: ['admin@cress.test'], password: 'x' }),
    expected: { problem: 400, code: 'validation_failed', fields: ['email'] },
  },
  {
    name: 'login: password as a number',
    request: () => api('POST', '/api/auth/login', { email: 'admin@cress.test', password: 12345678 }),
    expected: { problem: 400, code: 'validation_failed', fields: ['password'] },
  },
  {
    name: 'cancel: reason as an object',
    request: (context) => api('POST', `/api/bookings/${context.booking.id}/cancel?token=${context.booking.token}`, { reason: { text: 'x' } }),
    expected: { problem: 400, code: 'validation_failed', fields: ['reason'] },
  },
  {
    name: 'reschedule: slotId as {"$gt": ""}',
    request: (context) => api('POST', `/api/bookings/${context.booking.id}/reschedule?token=${context.booking.token}`, { slotId: { $gt: '' } }),
    expected: { problem: 400, code: 'validation_failed', fields: ['slotId'] },
  },
  {
    name: 'personal data erasure: email as an array (admin)',
    request: (context) => api('POST', '/api/personal-data/erase', { email: ['camille@asso.test', '%'] }, { token: context.admin }),
    expected: { problem: 400, code: 'validation_failed', fields: ['email'] },
  },
  {
    name: 'users: active as "false" (admin)',
    request: (context) => api('PATCH', `/api/users/${context.adminId}`, { active: 'false' }, { token: context.admin }),
    expected: { problem: 400, code: 'validation_failed', fields: ['active'] },
  },
  {
    name: 'the booking form posted as JSON with attendee.name as an object',
    request: (context) => ({
      method: 'POST',
      path: `/reserver/creneau/${context.slotId}`,
      headers: { 'content-type': 'application/json', accept: 'text/html', cookie: context.csrf.cookie },
      body: JSON.stringify({ _csrf: context.csrf.token, ...Object.fromEntries(bookingFields()), 'attendee.name': { first: 'Camille' } }),
    }),
    expected: { page: 422 },
  },
  {
    name: 'the booking form posted as JSON with consent true and no name',
    request: (context) => ({
      method: 'POST',
      path: `/reserver/creneau/${context.slotId}`,
      headers: { 'content-type': 'application/json', accept: 'text/html', cookie: context.csrf.cookie },
      body: JSON.stringify({ _csrf: context.csrf.token, ...Object.fromEntries(bookingFields()), consent: true, 'attendee.name': ['Camille'] }),
    }),
    expected: { page: 422 },
  },
];

const MALFORMED_JSON: Case[] = (
  [
    ['a comment before the object', (context: Context) => `/* hello */${JSON.stringify(bookingRequest(context.slotId))}`],
    ['a line comment inside', (context: Context) => JSON.stringify(bookingRequest(context.slotId)).replace('{', '{ // x\n')],
    ['a trailing comma', (context: Context) => JSON.stringify(bookingRequest(context.slotId)).replace(/}$/, ',}')],
    [
      'a trailing comma in topics',
      (context: Context) => JSON.stringify(bookingRequest(context.slotId)).replace('"responsible_purchasing"]', '"responsible_purchasing",]'),
    ],
    ['single quotes', (context: Context) => JSON.stringify(bookingRequest(context.slotId)).replace(/"/g, "'")],
    ['unquoted keys', (context: Context) => JSON.stringify(bookingRequest(context.slotId)).replace(/"(\w+)":/g, '$1:')],
    ['NaN', () => '{"consent":NaN}'],
    ['Infinity', () => '{"consent":Infinity}'],
    ['a hexadecimal number', () => '{"consent":0x1}'],
    ['a raw newline in a string', (context: Context) => bookingText(context, 'attendee.name', '"Camille\nMartin"')],
    ['a raw tab in a string', (context: Context) => bookingText(context, 'attendee.name', '"Camille\tMartin"')],
    ['an invalid escape', (context: Context) => bookingText(context, 'attendee.name', '"Camille \\x41"')],
    ['a truncated \\u escape', (context: Context) => bookingText(context, 'attendee.name', '"Camille \\u12"')],
    ['two objects', (context: Context) => `${JSON.stringify(bookingRequest(context.slotId))}{}`],
    ['an unterminated string', () => '{"attendee":{"name":"Camille'],
    ['only whitespace', () => ' \r\n\t '],
    ['a JavaScript object (function call)', () => '{"consent":require("child_process")}'],
  ] as Array<[string, (context: Context) => string]>
).map(([name, body]) => ({
  name,
  request: (context: Context) => rawBooking(body(context)),
  expected: { problem: 400, code: name === 'only whitespace' ? undefined : 'malformed_json' },
}));

const CONTENT_TYPES: Case[] = [
  {
    name: 'a valid booking as text/plain',
    request: (context) => rawBooking(JSON.stringify(bookingRequest(context.slotId)), { 'content-type': 'text/plain' }),
    expected: { problem: 400, code: 'validation_failed', fields: ['slotId', 'consent'] },
  },
  {
    name: 'a valid booking without Content-Type',
    request: (context) => rawBooking(JSON.stringify(bookingRequest(context.slotId)), {}),
    expected: { problem: 400, code: 'validation_failed', fields: ['slotId', 'consent'] },
  },
  {
    name: 'a booking as application/x-www-form-urlencoded on the API',
    request: (context) => rawBooking(form([['slotId', context.slotId], ...bookingFields()]), { 'content-type': 'application/x-www-form-urlencoded' }),
    expected: { problem: 400, code: 'validation_failed', fields: ['attendee.name', 'consent'] },
  },
  {
    name: 'a booking as multipart/form-data on the API',
    request: (context) =>
      rawBooking(`--b\r\nContent-Disposition: form-data; name="json"\r\n\r\n${JSON.stringify(bookingRequest(context.slotId))}\r\n--b--\r\n`, {
        'content-type': 'multipart/form-data; boundary=b',
      }),
    expected: { problem: 400, code: 'validation_failed', fields: ['slotId'] },
  },
  {
    name: 'a booking as application/vnd.api+json',
    request: (context) => rawBooking(JSON.stringify(bookingRequest(context.slotId)), { 'content-type': 'application/vnd.api+json' }),
    expected: { problem: 400, code: 'validation_failed', fields: ['slotId'] },
  },
  ...['latin1', 'iso-8859-1', 'windows-1252', 'x-unknown', 'ebcdic-cp-us'].map((charset) => ({
    name: `application/json; charset=${charset}`,
    request: (context: Context) => rawBooking(JSON.stringify(bookingRequest(context.slotId)), { 'content-type': `application/json; charset=${charset}` }),
    expected: { problem: 415, code: 'unsupported_media_type' },
  })),
  ...['utf-16', 'utf-16be', 'utf-32'].map((charset) => ({
    name: `application/json; charset=${charset} with UTF-8 bytes`,
    request: (context: Context) => rawBooking(JSON.stringify(bookingRequest(context.slotId)), { 'content-type': `application/json; charset=${charset}` }),
    expected: { problem: '4xx' as const },
  })),
  {
    name: 'the booking form declared charset=iso-8859-1, with a wrong e-mail',
    request: (context) => {
      const request = pagePost(context, `/reserver/creneau/${context.slotId}`, bookingFields({ 'attendee.email': 'not-an-email' }));
      return { ...request, headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' } };
    },
    expected: { page: 422 },
  },
  {
    name: 'the booking form as text/plain (no CSRF field can be read)',
    request: (context) => ({
      ...pagePost(context, `/reserver/creneau/${context.slotId}`, bookingFields()),
      headers: { 'content-type': 'text/plain', accept: 'text/html', cookie: context.csrf.cookie },
    }),
    expected: { page: 403 },
  },
  {
    name: 'the booking form as multipart/form-data',
    request: (context) => ({
      method: 'POST',
      path: `/reserver/creneau/${context.slotId}`,
      headers: { 'content-type': 'multipart/form-data; boundary=b', accept: 'text/html', cookie: context.csrf.cookie },
      body:
        [['_csrf', context.csrf.token], ...bookingFields()]
          .map(([name, value]) => `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
          .join('') + '--b--\r\n',
    }),
    expected: { page: 403 },
  },
  {
    name: 'Content-Encoding: gzip on a plain JSON body',
    request: (context) => rawBooking(JSON.stringify(bookingRequest(context.slotId)), { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
    expected: { problem: 400 },
  },
  {
    name: 'Content-Encoding: gzip, a gzip bomb (10 MB in 10 KB)',
    request: () => rawBooking(GZIP_BOMB, { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
    expected: { problem: 413, code: 'payload_too_large' },
  },
  {
    name: 'Content-Encoding: deflate, a deflate bomb',
    request: () => rawBooking(DEFLATE_BOMB, { 'content-type': 'application/json', 'content-encoding': 'deflate' }),
    expected: { problem: 413, code: 'payload_too_large' },
  },
  {
    name: 'Content-Encoding: gzip, a gzip bomb posted to the booking form',
    request: (context) => ({
      method: 'POST',
      path: `/reserver/creneau/${context.slotId}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip', accept: 'text/html', cookie: context.csrf.cookie },
      body: GZIP_BOMB,
    }),
    expected: { page: 413, shows: ['trop volumineux'] },
  },
  {
    name: 'Content-Encoding: gzip, a truncated gzip stream',
    request: (context) =>
      rawBooking(gzipSync(JSON.stringify(bookingRequest(context.slotId))).subarray(0, 30), { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
    expected: { problem: '4xx' },
  },
  {
    name: 'Content-Encoding: br on garbage',
    request: () => rawBooking(Buffer.from('definitely not brotli'), { 'content-type': 'application/json', 'content-encoding': 'br' }),
    expected: { problem: 400 },
  },
  {
    name: 'Content-Encoding: br of invalid UTF-8 (checked after decompression)',
    request: (context) =>
      rawBooking(brotliCompressSync(bookingBytes(context, 'attendee.name', [0xc0, 0xaf])), { 'content-type': 'application/json', 'content-encoding': 'br' }),
    expected: { problem: 400, code: 'malformed_json' },
  },
  // body-parser decompresses zstd where Node's zlib can (Node 22.15 and later, so on Node 24): there it is
  // refused as garbage like br above; on an older Node it is an unknown encoding.
  ...('createZstdDecompress' in zlib
    ? [
        {
          name: 'Content-Encoding: zstd on garbage',
          request: () => rawBooking(Buffer.from('definitely not zstd'), { 'content-type': 'application/json', 'content-encoding': 'zstd' }),
          expected: { problem: 400 },
        },
      ]
    : []),
  ...['gzip, gzip', 'compress', 'x-unknown', ...('createZstdDecompress' in zlib ? [] : ['zstd'])].map((encoding) => ({
    name: `Content-Encoding: ${encoding}`,
    request: (context: Context) =>
      rawBooking(JSON.stringify(bookingRequest(context.slotId)), { 'content-type': 'application/json', 'content-encoding': encoding }),
    expected: { problem: 415, code: 'unsupported_media_type' },
  })),
];

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

const FRAMING: Case[] = [
  {
    name: 'Content-Length larger than the body, then the client stops sending',
    request: () => ({
      raw: head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: 1000']) + '{"consent":true}',
      later: [''],
      halfClose: true,
    }),
    expected: { node4xx: true, orClosed: true },
  },
  {
    name: 'Content-Length larger than the body on the booking form, then the client stops sending',
    request: (context) => ({
      raw:
        head([
          `POST /reserver/creneau/${context.slotId} HTTP/1.1`,
          'Host: localhost',
          'Content-Type: application/x-www-form-urlencoded',
          `Cookie: ${context.csrf.cookie}`,
          'Content-Length: 5000',
        ]) + form([['_csrf', context.csrf.token], ...bookingFields()]),
      later: [''],
      halfClose: true,
    }),
    expected: { node4xx: true, orClosed: true },
  },
  {
    name: 'Content-Length shorter than the body, the rest arriving later',
    request: (context) => {
      const body = JSON.stringify(bookingRequest(context.slotId));
      return {
        raw:
          head([
            'POST /api/bookings HTTP/1.1',
            'Host: localhost',
            'Content-Type: application/json',
            `Content-Length: ${body.length - 10}`,
            'Connection: close',
          ]) + body.slice(0, -10),
        later: [body.slice(-10)],
      };
    },
    expected: { problem: 400, code: 'malformed_json' },
  },
  {
    name: 'Content-Length: abc',
    request: () => ({ raw: head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: abc']) + '{}' }),
    expected: { node4xx: true },
  },
  {
    name: 'Content-Length: -1',
    request: () => ({ raw: head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: -1']) + '{}' }),
    expected: { node4xx: true },
  },
  {
    name: 'two different Content-Length headers',
    request: () => ({
      raw: head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 20']) + '{}',
    }),
    expected: { node4xx: true },
  },
  {
    name: 'Content-Length and Transfer-Encoding: chunked together (request smuggling)',
    request: () => ({
      raw:
        head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked']) +
        '2\r\n{}\r\n0\r\n\r\n',
    }),
    expected: { node4xx: true },
  },
  {
    name: 'Transfer-Encoding: chunked with a chunk size that is not hexadecimal',
    request: () => ({
      raw: head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Transfer-Encoding: chunked']) + 'zz\r\n{}\r\n0\r\n\r\n',
    }),
    expected: { node4xx: true },
  },
  {
    name: 'Transfer-Encoding: chunked with a chunk longer than its size',
    request: () => ({
      raw:
        head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Transfer-Encoding: chunked']) +
        '2\r\n{"consent":true}\r\n0\r\n\r\n',
    }),
    expected: { node4xx: true },
  },
  {
    name: 'Transfer-Encoding: chunked with a 2^64 chunk size',
    request: () => ({
      raw:
        head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Transfer-Encoding: chunked']) + 'ffffffffffffffffff\r\n{}',
    }),
    expected: { node4xx: true },
  },
  {
    name: 'Transfer-Encoding: chunked, never terminated, then the client stops sending',
    request: () => ({
      raw: head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Transfer-Encoding: chunked']) + '2\r\n{}\r\n',
      later: [''],
      halfClose: true,
    }),
    expected: { node4xx: true, orClosed: true },
  },
  {
    name: 'Transfer-Encoding: chunked, 70 KB in small chunks (the limit holds for chunked bodies)',
    request: () => ({
      raw:
        head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Transfer-Encoding: chunked', 'Connection: close']) +
        `1\r\n{\r\n${Array.from({ length: 70 }, (_, i) => chunk(`"${i}${'x'.repeat(1000)}":1,`)).join('')}${chunk('"a":1}')}0\r\n\r\n`,
    }),
    expected: { problem: 413, code: 'payload_too_large' },
  },
  {
    name: 'Transfer-Encoding: xchunked',
    request: () => ({ raw: head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Transfer-Encoding: xchunked']) + '{}' }),
    expected: { node4xx: true },
  },
  {
    name: 'an obsolete folded header',
    request: () => ({ raw: head(['GET /health HTTP/1.1', 'Host: localhost', 'X-Folded: a', ' b']) }),
    expected: { node4xx: true },
  },
  {
    name: 'a NUL in a header value',
    request: () => ({ raw: head(['GET /health HTTP/1.1', 'Host: localhost', 'X-Nul: a\u0000b']) }),
    expected: { node4xx: true },
  },
  {
    name: 'a space in a header name',
    request: () => ({ raw: head(['GET /health HTTP/1.1', 'Host: localhost', 'Content Type: application/json']) }),
    expected: { node4xx: true },
  },
  {
    name: 'a bare LF between headers with a smuggled header',
    request: () => ({ raw: 'GET /health HTTP/1.1\r\nHost: localhost\nX-Smuggled: 1\r\n\r\n' }),
    expected: { node4xx: true },
  },
  { name: 'an unknown method (FOO)', request: () => ({ raw: head(['FOO /api/bookings HTTP/1.1', 'Host: localhost']) }), expected: { node4xx: true } },
  { name: 'CONNECT', request: () => ({ raw: head(['CONNECT 127.0.0.1:5432 HTTP/1.1', 'Host: 127.0.0.1:5432']) }), expected: { node4xx: true, orClosed: true } },
  {
    name: 'a garbage request line',
    request: () => ({ raw: '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003 hello\r\n\r\n' }),
    expected: { node4xx: true },
  },
  { name: 'HTTP/2 preface sent to HTTP/1.1', request: () => ({ raw: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' }), expected: { node4xx: true } },
  {
    name: 'Expect: x-teapot',
    request: () => ({
      raw: head(['POST /api/bookings HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: 2', 'Expect: x-teapot']) + '{}',
    }),
    expected: { node4xx: true, status: 417 },
  },
  {
    name: 'Expect: 100-continue-please (Node sends 100 Continue, the application answers)',
    request: () => ({
      raw:
        head([
          'POST /api/bookings HTTP/1.1',
          'Host: localhost',
          'Content-Type: application/json',
          'Content-Length: 2',
          'Connection: close',
          'Expect: 100-continue-please',
        ]) + '{}',
    }),
    expected: { problem: 400, code: 'validation_failed' },
  },
];

const AUTHORIZATION: Case[] = [
  ...(
    [
      ['Bearer with garbage', 'Bearer garbage'],
      ['Bearer with three garbage parts', 'Bearer a.b.c'],
      ['Bearer and nothing', 'Bearer '],
      ['Bearer with an SQL injection', "Bearer ' OR 1=1 --"],
      ['Basic credentials', `Basic ${Buffer.from('admin@cress.test:admin-password-123').toString('base64')}`],
      ['a 4 KB JWT-shaped token', `Bearer ${'a'.repeat(1_400)}.${'b'.repeat(1_400)}.${'c'.repeat(1_400)}`],
      ['base64 of JSON that is not a JWT', `Bearer ${Buffer.from('{}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`],
    ] as Array<[string, string]>
  ).map(([name, authorization]) => ({
    name: `GET /api/auth/me with ${name}`,
    request: () => api('GET', '/api/auth/me', undefined, { headers: { authorization } }),
    expected: { problem: 401, code: 'unauthenticated' },
  })),
  ...(
    [
      ['alg none, no signature', (context: Context) => handmadeJwt({ alg: 'none', typ: 'JWT' }, adminClaims(context), null)],
      ['alg none, signed anyway', (context: Context) => handmadeJwt({ alg: 'none', typ: 'JWT' }, adminClaims(context), jwtSigner(context.jwtSecret))],
      ['alg "None"', (context: Context) => handmadeJwt({ alg: 'None' }, adminClaims(context), null)],
      ['HS256 with another secret', (context: Context) => handmadeJwt(HS256, adminClaims(context), jwtSigner('another secret, long enough to look real'))],
      ['HS256 with an empty secret', (context: Context) => handmadeJwt(HS256, adminClaims(context), jwtSigner(''))],
      [
        'HS512 with the right secret',
        (context: Context) =>
          handmadeJwt({ alg: 'HS512', typ: 'JWT' }, adminClaims(context), (input) => createHmac('sha512', context.jwtSecret).update(input).digest('base64url')),
      ],
      [
        'RS256 header with an HMAC signature',
        (context: Context) => handmadeJwt({ alg: 'RS256', typ: 'JWT' }, adminClaims(context), jwtSigner(context.jwtSecret)),
      ],
      [
        'expired a minute ago',
        (context: Context) => handmadeJwt(HS256, adminClaims(context, { iat: context.now - 7200, exp: context.now - 60 }), jwtSigner(context.jwtSecret)),
      ],
      [
        'not valid before tomorrow',
        (context: Context) => handmadeJwt(HS256, adminClaims(context, { nbf: context.now + 86_400 }), jwtSigner(context.jwtSecret)),
      ],
      [
        'an older token version',
        (context: Context) => handmadeJwt(HS256, adminClaims(context, { ver: context.adminVersion - 1 }), jwtSigner(context.jwtSecret)),
      ],
      ['an unknown user', (context: Context) => handmadeJwt(HS256, adminClaims(context, { sub: randomUUID() }), jwtSigner(context.jwtSecret))],
      ["sub ' OR 1=1 --", (context: Context) => handmadeJwt(HS256, adminClaims(context, { sub: "' OR 1=1 --" }), jwtSigner(context.jwtSecret))],
      ['sub as an object', (context: Context) => handmadeJwt(HS256, adminClaims(context, { sub: { $ne: null } }), jwtSigner(context.jwtSecret))],
      ['a kid with a path', (context: Context) => handmadeJwt({ ...HS256, kid: '../../../dev/null' }, adminClaims(context), jwtSigner(''))],
      [
        'a signature of the right token with one claim changed',
        (context: Context) => {
          const real = handmadeJwt(HS256, adminClaims(context, { role: 'viewer' }), jwtSigner(context.jwtSecret)).split('.');
          return `${real[0]}.${Buffer.from(JSON.stringify(adminClaims(context))).toString('base64url')}.${real[2]}`;
        },
      ],
    ] as Array<[string, (context: Context) => string]>
  ).map(([name, token]) => ({
    name: `a JWT: ${name}`,
    request: (context: Context) => api('GET', '/api/users', undefined, { token: token(context) }),
    expected: { problem: 401, code: 'unauthenticated' },
  })),
  {
    name: 'a JWT with alg none creating a user',
    request: (context) =>
      api(
        'POST',
        '/api/users',
        { email: 'intruder@cress.test', name: 'Intrus', role: 'admin', password: 'long-enough-password' },
        { token: handmadeJwt({ alg: 'none' }, adminClaims(context), null) },
      ),
    expected: { problem: 401, code: 'unauthenticated' },
  },
  {
    name: 'an expired JWT cancelling a booking as staff',
    request: (context) =>
      api(
        'POST',
        `/api/bookings/${context.booking.id}/cancel`,
        {},
        { token: handmadeJwt(HS256, adminClaims(context, { exp: context.now - 1 }), jwtSigner(context.jwtSecret)) },
      ),
    expected: { problem: 401, code: 'unauthenticated' },
  },
];

/** A form that would book the free slot, were its CSRF pair right. */
function forgedCsrf(name: string, csrf: (context: Context) => { cookie?: string; token?: string | string[] }): Case {
  return {
    name: `a valid booking form with ${name}`,
    request: (context) => pagePost(context, `/reserver/creneau/${context.slotId}`, bookingFields(), { csrf: csrf(context) }),
    expected: { page: 403, shows: ['Ce formulaire a expiré'] },
  };
}

const anotherBrowser = () => `${randomBytes(32).toString('base64url')}`;
const csrfOf = (secret: string, value: string) => createHmac('sha256', secret).update(`csrf:${value}`).digest('base64url');

const COOKIES_AND_CSRF: Case[] = [
  forgedCsrf('no CSRF cookie nor field', () => ({})),
  forgedCsrf('the field but no cookie', (context) => ({ token: context.csrf.token })),
  forgedCsrf('the cookie but no field', (context) => ({ cookie: context.csrf.cookie })),
  forgedCsrf('the cookie and an empty field', (context) => ({ cookie: context.csrf.cookie, token: '' })),
  forgedCsrf("another browser's cookie with this browser's token", (context) => ({ cookie: `rv_csrf=${anotherBrowser()}`, token: context.csrf.token })),
  forgedCsrf('a made-up cookie with itself as the token', () => {
    const value = anotherBrowser();
    return { cookie: `rv_csrf=${value}`, token: value };
  }),
  forgedCsrf('a made-up cookie with its HMAC under another secret', () => {
    const value = anotherBrowser();
    return { cookie: `rv_csrf=${value}`, token: csrfOf('not the secret', value) };
  }),
  forgedCsrf('a made-up cookie with its unkeyed SHA-256', () => {
    const value = anotherBrowser();
    return { cookie: `rv_csrf=${value}`, token: csrfOf('', value) };
  }),
  forgedCsrf('a short cookie (not 43 characters) with its right HMAC', (context) => ({ cookie: 'rv_csrf=abc', token: csrfOf(context.jwtSecret, 'abc') })),
  forgedCsrf('the right token twice', (context) => ({ cookie: context.csrf.cookie, token: [context.csrf.token, context.csrf.token] })),
  forgedCsrf('the right token with one character changed', (context) => ({
    cookie: context.csrf.cookie,
    token: `${context.csrf.token.slice(0, -1)}${context.csrf.token.endsWith('A') ? 'B' : 'A'}`,
  })),
  forgedCsrf('the right token plus a suffix', (context) => ({ cookie: context.csrf.cookie, token: `${context.csrf.token}x` })),
  forgedCsrf('two rv_csrf cookies, the token matching the second', (context) => {
    const value = anotherBrowser();
    return { cookie: `rv_csrf=${value}; ${context.csrf.cookie}`, token: csrfOf('x', value) };
  }),
  {
    name: 'cancelling a real booking with its token but no CSRF pair',
    request: (context) => pagePost(context, `/reservations/${context.booking.id}/annuler`, [['token', context.booking.token]], { csrf: false }),
    expected: { page: 403 },
  },
  {
    name: 'signing in with the right password but a forged CSRF pair',
    request: () => ({
      method: 'POST',
      path: '/staff/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: 'rv_csrf=x' },
      body: form([
        ['_csrf', 'x'],
        ['email', 'admin@cress.test'],
        ['password', 'admin-password-123'],
      ]),
    }),
    expected: { page: 403 },
  },
  {
    name: 'a staff form with a valid session but no CSRF field',
    request: (context) => ({
      method: 'POST',
      path: '/staff/ateliers/nouveau',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: `rv_session=${context.admin}; ${context.csrf.cookie}` },
      body: form([
        ['title', 'Atelier fantôme'],
        ['capacity', '10'],
      ]),
    }),
    expected: { page: 403 },
  },
  {
    name: 'a staff page with a garbage session cookie',
    request: () => pageGet('/staff/agenda', { cookie: 'rv_session=garbage' }),
    expected: { redirect: /^\/staff\/connexion\?suite=%2Fstaff%2Fagenda$/ },
  },
  {
    name: 'a staff page with an alg-none session cookie',
    request: (context) => pageGet('/staff/ateliers', { cookie: `rv_session=${handmadeJwt({ alg: 'none' }, adminClaims(context), null)}` }),
    expected: { redirect: /^\/staff\/connexion/ },
  },
  {
    name: 'a staff page with an expired session cookie',
    request: (context) =>
      pageGet('/staff/organisations', {
        cookie: `rv_session=${handmadeJwt(HS256, adminClaims(context, { exp: context.now - 1 }), jwtSigner(context.jwtSecret))}`,
      }),
    expected: { redirect: /^\/staff\/connexion/ },
  },
  {
    name: 'a staff form posted with a garbage session cookie and a valid CSRF pair',
    request: (context) =>
      pagePost(
        context,
        '/staff/ateliers/nouveau',
        [
          ['title', 'Atelier fantôme'],
          ['capacity', '10'],
        ],
        { csrf: { cookie: `rv_session=garbage; ${context.csrf.cookie}`, token: context.csrf.token } },
      ),
    expected: { redirect: /^\/staff\/connexion$/ },
  },
  {
    name: 'the login page with a malformed cookie header',
    request: () => pageGet('/staff/connexion', { cookie: 'rv_csrf=%E0%A4%A; rv_session=%; =; ;;; a' }),
    expected: { page: 200 },
  },
];

const PAGE_FORMS: Case[] = [
  {
    name: 'the booking form with markup and SQL in every text field and a wrong e-mail: 422, everything shown back escaped',
    request: (context) =>
      pagePost(
        context,
        `/reserver/creneau/${context.slotId}`,
        bookingFields({
          'attendee.name': '<script>alert(1)</script>',
          'attendee.email': '"><img src=x onerror=alert(1)>',
          'attendee.phone': "'; DROP TABLE bookings; --",
          'organisation.name': "{{constructor.constructor('return process')()}}",
          'organisation.siret': '<b>bold</b>',
          'organisation.postcode': '$1',
          message: '</textarea><script>alert(2)</script>',
        }),
      ),
    expected: {
      page: 422,
      shows: [
        '&lt;script&gt;alert(1)&lt;/script&gt;',
        '&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;',
        '&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;',
        '&#x27;; DROP TABLE bookings; --',
        '{{constructor.constructor(&#x27;return process&#x27;)()}}',
      ],
      hides: ['<script>alert', '<img src=x', '</textarea><script>'],
    },
  },
  {
    name: 'the workshop form with a CRLF header in the name and a wrong e-mail: 422, no header set',
    request: (context) =>
      pagePost(
        context,
        `/reserver/atelier/${context.workshopId}`,
        bookingFields({ 'attendee.name': 'x\r\nSet-Cookie: a=b', 'attendee.email': 'x\r\nBcc: everyone@asso.test' }, false),
      ),
    expected: { page: 422, shows: ['x\r\nSet-Cookie: a&#x3D;b'] },
  },
  {
    name: 'the booking form without consent',
    request: (context) =>
      pagePost(
        context,
        `/reserver/creneau/${context.slotId}`,
        bookingFields().filter(([name]) => name !== 'consent'),
      ),
    expected: { page: 422 },
  },
  {
    name: 'the booking form with consent=false',
    request: (context) => pagePost(context, `/reserver/creneau/${context.slotId}`, bookingFields({ consent: 'false' })),
    expected: { page: 422 },
  },
  {
    name: 'the booking form with an injected topic',
    request: (context) => pagePost(context, `/reserver/creneau/${context.slotId}`, [...bookingFields(), ['topics', "' OR 1=1 --"]]),
    expected: { page: 422 },
  },
  {
    name: 'the booking form with slotId and workshopId smuggled as fields',
    request: (context) =>
      pagePost(context, `/reserver/creneau/${randomUUID()}`, [...bookingFields(), ['slotId', context.slotId], ['workshopId', context.workshopId]]),
    expected: { page: 404 },
  },
  {
    name: 'the booking form of an unknown slot with another free time chosen (offered only on a taken slot’s form)',
    request: (context) => pagePost(context, `/reserver/creneau/${randomUUID()}`, [...bookingFields(), ['autreCreneau', context.slotId]]),
    expected: { page: 404 },
  },
  {
    name: 'the booking form with __proto__ and constructor fields',
    request: (context) => pagePost(context, `/reserver/creneau/${context.slotId}`, [...bookingFields(), ['__proto__', 'x'], ['constructor', 'y']]),
    expected: { page: 400 },
  },
  {
    name: 'the booking form for an unknown slot',
    request: (context) => pagePost(context, `/reserver/creneau/${randomUUID()}`, bookingFields()),
    expected: { page: 404 },
  },
  {
    name: 'the booking form for a slot id that is not a UUID',
    request: (context) => pagePost(context, "/reserver/creneau/1'%20OR%201=1", bookingFields()),
    expected: { page: 400 },
  },
  {
    name: 'the workshop form for an unknown workshop',
    request: (context) => pagePost(context, `/reserver/atelier/${randomUUID()}`, bookingFields({}, false)),
    expected: { page: 404 },
  },
  { name: 'GET the booking form of a slot id that is not a UUID', request: () => pageGet('/reserver/creneau/..%2f..%2fetc%2fpasswd'), expected: { page: 400 } },
  { name: 'GET the booking form of an unknown slot', request: () => pageGet(`/reserver/creneau/${randomUUID()}`), expected: { page: 404 } },
  { name: 'the manage page without a token', request: (context) => pageGet(`/reservations/${context.booking.id}`), expected: { page: 404 } },
  { name: 'the manage page with a wrong token', request: (context) => pageGet(`/reservations/${context.booking.id}?token=wrong`), expected: { page: 404 } },
  {
    name: 'the manage page with the token twice',
    request: (context) => pageGet(`/reservations/${context.booking.id}?token=${context.booking.token}&token=${context.booking.token}`),
    expected: { page: 404 },
  },
  {
    name: 'the manage page with ?fait=<script>',
    request: (context) => pageGet(`/reservations/${context.booking.id}?token=${context.booking.token}&fait=%3Cscript%3Ealert(1)%3C/script%3E`),
    expected: { page: 200, hides: ['<script>alert', '&lt;script&gt;'] },
  },
  {
    name: 'the manage page with a token of invalid percent-encoding',
    request: (context) => pageGet(`/reservations/${context.booking.id}?token=%E0%A4%A`),
    expected: { page: 404 },
  },
  {
    name: 'cancelling with a wrong token',
    request: (context) => pagePost(context, `/reservations/${context.booking.id}/annuler`, [['token', "' OR 1=1 --"]]),
    expected: { page: 404 },
  },
  {
    name: 'cancelling with a 501-character reason',
    request: (context) =>
      pagePost(context, `/reservations/${context.booking.id}/annuler`, [
        ['token', context.booking.token],
        ['reason', '<b>'.repeat(167)],
      ]),
    expected: { page: 422, hides: ['<b><b>'] },
  },
  {
    name: 'cancelling with the token as a repeated field',
    request: (context) =>
      pagePost(context, `/reservations/${context.booking.id}/annuler`, [
        ['token', context.booking.token],
        ['token', context.booking.token],
      ]),
    expected: { page: 404 },
  },
  {
    name: 'rescheduling to an injected slot',
    request: (context) =>
      pagePost(context, `/reservations/${context.booking.id}/deplacer`, [
        ['token', context.booking.token],
        ['slotId', "' OR 1=1 --"],
      ]),
    expected: { page: 422 },
  },
  {
    name: 'rescheduling an unknown booking',
    request: (context) =>
      pagePost(context, `/reservations/${randomUUID()}/deplacer`, [
        ['token', context.booking.token],
        ['slotId', context.slotId],
      ]),
    expected: { page: 404 },
  },
  {
    name: 'signing in with an injected e-mail: 422, the e-mail shown back escaped',
    request: (context) =>
      pagePost(context, '/staff/connexion', [
        ['email', '"><script>alert(1)</script>'],
        ['password', "' OR '1'='1"],
      ]),
    expected: { page: 422, shows: ['&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'], hides: ['<script>alert'] },
  },
  {
    name: 'signing in with an off-site ?suite= (no open redirect)',
    request: (context) =>
      pagePost(context, '/staff/connexion', [
        ['email', 'nobody'],
        ['password', 'x'],
        ['suite', '//evil.test/staff'],
      ]),
    expected: { page: 422, hides: ['evil.test'] },
  },
  {
    name: 'the login page with ?suite=javascript:alert(1)',
    request: () => pageGet('/staff/connexion?suite=javascript:alert(1)'),
    expected: { page: 200, hides: ['javascript:'] },
  },
];

const NOT_A_UUID = "1'%20OR%201=1";

const PATHS_AND_METHODS: Case[] = [
  ...[
    '/assets/../package.json',
    '/assets/%2e%2e/package.json',
    '/assets/%2e%2e%2fpackage.json',
    '/assets/..%2fpackage.json',
    '/assets/..%5cpackage.json',
    '/assets/%252e%252e/package.json',
    '/assets/....//....//package.json',
    '/assets/%c0%ae%c0%ae/package.json',
    '/assets/%2e%2e/%2e%2e/src/main.ts',
    '/assets/%2e%2e/pages/layout.hbs',
    '/assets/../../../../../../etc/passwd',
    '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/assets/app.css%00.json',
    '/assets/app.css/..%2f..%2fpages%2flayout.hbs',
    '/assets/',
    '/assets/.env',
    '//etc/passwd',
    '/package.json',
    '/.env',
    '/templates/pages/layout.hbs',
    '/dist/src/main.js',
  ].map((path) => ({ name: `GET ${path}`, request: () => api('GET', path), expected: { problem: '4xx' as const } })),
  {
    name: 'GET /api/bookings/..%2f..%2fetc%2fpasswd',
    request: () => api('GET', '/api/bookings/..%2f..%2fetc%2fpasswd?token=x'),
    expected: { problem: 400, code: 'validation_failed', fields: ['id'] },
  },
  {
    name: 'GET /api/bookings/%00',
    request: () => api('GET', '/api/bookings/%00?token=x'),
    expected: { problem: 400, code: 'validation_failed', fields: ['id'] },
  },
  { name: 'GET /api/bookings/%FF (invalid percent-encoding)', request: () => api('GET', '/api/bookings/%FF?token=x'), expected: { problem: 400 } },
  { name: 'GET /reservations/%FF as a browser', request: () => pageGet('/reservations/%FF'), expected: { page: 400 } },
  ...(
    [
      ['GET', `/api/bookings/${NOT_A_UUID}/invite.ics?token=x`, undefined],
      ['PUT', `/api/bookings/${NOT_A_UUID}/attendance`, { status: 'attended' }],
      ['GET', `/api/workshops/${NOT_A_UUID}`, undefined],
      ['GET', `/api/workshops/${NOT_A_UUID}/registrations`, undefined],
      ['POST', `/api/workshops/${NOT_A_UUID}/cancel`, {}],
      ['GET', `/api/organisations/${NOT_A_UUID}`, undefined],
      ['PATCH', `/api/organisations/${NOT_A_UUID}`, { name: 'x' }],
      ['POST', `/api/organisations/${NOT_A_UUID}/merge`, { into: randomUUID() }],
      ['POST', `/api/admin/outbox/${NOT_A_UUID}/retry`, undefined],
      ['PATCH', `/api/permanences/series/${NOT_A_UUID}`, {}],
      ['POST', `/api/permanences/${NOT_A_UUID}/cancel`, { reason: 'x' }],
      ['POST', `/api/permanences/${NOT_A_UUID}/move`, {}],
      ['PUT', `/api/permanences/${NOT_A_UUID}/advisors`, {}],
      ['PATCH', `/api/users/${NOT_A_UUID}`, { active: false }],
    ] as Array<[string, string, unknown]>
  ).map(([method, path, body]) => ({
    name: `${method} ${path} (admin)`,
    request: (context: Context) => api(method, path, body, { token: context.admin }),
    expected: { problem: 400, code: 'validation_failed', fields: ['id'] },
  })),
  ...['/staff/organisations/', '/staff/ateliers/'].map((prefix) => ({
    name: `GET ${prefix}${NOT_A_UUID} (admin session)`,
    request: (context: Context) => pageGet(`${prefix}${NOT_A_UUID}`, { cookie: `rv_session=${context.admin}` }),
    expected: { page: 400 },
  })),
  {
    name: `POST /staff/ateliers/${NOT_A_UUID}/annuler (admin session)`,
    request: (context) =>
      pagePost(context, `/staff/ateliers/${NOT_A_UUID}/annuler`, [], {
        csrf: { cookie: `rv_session=${context.admin}; ${context.csrf.cookie}`, token: context.csrf.token },
      }),
    expected: { page: 400 },
  },
  {
    name: 'GET /calendar/advisors/<injection>.ics',
    request: () => api('GET', `/calendar/advisors/${encodeURIComponent("' OR 1=1 --")}.ics`),
    expected: { problem: 404 },
  },
  ...(
    [
      ['PROPFIND', '/api/bookings'],
      ['PROPFIND', '/'],
      ['MKCOL', '/assets/x'],
      ['LOCK', '/api/bookings'],
      ['TRACE', '/'],
      ['TRACE', '/api/bookings'],
      ['DELETE', '/api/bookings'],
      ['PATCH', '/api/bookings'],
      ['PUT', '/'],
      ['POST', '/'],
      ['DELETE', '/reservations/00000000-0000-4000-8000-000000000000'],
      ['SEARCH', '/api/organisations'],
    ] as Array<[string, string]>
  ).map(([method, path]) => ({ name: `${method} ${path}`, request: () => api(method, path), expected: { problem: 404, code: 'route_not_found' } })),
  { name: 'OPTIONS /api/bookings', request: () => api('OPTIONS', '/api/bookings'), expected: { problem: '4xx' as const } },
  {
    name: 'OPTIONS * (raw)',
    request: () => ({ raw: head(['OPTIONS * HTTP/1.1', 'Host: localhost', 'Connection: close']) }),
    expected: { problem: 404, code: 'route_not_found' },
  },
  {
    name: 'an absolute-form request target to another host',
    request: () => ({ raw: head(['GET http://evil.test/package.json HTTP/1.1', 'Host: evil.test', 'Connection: close']) }),
    expected: { problem: 404, code: 'route_not_found' },
  },
];

describe('hostile input', () => {
  let app: TestApp;
  let apiClient: Client;
  let context: Context;

  /**
   * A free slot: the first one for the rejected cases (the pages only know the slots of the next three
   * months, and a rejected case leaves its slot free), the last one for the accepted cases, which take it.
   */
  async function freeSlot(which: 'first' | 'last'): Promise<string> {
    const sessions = await listSessions(apiClient, ...SLOT_RANGE);
    const free = sessions
      .filter((session) => session.status === 'scheduled')
      .flatMap((session) => session.slots)
      .filter((candidate) => candidate.available > 0);
    const slot = which === 'first' ? free[0] : free[free.length - 1];
    if (!slot) throw new Error('no free slot left');
    return slot.id;
  }

  beforeAll(async () => {
    app = await startTestApp();
    apiClient = client(app.baseUrl);
    const admin = await adminToken(apiClient);
    const [user] = await app.dataSource.query(`SELECT id, token_version FROM users WHERE email = 'admin@cress.test'`);
    const workshop = await createWorkshop(apiClient, admin, { capacity: 200, title: 'Atelier <b>du</b> « corpus »' });
    const booked = await apiClient.post('/api/bookings', bookingRequest(await freeSlot('last')));
    if (booked.status !== 201) throw new Error(`booking failed: ${booked.status} ${booked.text}`);
    context = {
      baseUrl: app.baseUrl,
      slotId: await freeSlot('first'),
      workshopId: workshop.id,
      admin,
      adminId: user.id,
      adminVersion: user.token_version,
      jwtSecret: app.jwtSecret,
      now: Math.floor(app.clock.now().getTime() / 1000),
      csrf: await csrfPair(app.baseUrl),
      booking: { id: booked.body.id, token: booked.body.manageToken },
    };
  });

  afterAll(() => app?.close());

  /** A positive control for the forged tokens: the same hand-made token, rightly signed and current, is accepted. */
  it('accepts a hand-made JWT signed with the right secret (so the forged ones fail for what is forged)', async () => {
    const token = handmadeJwt(HS256, adminClaims(context), jwtSigner(context.jwtSecret));
    expect((await send(app.baseUrl, api('GET', '/api/users', undefined, { token }))).status).toBe(200);
    expect((await send(app.baseUrl, pageGet('/staff/ateliers', { cookie: `rv_session=${token}` }))).status).toBe(200);
  });

  function check(reply: Reply | null, expected: Expected, received: string): void {
    if (reply === null) {
      // Only framing a server cannot answer may end with the connection closed.
      expect({ closedWithoutAnswer: true, received }).toEqual({ closedWithoutAnswer: 'node4xx' in expected && expected.orClosed === true, received });
      return;
    }
    expect(reply.text).not.toMatch(LEAK);
    if ('redirect' in expected) {
      expect(reply.status).toBe(303);
      expect(reply.headers.get('location')).toMatch(expected.redirect);
      return;
    }
    if ('node4xx' in expected && expected.status) {
      expect(reply.status).toBe(expected.status);
    } else if ('page' in expected && expected.page < 400) {
      expect(reply.status).toBe(expected.page);
    } else {
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
    }
    if ('problem' in expected) {
      if (expected.problem !== '4xx') expect(reply.status).toBe(expected.problem);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body).toEqual(
        expect.objectContaining({
          type: expect.any(String),
          title: expect.any(String),
          status: reply.status,
          detail: expect.any(String),
          code: expected.code ?? expect.any(String),
        }),
      );
      if (expected.fields) expect((reply.body.errors as Array<{ field: string }>).map((error) => error.field)).toEqual(expect.arrayContaining(expected.fields));
    }
    if ('page' in expected) {
      expect(reply.status).toBe(expected.page);
      expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
      expect(reply.text).toMatch(/^<!doctype html>\s*<html lang="fr">/);
      for (const text of expected.shows ?? []) expect(reply.text).toContain(text);
      for (const text of expected.hides ?? []) expect(reply.text).not.toContain(text);
    }
    expect(reply.text).not.toMatch(FILE_LEAK);
  }

  async function run(testCase: Case): Promise<void> {
    const before = await countRows(app.dataSource);
    const spec = testCase.request(context);
    let reply: Reply | null;
    let received = '';
    if ('raw' in spec) {
      const outcome = await sendRaw(app.baseUrl, spec.raw, { later: spec.later, halfClose: spec.halfClose });
      reply = outcome.reply;
      received = outcome.received;
    } else {
      reply = await send(app.baseUrl, spec).catch((error: Error) => {
        // node:http reports a connection the server closed as an error: only framing cases may see one.
        if ('node4xx' in testCase.expected && testCase.expected.orClosed) return null;
        throw error;
      });
    }
    check(reply, testCase.expected, received);
    // No stray cookie from a value (CRLF injection) and no write, but what the case may write on purpose.
    expect(reply?.setCookies.filter((cookie) => !/^rv_(csrf|session)=/.test(cookie)) ?? []).toEqual([]);
    const after = await countRows(app.dataSource);
    const expectedCounts = Object.fromEntries(TABLES.map((table) => [table, before[table] + (testCase.writes?.[table] ?? 0)]));
    expect(after).toEqual(expectedCounts);
    // Whatever the request, the service still answers.
    const health = await send(app.baseUrl, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
  }

  const CORPUS: Array<[string, Case[]]> = [
    ['an injection into a field with a format, a query or a path', INJECTION_REJECTED],
    ['a huge body, field, URL or header', HUGE],
    ['a deeply nested or very wide body', NESTING],
    ['text that is not valid Unicode, or too long in code points', UNICODE_REJECTED],
    ['a value of the wrong type, at any level', WRONG_TYPES],
    ['a body that is not strict JSON', MALFORMED_JSON],
    ['a wrong Content-Type, charset or Content-Encoding', CONTENT_TYPES],
    ['a malformed HTTP message', FRAMING],
    ['a missing, garbage or forged credential', AUTHORIZATION],
    ['a forged CSRF pair or session cookie', COOKIES_AND_CSRF],
    ['a hostile page form or page address', PAGE_FORMS],
    ['a path traversal, an identifier that is not a UUID or an unknown method', PATHS_AND_METHODS],
  ];

  describe.each(CORPUS)('rejects %s', (_, cases) => {
    // A fresh free slot for each case: one the service wrongly accepts must not make the next fail.
    beforeEach(async () => {
      context.slotId = await freeSlot('first');
    });

    it.each(cases)('$name', (testCase) => run(testCase));
  });

  it('serves the static assets it should (so the traversal 4xx above are not a broken /assets)', async () => {
    const css = await send(app.baseUrl, { method: 'GET', path: '/assets/app.css' });
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('clears a garbage session cookie and renders the public page signed out', async () => {
    const garbage = [
      'garbage',
      "' OR 1=1 --",
      handmadeJwt({ alg: 'none' }, adminClaims(context), null),
      handmadeJwt(HS256, adminClaims(context), jwtSigner('another secret')),
    ];
    for (const [path, session] of ['/', '/staff/connexion', '/donnees-personnelles'].flatMap((page) => garbage.map((value) => [page, value]))) {
      const reply = await send(app.baseUrl, pageGet(path, { cookie: `rv_session=${encodeURIComponent(session)}` }));
      expect(reply.status).toBe(200);
      expect(reply.text).not.toContain('Se déconnecter');
      expect(reply.setCookies.find((cookie) => cookie.startsWith('rv_session='))).toMatch(/^rv_session=;.*Expires=Thu, 01 Jan 1970/);
    }
  });

  it('leaves the booking of the corpus confirmed, one failed-login counter as the only rate-limit row, and Object.prototype untouched', async () => {
    const [row] = await app.dataSource.query(`SELECT status FROM bookings WHERE id = $1`, [context.booking.id]);
    expect(row.status).toBe('confirmed');
    // RATE_LIMITS is off here: the only counter is the per-address lock of the failed login above.
    expect(await app.dataSource.query(`SELECT key FROM rate_limits`)).toEqual([{ key: 'login-failures:admin@cress.test' }]);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).$ne).toBeUndefined();
  });

  // -------------------------------------------------------------------------------------------
  // Accepted: text that only looks hostile is a valid name, stored verbatim and shown escaped.

  const VERBATIM: Array<[string, string]> = [
    ['SQL: DROP TABLE', "'; DROP TABLE bookings; --"],
    ['SQL: OR 1=1', "' OR 1=1 --"],
    ['SQL: Bobby Tables', "Robert'); DROP TABLE users;--"],
    ['SQL: placeholders', '$1 $2::text ? :name'],
    ['SQL: backslashes', "C:\\Users\\camille \\\\ \\x00 \\' \\"],
    ['SQL: LIKE wildcards', '100 % _coop_ \\%'],
    ['template: constructor chain', "{{constructor.constructor('return process')()}}"],
    ['template: block helpers and partials', '{{#each this}}{{@key}}{{/each}} {{> layout}} {{{body}}}'],
    ['template: other engines', '${7*7} #{7*7} <%= 7*7 %> {% raw %}'],
    ['CRLF header injection', 'x\r\nSet-Cookie: a=b\r\n\r\n<h1>x'],
    ['HTML: script', '<script>alert(1)</script>'],
    ['HTML: attribute breakout', '"><img src=x onerror=alert(1)> \' ` ='],
    ['French apostrophes', "Association L'Étoile d’Or – Côte-d'Armor"],
    ['format strings', '%s %n %x %d {0} %(name)s'],
    ['RTL override', 'Camille \u202Egnp.exe'],
    ['zero-width characters and a BOM inside', 'Ca\u200Bmi\u200Dl\uFEFFle'],
    ['emoji with ZWJ and flags', 'Camille 👩🏽‍💻🏳️‍🌈'],
    ['combining characters, kept as sent (NFD)', 'Ame\u0301lie Lefe\u0300vre'],
    ['line and paragraph separators inside', 'Camille\u2028Martin\u2029Lyon'],
    ['escapes as text', '\\u0000 \\ud800 %00 &#0; &lt;'],
    ['200 four-byte characters (the 200-character limit counts code points)', '𝒜'.repeat(200)],
    ['200 code points of "e" + combining acute', 'e\u0301'.repeat(100)],
  ];

  describe('accepts and stores verbatim', () => {
    // Half on a slot, half on the workshop (200 seats): the programme has 48 slots in the year.
    const THROUGH_API = VERBATIM.map(([name, value], i): [string, string, 'slot' | 'workshop'] => [name, value, i % 2 === 0 ? 'slot' : 'workshop']);

    it.each(THROUGH_API)('%s, through the API (%s)', async (_, value, target) => {
      const sent = target === 'slot' ? bookingRequest(await freeSlot('last'), { message: value }) : registrationRequest(context.workshopId, { message: value });
      sent.attendee.name = value;
      sent.organisation.name = value;
      const created = await send(app.baseUrl, api('POST', '/api/bookings', sent));
      expect(created.status).toBe(201);
      expect(created.setCookies).toEqual([]);
      const { id, manageToken } = created.body;
      expect([created.body.attendee.name, created.body.organisation.name, created.body.message]).toEqual([value, value, value]);

      const [row] = await app.dataSource.query(
        `SELECT attendee_name, organisation_name, message, octet_length(attendee_name) AS bytes FROM bookings WHERE id = $1`,
        [id],
      );
      expect([row.attendee_name, row.organisation_name, row.message]).toEqual([value, value, value]);
      expect(row.bytes).toBe(Buffer.byteLength(value));

      const read = await send(app.baseUrl, api('GET', `/api/bookings/${id}?token=${encodeURIComponent(manageToken)}`));
      expect(read.status).toBe(200);
      expect([read.body.attendee.name, read.body.organisation.name, read.body.message]).toEqual([value, value, value]);

      const page = await send(app.baseUrl, pageGet(`/reservations/${id}?token=${encodeURIComponent(manageToken)}`));
      expect(page.status).toBe(200);
      expect(page.text).toContain(`${Handlebars.escapeExpression(value)} (${Handlebars.escapeExpression(value)})`);
      if (/[<>"]/.test(value)) expect(page.text).not.toContain(value);

      // The invitation folds and escapes text: no line of it starts with what the name carried.
      const invite = await send(app.baseUrl, api('GET', `/api/bookings/${id}/invite.ics?token=${encodeURIComponent(manageToken)}`));
      expect(invite.status).toBe(200);
      expect(invite.text).not.toMatch(/^Set-Cookie/m);
    });

    const THROUGH_FORMS = VERBATIM.filter(([name]) =>
      /SQL: DROP|SQL: backslashes|template: constructor|CRLF|HTML: script|HTML: attribute|French|RTL|emoji|200 four-byte/.test(name),
    ).map(([name, value], i): [string, string, 'creneau' | 'atelier'] => [name, value, i % 2 === 0 ? 'creneau' : 'atelier']);

    it.each(THROUGH_FORMS)('%s, through the booking form (%s)', async (_, value, route) => {
      const useWorkshop = route === 'atelier';
      const path = useWorkshop ? `/reserver/atelier/${context.workshopId}` : `/reserver/creneau/${await freeSlot('last')}`;
      const posted = await send(
        app.baseUrl,
        pagePost(context, path, bookingFields({ 'attendee.name': value, 'organisation.name': value, message: value }, !useWorkshop)),
      );
      expect(posted.status).toBe(303);
      expect(posted.setCookies.filter((cookie) => !cookie.startsWith('rv_csrf='))).toEqual([]);
      const location = posted.headers.get('location')!;
      expect(location).toMatch(/^\/reservations\/[0-9a-f-]{36}\?token=[^&]+&nouveau=1$/);
      const id = location.split('/')[2].split('?')[0];
      const [row] = await app.dataSource.query(`SELECT attendee_name, organisation_name, message FROM bookings WHERE id = $1`, [id]);
      expect([row.attendee_name, row.organisation_name, row.message]).toEqual([value, value, value]);
      const page = await send(app.baseUrl, pageGet(location));
      expect(page.status).toBe(200);
      expect(page.text).toContain(`${Handlebars.escapeExpression(value)} (${Handlebars.escapeExpression(value)})`);
      if (/[<>"]/.test(value)) expect(page.text).not.toContain(value);
    });

    it('accepts e-mail addresses with characters SQL cares about, stored verbatim', async () => {
      for (const email of ["o'brien@asso.test", '$1@asso.test', 'camille+{{x}}@asso.test']) {
        const created = await send(
          app.baseUrl,
          api('POST', '/api/bookings', registrationRequest(context.workshopId, { attendee: { name: 'Camille', email } })),
        );
        expect(created.status).toBe(201);
        const [row] = await app.dataSource.query(`SELECT attendee_email FROM bookings WHERE id = $1`, [created.body.id]);
        expect(row.attendee_email).toBe(email);
      }
    });

    it('accepts a JSON body that starts with a BOM (bytes or character)', async () => {
      for (const prefix of [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\ufeff')]) {
        const created = await send(app.baseUrl, rawBooking(Buffer.concat([prefix, Buffer.from(JSON.stringify(registrationRequest(context.workshopId)))])));
        expect(created.status).toBe(201);
      }
    });

    it('takes the last of duplicated keys, and validates it', async () => {
      const sent = JSON.stringify(registrationRequest(context.workshopId, { message: 'first' })).replace('{', '{"consent":false,"message":"ignored",');
      const created = await send(app.baseUrl, rawBooking(sent));
      expect(created.status).toBe(201);
      expect(created.body.message).toBe('first');
    });

    it('keeps a malformed percent-escape of a form field as the text it is', async () => {
      const request = pagePost(context, `/reserver/atelier/${context.workshopId}`, bookingFields({ 'attendee.name': '__X__' }, false));
      const posted = await send(app.baseUrl, { ...request, body: (request.body as string).replace('__X__', 'a%C0%AFb%zz%ED%A0%80') });
      expect(posted.status).toBe(303);
      const id = posted.headers.get('location')!.split('/')[2].split('?')[0];
      const [row] = await app.dataSource.query(`SELECT attendee_name FROM bookings WHERE id = $1`, [id]);
      expect(row.attendee_name).toBe('a%C0%AFb%zz%ED%A0%80');
    });

    it('ignores a forged Host and X-Forwarded-Host in the links it writes', async () => {
      const page = await send(app.baseUrl, pageGet('/', { host: 'evil.test', 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'javascript' }));
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('evil.test');
      const created = await send(app.baseUrl, {
        ...api('POST', '/api/bookings', registrationRequest(context.workshopId)),
        headers: { 'content-type': 'application/json', host: 'evil.test', 'x-forwarded-host': 'evil.test' },
      });
      expect(created.status).toBe(201);
      expect(created.text).not.toContain('evil.test');
      const [message] = await app.dataSource.query(`SELECT payload::text AS payload FROM outbox_messages WHERE booking_id = $1`, [created.body.id]);
      expect(message.payload).not.toContain('evil.test');
    });
  });
});

describe('hostile input: X-Forwarded-For with the rate limits on', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'on' } });
  });

  afterAll(() => app?.close());

  /**
   * Only the reverse proxy in front of the service connects over loopback (trust proxy 'loopback'),
   * and it appends the address it sees to whatever X-Forwarded-For the client sent. What a client
   * writes there sits to the left of that address and must not change whom the limits count.
   */
  it('counts a client by the address its proxy appended, whatever it forged to the left', async () => {
    const realClient = '203.0.113.7';
    for (let i = 0; i < 30; i += 1) {
      const forged = i % 3 === 0 ? `198.51.100.${i}` : i % 3 === 1 ? `198.51.100.${i}, 10.0.0.${i}` : `unknown, 198.51.100.${i}`;
      const reply = await send(app.baseUrl, {
        ...api('POST', '/api/bookings', {}),
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': `${forged}, ${realClient}`,
          'x-real-ip': `198.51.100.${i}`,
          forwarded: `for=198.51.100.${i}`,
        },
      });
      expect(reply.status).toBe(400);
    }
    const keys = await app.dataSource.query(`SELECT key, hits FROM rate_limits ORDER BY key`);
    expect(keys).toEqual([{ key: `booking-ip:${realClient}`, hits: 30 }]);
    // The 31st request of the same client is refused, whatever it forges.
    const refused = await send(app.baseUrl, {
      ...api('POST', '/api/bookings', {}),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.250, ${realClient}` },
    });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('too_many_requests');
    // Another client behind the same proxy is counted apart.
    const other = await send(app.baseUrl, {
      ...api('POST', '/api/bookings', {}),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `${realClient}, 203.0.113.8` },
    });
    expect(other.status).toBe(400);
  });
});
