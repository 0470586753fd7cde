import Negotiator from 'negotiator';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { NO_STORE } from './no-store';

const gzipAsync = promisify(gzip);

/**
 * An answer's body made once and served many times (a calendar file, an agenda): encoded, with a
 * strong ETag, and gzip-compressed the first time a client accepts it.
 */
export interface PreparedBody {
  body: Buffer;
  /** Strong: the hash of the body. */
  etag: string;
  /**
   * The gzip-encoded body and its own strong ETag, made the first time a client accepts it — on
   * libuv's thread pool: compressing an 80 KiB agenda or a 160 KiB feed takes milliseconds, during
   * which the event loop goes on answering others.
   */
  gzip?: Promise<{ body: Buffer; etag: string }>;
}

/** Smaller bodies are always sent as they are: compressing them gains nothing worth a header. */
export const GZIP_MIN_BYTES = 1024;

export function preparedBody(text: string): PreparedBody {
  const body = Buffer.from(text, 'utf8');
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
}

/** The body as it is, or gzip-encoded when the client prefers that (If-None-Match compares the one chosen). */
export async function representation(request: IncomingMessage, prepared: PreparedBody): Promise<{ body: Buffer; etag: string; gzip: boolean }> {
  if (
    request.headers['accept-encoding'] === undefined ||
    prepared.body.length < GZIP_MIN_BYTES ||
    new Negotiator(request).encoding(['gzip', 'identity']) !== 'gzip'
  ) {
    return { body: prepared.body, etag: prepared.etag, gzip: false };
  }
  if (!prepared.gzip) {
    const made = gzipAsync(prepared.body).then((body) => ({ body, etag: prepared.etag.replace(/"$/, '.gz"') }));
    prepared.gzip = made;
    // Not kept if it failed: the next client asking for gzip tries again.
    made.catch(() => {
      if (prepared.gzip === made) prepared.gzip = undefined;
    });
  }
  return { ...(await prepared.gzip), gzip: true };
}

/** Whether If-None-Match names `etag` (RFC 9110 §13.1.2: weak comparison, or `*`). */
export function noneMatchHas(ifNoneMatch: string, etag: string): boolean {
  return (
    ifNoneMatch === etag ||
    ifNoneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === '*' || tag === etag)
  );
}

/**
 * Serves a prepared JSON body with its ETag, 304 Not Modified to a matching If-None-Match, gzip to
 * clients that accept it. `Cache-Control: no-store`: it names people (the agenda), so no cache keeps
 * it; a client that keeps its own copy may still ask with If-None-Match.
 */
export async function sendPreparedJson(request: IncomingMessage, response: ServerResponse, prepared: PreparedBody): Promise<void> {
  const chosen = await representation(request, prepared);
  response.setHeader('ETag', chosen.etag);
  response.setHeader('Cache-Control', NO_STORE);
  if (prepared.body.length >= GZIP_MIN_BYTES) response.setHeader('Vary', 'Accept-Encoding');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && noneMatchHas(ifNoneMatch, chosen.etag)) {
    response.statusCode = 304;
    response.end();
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (chosen.gzip) response.setHeader('Content-Encoding', 'gzip');
  response.setHeader('Content-Length', chosen.body.length);
  response.end(request.method === 'HEAD' ? undefined : chosen.body);
}
