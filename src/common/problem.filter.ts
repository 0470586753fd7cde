import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject, Logger, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, ErrorCode, FieldError } from './domain-error';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
}

/** HTTP status and English title of each code. The switch is exhaustive: a new code will not compile until it is mapped. */
export function describeCode(code: ErrorCode): { status: number; title: string } {
  switch (code) {
    case 'validation_failed':
      return { status: 400, title: 'Validation failed' };
    case 'malformed_json':
      return { status: 400, title: 'Malformed JSON body' };
    case 'payload_too_large':
      return { status: 413, title: 'Request body too large' };
    case 'unsupported_media_type':
      return { status: 415, title: 'Unsupported media type' };
    case 'token_required':
      return { status: 401, title: 'Manage token required' };
    case 'unauthenticated':
      return { status: 401, title: 'Authentication required' };
    case 'invalid_credentials':
      return { status: 401, title: 'Invalid credentials' };
    case 'forbidden':
      return { status: 403, title: 'Forbidden' };
    case 'not_found':
    case 'route_not_found':
    case 'booking_not_found':
    case 'slot_not_found':
    case 'session_not_found':
    case 'series_not_found':
    case 'user_not_found':
    case 'workshop_not_found':
    case 'organisation_not_found':
    case 'follow_up_not_found':
      return { status: 404, title: 'Not found' };
    case 'method_not_allowed':
      return { status: 405, title: 'Method not allowed' };
    case 'slot_full':
      return { status: 409, title: 'Slot full' };
    case 'already_booked':
      return { status: 409, title: 'Already booked' };
    case 'workshop_full':
      return { status: 409, title: 'Workshop full' };
    case 'commune_required':
      return { status: 422, title: 'Commune to choose among the postcode’s' };
    case 'idempotency_key_reused':
      return { status: 422, title: 'Idempotency key reused for another request' };
    case 'organisation_limit_reached':
      return { status: 409, title: 'Organisation limit reached' };
    case 'email_taken':
      return { status: 409, title: 'E-mail already used' };
    case 'conflict':
      return { status: 409, title: 'Conflict, try again' };
    case 'link_invalid':
      return { status: 410, title: 'Link used, expired or unknown' };
    case 'satisfaction_closed':
      return { status: 410, title: 'Answers closed' };
    case 'too_many_requests':
      return { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many requests' };
    case 'slot_in_past':
      return { status: 422, title: 'Slot in the past' };
    case 'session_cancelled':
      return { status: 422, title: 'Session cancelled' };
    case 'session_in_past':
      return { status: 422, title: 'Session in the past' };
    case 'booking_cancelled':
      return { status: 422, title: 'Booking cancelled' };
    case 'booking_waitlisted':
      return { status: 422, title: 'Booking on the waitlist' };
    case 'organisation_merged':
      return { status: 422, title: 'Organisation merged' };
    case 'attendance_not_applicable':
      return { status: 422, title: 'No attendance for this booking' };
    case 'attestation_unavailable':
      return { status: 422, title: 'No attendance certificate for this booking' };
    case 'follow_up_not_applicable':
      return { status: 422, title: 'No follow-up for this booking' };
    case 'event_not_started':
      return { status: 422, title: 'Event not started' };
    case 'workshop_cancelled':
      return { status: 422, title: 'Workshop cancelled' };
    case 'registration_not_open':
      return { status: 422, title: 'Registration not open yet' };
    case 'registration_closed':
      return { status: 422, title: 'Registration closed' };
    case 'capacity_below_confirmed':
      return { status: 422, title: 'Capacity below the confirmed registrations' };
    case 'not_reschedulable':
      return { status: 422, title: 'Booking cannot be rescheduled' };
    case 'same_slot':
      return { status: 422, title: 'Same slot' };
    case 'desk_has_bookings':
      return { status: 422, title: 'Desk has bookings' };
    case 'advisor_invalid':
      return { status: 422, title: 'Invalid advisor' };
    case 'range_too_large':
      return { status: 422, title: 'Date range too large' };
    case 'service_unavailable':
      return { status: 503, title: 'Service unavailable' };
    case 'internal_error':
      return { status: 500, title: 'Internal error' };
  }
}

/** Renders errors as HTML pages for the browser routes (the web module provides it). */
export interface PageErrors {
  handles(request: Request): boolean;
  render(exception: unknown, request: Request, response: Response): void;
}
export const PAGE_ERRORS = Symbol('PAGE_ERRORS');

/** Turns every error into an RFC 9457 problem+json body: no stack trace, SQL or path ever reaches a client. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(@Optional() @Inject(PAGE_ERRORS) private readonly pages?: PageErrors) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    // A person in a browser who follows a wrong link gets a French page, not JSON.
    if (this.pages?.handles(request)) return this.pages.render(exception, request, response);
    const error = toDomainError(exception);
    const { status, title } = describeCode(error.code);
    logServerError(this.logger, exception, status);
    const problem: Problem = {
      type: `urn:rendez-vous-ess:problem:${error.code}`,
      title,
      status,
      detail: error.detail,
      code: error.code,
      ...(error.errors?.length ? { errors: error.errors } : {}),
    };
    if (response.headersSent) return;
    response.status(status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

/** A fault in the service is logged with its stack; the database being away is one warning line per request. */
export function logServerError(logger: Logger, exception: unknown, status: number): void {
  if (status === 503) logger.warn(`Database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
  else if (status >= 500) logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
}

/** Whatever was thrown, as the domain error a client is told about (never a stack trace or SQL). */
export function toDomainError(exception: unknown): DomainError {
  if (exception instanceof DomainError) return exception;
  if (isConnectionError(exception)) return new DomainError('service_unavailable', 'Le service est momentanément indisponible. Réessayez dans un instant.');
  if (exception instanceof QueryFailedError) return fromDatabaseError(exception as QueryFailedError);
  const bodyParserError = fromBodyParserError(exception) ?? (exception instanceof HttpException ? fromBodyParserError(exception.cause) : null);
  if (bodyParserError) return bodyParserError;
  if (exception instanceof HttpException) return fromHttpException(exception);
  return new DomainError('internal_error', 'Une erreur inattendue est survenue.');
}

/** body-parser's errors carry a `type`; Nest hands them over as such or as the `cause` of an HttpException. */
function fromBodyParserError(error: unknown): DomainError | null {
  switch ((error as { type?: unknown } | null)?.type) {
    case 'entity.parse.failed':
      return new DomainError('malformed_json', 'Le corps de la requête n’est pas un JSON valide.');
    case 'entity.too.large':
      return new DomainError('payload_too_large', 'Le corps de la requête est trop volumineux.');
    case 'encoding.invalid':
      return new DomainError('malformed_json', 'Le corps de la requête n’est pas un texte UTF-8 valide.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new DomainError('unsupported_media_type', 'Envoyez le corps en JSON UTF-8, sans compression.');
    case 'request.size.invalid':
    case 'request.aborted':
      return new DomainError('malformed_json', 'Le corps de la requête est incomplet.');
    default:
      return null;
  }
}

function fromHttpException(exception: HttpException): DomainError {
  switch (exception.getStatus() as HttpStatus) {
    case HttpStatus.NOT_FOUND:
      return new DomainError('route_not_found', 'Cette adresse n’existe pas.');
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return new DomainError('payload_too_large', 'Le corps de la requête est trop volumineux.');
    case HttpStatus.UNAUTHORIZED:
      return new DomainError('unauthenticated', 'Connexion requise.');
    case HttpStatus.FORBIDDEN:
      return new DomainError('forbidden', 'Vous n’avez pas accès à cette ressource.');
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return new DomainError('unsupported_media_type', 'Envoyez le corps en JSON UTF-8, sans compression.');
    case HttpStatus.TOO_MANY_REQUESTS:
      return new DomainError('too_many_requests', 'Trop de demandes en peu de temps : réessayez dans quelques minutes.');
    case HttpStatus.METHOD_NOT_ALLOWED:
      return new DomainError('method_not_allowed', 'Méthode non autorisée.');
    case HttpStatus.BAD_REQUEST:
      return new DomainError('validation_failed', 'La requête est invalide.');
    default:
      return new DomainError('internal_error', 'Une erreur inattendue est survenue.');
  }
}

/** Constraint violations whose meaning is known; anything else stays an internal error. */
function fromDatabaseError(error: QueryFailedError): DomainError {
  const driverError = error.driverError as { code?: string; constraint?: string };
  switch (driverError.constraint) {
    case 'bookings_slot_email_key':
      return new DomainError('already_booked', 'Cette adresse e-mail a déjà réservé ce créneau.');
    case 'bookings_workshop_email_key':
      return new DomainError('already_booked', 'Cette adresse e-mail est déjà inscrite à cet atelier.');
    case 'workshops_confirmed_within_capacity':
      return new DomainError('workshop_full', 'Cet atelier est complet.');
    case 'slots_booked_within_capacity':
      return new DomainError('slot_full', 'Ce créneau est complet.');
    case 'users_email_key':
      return new DomainError('email_taken', 'Un compte existe déjà avec cette adresse e-mail.');
    case 'idempotency_keys_pkey':
      return new DomainError('conflict', 'Une demande avec cette clé d’idempotence est en cours : réessayez dans un instant.');
  }
  if (driverError.code === '40001' || driverError.code === '40P01') {
    return new DomainError('conflict', 'La demande est entrée en conflit avec une autre ; réessayez.');
  }
  // Invalid text representation, date/time format or value, character not in UTF-8 (NUL).
  if (['22P02', '22007', '22008', '22021'].includes(driverError.code ?? '')) {
    return new DomainError('validation_failed', 'Une valeur de la requête est invalide.');
  }
  // 57014: statement_timeout (or a cancel); 25P03: idle_in_transaction_session_timeout.
  if (driverError.code?.startsWith('08') || ['57P01', '57P03', '57014', '25P03'].includes(driverError.code ?? '')) {
    return new DomainError('service_unavailable', 'Le service est momentanément indisponible. Réessayez dans un instant.');
  }
  return new DomainError('internal_error', 'Une erreur inattendue est survenue.');
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: shutting down, crashed, starting; connection exceptions (class 08).
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed|Connection ended|Query read timeout|the database system is (starting up|shutting down)/i;

/** The database could not be reached or dropped the connection: the request may be retried. */
function isConnectionError(exception: unknown): boolean {
  const error = exception as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | null;
  return [error, error?.driverError, error?.cause].some((candidate) => {
    const { code, message } = (candidate ?? {}) as { code?: unknown; message?: unknown };
    return (typeof code === 'string' && CONNECTION_CODES.has(code)) || (typeof message === 'string' && CONNECTION_MESSAGES.test(message));
  });
}
