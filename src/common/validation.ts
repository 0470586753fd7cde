import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from './domain-error';

/** Flattens class-validator's tree into `{field: 'attendee.email', message}` pairs. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'Ce champ n’est pas attendu.' : message,
    }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/** Deeper than any request of this API; deeper input would exhaust class-transformer's recursion. */
const MAX_DEPTH = 16;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** With the `u` flag a valid surrogate pair is one code point; only a lone half is of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What class-validator cannot see or survive, found without recursion: nesting deeper than
 * MAX_DEPTH, keys that class-transformer skips silently (`__proto__`, `constructor`), NUL
 * characters, which PostgreSQL refuses in text, and lone surrogates, which UTF-8 cannot encode.
 */
export function structuralErrors(input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: '', depth: 0 }];
  while (stack.length > 0 && errors.length < 20) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) errors.push({ field: path || 'body', message: 'Le caractère nul n’est pas accepté.' });
      // A lone UTF-16 surrogate (JSON's "\ud800") cannot be written as UTF-8: the driver would store U+FFFD.
      else if (LONE_SURROGATE.test(value)) errors.push({ field: path || 'body', message: 'Ce texte contient un caractère Unicode invalide.' });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      errors.push({ field: path || 'body', message: 'Structure trop profondément imbriquée.' });
      continue;
    }
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) errors.push({ field, message: 'Ce champ n’est pas attendu.' });
      else stack.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return errors;
}

class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const errors = structuralErrors(value);
      if (errors.length > 0) throw new DomainError('validation_failed', 'Certains champs sont invalides.', errors);
    }
    return super.transform(value, metadata);
  }
}

/** Rejects unknown fields and wrong types with one `validation_failed` problem listing every field. */
export function validationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new DomainError('validation_failed', 'Certains champs sont invalides.', fieldErrors(errors)),
  });
}
