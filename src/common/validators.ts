import { ValidationOptions, registerDecorator } from 'class-validator';

/** For @Transform: surrounding spaces are not part of what people type. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** For @Transform on optional text: blank is the same as absent. */
export const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value);
import { isLocalDate, isWallTime } from '../calendar';

/** A real calendar date written `YYYY-MM-DD`. */
export function IsLocalDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName,
      options: { message: 'Date attendue au format AAAA-MM-JJ.', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isLocalDate(value) },
    });
}

/** A wall-clock time written `HH:mm`. */
export function IsWallTime(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isWallTime',
      target: target.constructor,
      propertyName,
      options: { message: 'Heure attendue au format HH:MM.', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isWallTime(value) },
    });
}

// RFC 3339 §5.6: `time-secfrac = "." 1*DIGIT`, any number of digits (Python, PostgreSQL and Go send 6 or 9),
// and ABNF literals are case-insensitive, so `t` and `z` are valid too. V8's Date.parse keeps the first three digits.
const INSTANT = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 date and time with its offset, naming a real calendar date. */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && isLocalDate(value.slice(0, 10));
}

/**
 * An instant: RFC 3339 date and time with its offset (`Z` or `+01:00`). A time without an offset
 * would be read in the host's zone, so it is refused.
 */
export function IsInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName,
      options: { message: 'Date et heure attendues avec leur fuseau, par exemple 2027-03-18T09:00:00+01:00.', ...options },
      validator: { validate: isInstant },
    });
}

/**
 * An instant in a given order with another field of the same object (`'>'`: after it). Checked only
 * when both are readable instants: a missing or malformed one is reported by its own rules, so a
 * form gets every error in one answer rather than this one after the others are fixed.
 */
export function IsInstantOrdered(
  relation: '<' | '<=' | '>',
  other: (object: Record<string, unknown>) => unknown,
  options: ValidationOptions & { message: string },
) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstantOrdered',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown, args) => {
          const than = other(args?.object as Record<string, unknown>);
          if (typeof value !== 'string' || typeof than !== 'string' || !INSTANT.test(value) || !INSTANT.test(than)) return true;
          const [a, b] = [Date.parse(value), Date.parse(than)];
          if (Number.isNaN(a) || Number.isNaN(b)) return true;
          return relation === '<' ? a < b : relation === '<=' ? a <= b : a > b;
        },
      },
    });
}
