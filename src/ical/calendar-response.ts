import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FeedEvent } from './ical-files';

/** A calendar file ready to serve, with what conditional requests are answered from. */
export interface CalendarFile {
  /** Encoded once, not on every answer. */
  body: Buffer;
  /** Strong: the hash of the body. */
  etag: string;
  lastModified: Date;
  /** Whether shared caches may keep it (the public feed) or not (a private feed). */
  shared: boolean;
  filename: string;
}

export function calendarFile(body: string, events: FeedEvent[], shared: boolean, filename: string): CalendarFile {
  const lastModified = new Date(Math.max(0, ...events.map((event) => event.stamp.getTime())));
  const bytes = Buffer.from(body, 'utf8');
  return { body: bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url')}"`, lastModified, shared, filename };
}

/**
 * Serves a calendar file with a strong ETag and Last-Modified, and answers 304 Not Modified to
 * If-None-Match (first) or If-Modified-Since (RFC 9110 §13.2.2), so clients that poll cost little.
 * Plain Node request and response: the public feed is also answered in front of Express (http-front.ts).
 */
export function sendCalendar(request: IncomingMessage, response: ServerResponse, file: CalendarFile): void {
  response.setHeader('ETag', file.etag);
  response.setHeader('Last-Modified', file.lastModified.toUTCString());
  response.setHeader('Cache-Control', file.shared ? 'public, max-age=300' : 'private, no-cache');
  const ifNoneMatch = request.headers['if-none-match'];
  const ifModifiedSince = request.headers['if-modified-since'];
  const notModified =
    ifNoneMatch !== undefined
      ? ifNoneMatch
          .split(',')
          .map((tag) => tag.trim())
          .some((tag) => tag === '*' || tag === file.etag)
      : ifModifiedSince !== undefined && Math.floor(file.lastModified.getTime() / 1000) <= Math.floor(Date.parse(ifModifiedSince) / 1000);
  if (notModified) {
    response.statusCode = 304;
    response.end();
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', 'text/calendar; charset=utf-8');
  response.setHeader('Content-Disposition', `inline; filename="${file.filename}"`);
  response.setHeader('Content-Length', file.body.length);
  response.end(request.method === 'HEAD' ? undefined : file.body);
}
