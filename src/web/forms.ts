import type { Type } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
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
