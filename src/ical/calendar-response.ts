import Negotiator from 'negotiator';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { FeedEvent } from './ical-files';

/** A calendar file ready to serve, with what conditional requests are answered from. */
export interface CalendarFile {
  /** Encoded once, not on every answer. */
  body: Buffer;
  /** Strong: the hash of the body. */
  etag: string;
  lastModified: Date;
  /** Last-Modified as sent (formatted once, not on every poll). */
  lastModifiedHttp: string;
  /** Whether shared caches may keep it (the public feed) or not (a private feed). */
  shared: boolean;
  filename: string;
  /** The gzip-encoded body and its own strong ETag, made the first time a client accepts it. */
  gzip?: { body: Buffer; etag: string };
}

/** Smaller files are always sent as they are: compressing them gains nothing worth a header. */
const GZIP_MIN_BYTES = 1024;

export function calendarFile(body: string, events: FeedEvent[], shared: boolean, filename: string): CalendarFile {
  const lastModified = new Date(Math.max(0, ...events.map((event) => event.stamp.getTime())));
  const bytes = Buffer.from(body, 'utf8');
  const etag = `"${createHash('sha256').update(bytes).digest('base64url')}"`;
  return { body: bytes, etag, lastModified, lastModifiedHttp: lastModified.toUTCString(), shared, filename };
}

/**
 * Serves a calendar file with a strong ETag and Last-Modified, and answers 304 Not Modified to
 * If-None-Match (first) or If-Modified-Since (RFC 9110 §13.2.2), so clients that poll cost little.
 * Clients that accept gzip (calendar services do) get the body compressed, with an ETag of its own.
 * Plain Node request and response: the public feed is also answered in front of Express (http-front.ts).
 */
export function sendCalendar(request: IncomingMessage, response: ServerResponse, file: CalendarFile): void {
  const chosen = representation(request, file);
  response.setHeader('ETag', chosen.etag);
  response.setHeader('Last-Modified', file.lastModifiedHttp);
  response.setHeader('Cache-Control', file.shared ? 'public, max-age=300' : 'private, no-cache');
  if (file.body.length >= GZIP_MIN_BYTES) response.setHeader('Vary', 'Accept-Encoding');
  const ifNoneMatch = request.headers['if-none-match'];
  const ifModifiedSince = request.headers['if-modified-since'];
  const notModified =
    ifNoneMatch !== undefined
      ? ifNoneMatch === chosen.etag ||
        ifNoneMatch
          .split(',')
          .map((tag) => tag.trim().replace(/^W\//, ''))
          .some((tag) => tag === '*' || tag === chosen.etag)
      : ifModifiedSince !== undefined && Math.floor(file.lastModified.getTime() / 1000) <= Math.floor(Date.parse(ifModifiedSince) / 1000);
  if (notModified) {
    response.statusCode = 304;
    response.end();
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', 'text/calendar; charset=utf-8');
  response.setHeader('Content-Disposition', `inline; filename="${file.filename}"`);
  if (chosen.gzip) response.setHeader('Content-Encoding', 'gzip');
  response.setHeader('Content-Length', chosen.body.length);
  response.end(request.method === 'HEAD' ? undefined : chosen.body);
}

/** The body as it is, or gzip-encoded when the client prefers that (If-None-Match compares the one chosen). */
function representation(request: IncomingMessage, file: CalendarFile): { body: Buffer; etag: string; gzip: boolean } {
  if (request.headers['accept-encoding'] === undefined || file.body.length < GZIP_MIN_BYTES || new Negotiator(request).encoding(['gzip', 'identity']) !== 'gzip') {
    return { body: file.body, etag: file.etag, gzip: false };
  }
  file.gzip ??= { body: gzipSync(file.body), etag: file.etag.replace(/"$/, '.gz"') };
  return { ...file.gzip, gzip: true };
}
