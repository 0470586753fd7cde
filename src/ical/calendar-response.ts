import type { IncomingMessage, ServerResponse } from 'node:http';
import { GZIP_MIN_BYTES, noneMatchHas, PreparedBody, preparedBody, representation } from '../common/prepared-body';
import { FeedEvent } from './ical-files';

/** A calendar file ready to serve (encoded once, not on every answer), with what conditional requests are answered from. */
export interface CalendarFile extends PreparedBody {
  lastModified: Date;
  /** Last-Modified as sent (formatted once, not on every poll). */
  lastModifiedHttp: string;
  /** Who may keep a copy: shared caches (the public feed), the subscriber only (a private feed), nobody (one person's booking). */
  caching: CalendarCaching;
  filename: string;
}

export type CalendarCaching = 'public' | 'private' | 'personal';

const CACHE_CONTROL: Record<CalendarCaching, string> = {
  public: 'public, max-age=300',
  private: 'private, no-cache',
  personal: 'no-store',
};

export function calendarFile(body: string, events: FeedEvent[], caching: CalendarCaching, filename: string): CalendarFile {
  const lastModified = new Date(Math.max(0, ...events.map((event) => event.stamp.getTime())));
  return { ...preparedBody(body), lastModified, lastModifiedHttp: lastModified.toUTCString(), caching, filename };
}

/**
 * Serves a calendar file with a strong ETag and Last-Modified, and answers 304 Not Modified to
 * If-None-Match (first) or If-Modified-Since (RFC 9110 §13.2.2), so clients that poll cost little.
 * Clients that accept gzip (calendar services do) get the body compressed, with an ETag of its own.
 * Plain Node request and response: the public feed is also answered in front of Express (http-front.ts).
 */
export async function sendCalendar(request: IncomingMessage, response: ServerResponse, file: CalendarFile): Promise<void> {
  const chosen = await representation(request, file);
  response.setHeader('ETag', chosen.etag);
  response.setHeader('Last-Modified', file.lastModifiedHttp);
  response.setHeader('Cache-Control', CACHE_CONTROL[file.caching]);
  if (file.body.length >= GZIP_MIN_BYTES) response.setHeader('Vary', 'Accept-Encoding');
  const ifNoneMatch = request.headers['if-none-match'];
  const ifModifiedSince = request.headers['if-modified-since'];
  const notModified =
    ifNoneMatch !== undefined
      ? noneMatchHas(ifNoneMatch, chosen.etag)
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
