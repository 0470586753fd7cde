/**
 * Helpers of the hostile-input corpus (test/hostile-input.test.ts): requests sent with node:http or
 * byte for byte over a socket (fetch refuses TRACE, lying framing and Buffers with any method), the
 * CSRF pair of a browser, and the row counts that prove nothing was written.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { DataSource } from 'typeorm';
import type { JsonBody } from './http';

/** What must never reach a client: a stack frame, a source path, SQL or a driver error name. */
export const LEAK = /at \w+ \(|QueryFailedError|node_modules|\.ts:\d+|SELECT |INSERT /;

export interface Reply {
  status: number;
  headers: Headers;
  /** The body as UTF-8 text. */
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  body: JsonBody;
  setCookies: string[];
}

export interface Outgoing {
  method: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** One request on a fresh connection (no keep-alive: a request that breaks its socket breaks nothing else). */
export function send(baseUrl: string, outgoing: Outgoing, timeoutMs = 10_000): Promise<Reply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[] | number> = { connection: 'close', ...outgoing.headers };
    if (
      outgoing.body !== undefined &&
      !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length' || name.toLowerCase() === 'transfer-encoding')
    ) {
      headers['content-length'] = Buffer.byteLength(outgoing.body);
    }
    const req = httpRequest({ host: hostname, port: Number(port), method: outgoing.method, path: outgoing.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const replyHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (name === 'set-cookie') continue;
          if (value !== undefined) replyHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        resolve({ status: res.statusCode ?? 0, headers: replyHeaders, text, body: parseJson(text), setCookies: res.headers['set-cookie'] ?? [] });
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (outgoing.body !== undefined) req.write(outgoing.body);
    req.end();
  });
}

export interface RawOutcome {
  /** The first response, or null when the server closed the connection without one. */
  reply: Reply | null;
  /** The bytes received, as latin1, for the failure message. */
  received: string;
}

/**
 * Bytes written as they are on a socket; the first response read back (by Content-Length, chunked, or
 * up to the close). `later` parts follow `delayMs` apart; `halfClose` ends the writing side after them.
 */
export function sendRaw(
  baseUrl: string,
  first: string | Buffer,
  options: { later?: Array<string | Buffer>; delayMs?: number; halfClose?: boolean; timeoutMs?: number } = {},
): Promise<RawOutcome> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (reply: Reply | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply, received: received.toString('latin1').slice(0, 2_000) });
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new Error(`no response and no close within ${options.timeoutMs ?? 8_000} ms; received: ${received.toString('latin1').slice(0, 500)}`));
    }, options.timeoutMs ?? 8_000);
    const parse = (complete: boolean): Reply | null => {
      // An interim answer (100 Continue) is not the response: it is skipped.
      while (/^HTTP\/1\.[01] 1\d\d /.test(received.subarray(0, 13).toString('latin1')) && received.indexOf('\r\n\r\n') >= 0) {
        received = received.subarray(received.indexOf('\r\n\r\n') + 4);
      }
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Headers();
      const setCookies: string[] = [];
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'set-cookie') setCookies.push(value);
        else headers.append(name, value);
      }
      let payload: Buffer | null = null;
      const rest = received.subarray(end + 4);
      if (headers.has('content-length')) {
        const length = Number(headers.get('content-length'));
        if (rest.length >= length) payload = rest.subarray(0, length);
      } else if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
        payload = dechunk(rest);
      } else if (complete) {
        payload = rest;
      }
      if (payload === null) return complete ? { status: Number(statusLine.split(' ')[1]), headers, text: '', body: undefined, setCookies } : null;
      const text = payload.toString('utf8');
      return { status: Number(statusLine.split(' ')[1]), headers, text, body: parseJson(text), setCookies };
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const reply = parse(false);
      if (reply) finish(reply);
    });
    socket.on('close', () => finish(parse(true)));
    // A reset after the answer (or instead of one) is the server closing a broken request.
    socket.on('error', () => finish(parse(true)));
    socket.write(first);
    const later = options.later ?? [];
    let index = 0;
    const writeNext = () => {
      if (settled) return;
      if (index < later.length) {
        if (socket.writable) socket.write(later[index]);
        index += 1;
        setTimeout(writeNext, options.delayMs ?? 150);
      } else if (options.halfClose && socket.writable) {
        socket.end();
      }
    };
    setTimeout(writeNext, later.length > 0 ? (options.delayMs ?? 150) : 0);
  });
}

/** A complete chunked body, or null while it is not complete. */
function dechunk(data: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) return null;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return null;
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return null;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

/** A browser's CSRF cookie (`rv_csrf=…`) and the token its forms carry, as any page with a form hands them out. */
export async function csrfPair(baseUrl: string): Promise<{ cookie: string; token: string }> {
  const page = await send(baseUrl, { method: 'GET', path: '/staff/connexion', headers: { accept: 'text/html' } });
  const cookie = page.setCookies.find((value) => value.startsWith('rv_csrf='))?.split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (page.status !== 200 || !cookie || !token) throw new Error(`no CSRF pair from the login page: ${page.status}`);
  return { cookie, token };
}

/** An urlencoded form body; fields may repeat (checkboxes). */
export function form(fields: Array<[string, string]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of fields) params.append(name, value);
  return params.toString();
}

/** Every table a request could write to. */
export const TABLES = [
  'bookings',
  'outbox_messages',
  'organisations',
  'workshops',
  'users',
  'permanence_series',
  'permanence_sessions',
  'slots',
  'desks',
  'rate_limits',
] as const;

export type Counts = Record<(typeof TABLES)[number], number>;

export async function countRows(dataSource: DataSource): Promise<Counts> {
  const [row] = await dataSource.query(`SELECT ${TABLES.map((table) => `(SELECT count(*) FROM ${table})::int AS ${table}`).join(', ')}`);
  return row as Counts;
}

/** A JWT written by hand: any header (alg none), any claims, signed with `secret` (HS256) or not at all. */
export function handmadeJwt(header: object, claims: object, sign: ((input: string) => string) | null): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${sign ? sign(input) : ''}`;
}
