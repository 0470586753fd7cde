/** Every stable machine word a client can receive in a problem+json `code`. */
export const ERROR_CODES = [
  'validation_failed',
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'token_required',
  'booking_not_found',
  'slot_not_found',
  'session_not_found',
  'series_not_found',
  'user_not_found',
  'workshop_not_found',
  'organisation_not_found',
  'slot_full',
  'workshop_full',
  'already_booked',
  'idempotency_key_reused',
  'slot_in_past',
  'session_cancelled',
  'session_in_past',
  'booking_cancelled',
  'booking_waitlisted',
  'attendance_not_applicable',
  'attestation_unavailable',
  'follow_up_not_applicable',
  'follow_up_not_found',
  'organisation_merged',
  'event_not_started',
  'workshop_cancelled',
  'registration_not_open',
  'registration_closed',
  'organisation_limit_reached',
  'commune_required',
  'capacity_below_confirmed',
  'not_reschedulable',
  'same_slot',
  'desk_has_bookings',
  'advisor_invalid',
  'email_taken',
  'range_too_large',
  'conflict',
  'link_invalid',
  'satisfaction_closed',
  'too_many_requests',
  'service_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  field: string;
  message: string;
  /** The values the field may take, when it must be chosen among them (the communes of a postcode). */
  choices?: Array<{ code: string; name: string; inMetropolis: boolean }>;
}

/** A business rule said no. Services throw it; `ProblemFilter` turns it into problem+json. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DomainError';
  }
}
