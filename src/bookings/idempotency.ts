import { createHash } from 'node:crypto';
import { DomainError } from '../common/domain-error';

/** How long a key replays its booking (the draft leaves it to the server; Stripe keeps 24 hours). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600_000;

/** What a booking request with an `Idempotency-Key` stores with its booking, and looks for on a retry. */
export interface IdempotencyClaim {
  /** SHA-256 of the key: the key itself is as good as the manage token to whoever sends the same body. */
  keyHash: Buffer;
  /** SHA-256 of the request, so the key reused for another request is told apart (422). */
  requestHash: Buffer;
  expiresAt: Date;
}

const MESSAGE = 'Clé d’idempotence invalide : de 16 à 255 caractères ASCII visibles, par exemple un UUID.';
/** A bare token, as Stripe's clients send it. */
const BARE = /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/;
/** An RFC 8941 sf-string, as the IETF draft asks: printable ASCII, `\"` and `\\` escaped. */
const QUOTED = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

/**
 * The key of an `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header: an sf-string,
 * `"…"`; a bare value is accepted too). At least 16 characters: a short key is guessable, and the key
 * with the same body is what replays a booking with its manage token.
 */
export function parseIdempotencyKey(header: string): string {
  const quoted = QUOTED.exec(header.trim());
  const key = quoted ? quoted[1].replace(/\\(["\\])/g, '$1') : BARE.test(header.trim()) ? header.trim() : null;
  if (key === null || key.length < 16 || key.length > 255)
    throw new DomainError('validation_failed', MESSAGE, [{ field: 'Idempotency-Key', message: MESSAGE }]);
  return key;
}

export function idempotencyClaim(key: string, request: unknown, now: Date): IdempotencyClaim {
  return {
    keyHash: sha256(key),
    requestHash: sha256(JSON.stringify(canonical(request))),
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
  };
}

/** The request with its keys sorted at every level and absent fields left out: the same request, the same hash. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => [key, canonical(object[key])]),
  );
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
