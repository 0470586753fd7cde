import type { Type } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/domain-error';
import { describeCode } from '../common/problem.filter';
import { validationPipe } from '../common/validation';

const pipe = validationPipe();

/** A form's fields (urlencoded, not nested) as the API's DTO, checked by the very same rules. */
export async function validated<T>(dto: Type<T>, input: object): Promise<T> {
  return (await pipe.transform(input, { type: 'body', metatype: dto })) as T;
}

/** The first message for each field, keyed like the form's inputs (`attendee.email`). */
export function errorsByField(error: DomainError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { field, message } of error.errors ?? []) errors[field] ??= message;
  return errors;
}

export type FormBody = Record<string, unknown>;

/** One text field of a posted form; anything but a string (a repeated field) counts as absent. */
export function text(body: FormBody, name: string): string | undefined {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** A field that may be repeated (checkboxes): always a list of strings. */
export function list(body: FormBody, name: string): string[] {
  const value = Object.hasOwn(body, name) ? body[name] : undefined;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A checkbox: present and not "false". */
export function checked(body: FormBody, name: string): boolean {
  const value = text(body, name);
  return value !== undefined && value !== 'false';
}

/** A whole number typed in a form, as a number; anything else as typed, for the DTO to refuse. */
export function toInteger(value: string): number | string {
  return /^\s*-?\d{1,9}\s*$/.test(value) ? Number(value) : value;
}

/** What the person sees when a form is refused: the status, the message under each field, and a summary. */
export interface FormFailure {
  code: ErrorCode;
  status: number;
  errors: Record<string, string>;
  alert: string;
}

export const FIX_FIELDS = 'Certains champs sont à corriger : voyez les messages sous chacun d’eux.';

/**
 * A refusal the person can act on from the form (`codes`), in the API's terms: the status the API
 * gives the same code (`ProblemFilter`'s table), except that a sent form whose fields are refused is
 * 422 on every page (the API's 400 is for a request no form can produce). Anything else is
 * rethrown, for the error page.
 */
export function formFailure(error: unknown, codes: readonly ErrorCode[]): FormFailure {
  if (!(error instanceof DomainError) || !codes.includes(error.code)) throw error;
  const validation = error.code === 'validation_failed';
  const errors = Object.fromEntries(Object.entries(errorsByField(error)).map(([field, message]) => [field, pageWording(field, message)]));
  if (error.code === 'commune_required') return { code: error.code, status: 422, errors, alert: CHOOSE_COMMUNE };
  return { code: error.code, status: validation ? 422 : describeCode(error.code).status, errors, alert: validation ? FIX_FIELDS : error.detail };
}

const CHOOSE_COMMUNE =
  'Ce code postal couvre plusieurs communes : choisissez la bonne dans la liste, sous le code postal. Le reste de ce qui a été saisi est gardé.';

/** The API's message, as a page says it: the communes are listed in the page, as radio buttons. */
function pageWording(field: string, message: string): string {
  if (field.endsWith('communeCode')) return 'Choisissez la commune dans la liste.';
  return PAGE_WORDING[message] ?? message;
}

/** API messages that name a machine format, as a person filling a page reads them. */
const PAGE_WORDING: Record<string, string> = {
  'Date attendue au format AAAA-MM-JJ.': 'Indiquez une date valide, par exemple 31/12/2026.',
};

/**
 * A date typed in a page, as the API's `YYYY-MM-DD`: date inputs send that already; a browser without
 * them lets people type 31/12/2026 (or 31-12-2026, 31.12.2026). Anything else is passed on as typed,
 * for the DTO to refuse next to the field.
 */
export function toLocalDate(value: string): string {
  const match = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(value);
  return match ? `${match[3]}-${match[2].padStart(2, '0')}-${match[1].padStart(2, '0')}` : value.trim();
}

/** The second step of an action that cannot be undone: the form was sent again from its confirmation page. */
export function confirmed(body: FormBody): boolean {
  return text(body, 'confirme') === 'oui';
}

/** The model of `confirm.hbs`: what is about to happen, the same form again with `confirme=oui`, and the way back. */
export interface Confirmation {
  heading: string;
  details: Array<{ label: string; value: string }>;
  warning: string;
  action: string;
  fields: Array<{ name: string; value: string }>;
  confirmLabel: string;
  backUrl: string;
  backLabel: string;
}

/** What booking can be refused for, told on the form itself (a broken link or a fault gets the error page). */
export const BOOKING_ERRORS: ErrorCode[] = [
  'validation_failed',
  'slot_not_found',
  'workshop_not_found',
  'slot_full',
  'workshop_full',
  'already_booked',
  'slot_in_past',
  'session_cancelled',
  'session_in_past',
  'workshop_cancelled',
  'registration_not_open',
  'registration_closed',
  'organisation_limit_reached',
  'commune_required',
  'conflict',
  'idempotency_key_reused',
];

/** The person, organisation, topics and message of a booking form (public or staff), as CreateBookingDto reads them. */
export function bookingFields(body: FormBody) {
  return {
    attendee: { name: text(body, 'attendee.name'), email: text(body, 'attendee.email'), phone: text(body, 'attendee.phone') },
    organisation: {
      name: text(body, 'organisation.name'),
      siret: text(body, 'organisation.siret'),
      legalForm: text(body, 'organisation.legalForm') || undefined,
      postcode: text(body, 'organisation.postcode'),
      communeCode: communeChosen(body, 'organisation.'),
    },
    topics: list(body, 'topics'),
    message: text(body, 'message'),
  };
}

/** The booking form's fields, as named in the page and in the API's field errors. */
export const BOOKING_FIELDS = [
  'attendee.name',
  'attendee.email',
  'attendee.phone',
  'organisation.name',
  'organisation.siret',
  'organisation.legalForm',
  'organisation.postcode',
  'organisation.communeCode',
  'message',
] as const;

/**
 * The commune chosen among a postcode's (`commune-choice.hbs`), only while the postcode is the one the
 * choice was offered for: someone who changes the postcode after choosing chooses again.
 */
export function communeChosen(body: FormBody, prefix = ''): string | undefined {
  const offeredFor = text(body, `${prefix}communesDe`)?.trim();
  if (offeredFor === undefined || offeredFor !== text(body, `${prefix}postcode`)?.trim()) return undefined;
  return text(body, `${prefix}communeCode`) || undefined;
}
