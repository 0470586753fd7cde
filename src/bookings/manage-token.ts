import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe. Given to the booker once; only its SHA-256 is stored. */
export function newManageToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashManageToken(token) };
}

export function hashManageToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time comparison of a presented token with the stored hash. */
export function manageTokenMatches(storedHash: Buffer, presented: string): boolean {
  const candidate = hashManageToken(presented);
  return storedHash.length === candidate.length && timingSafeEqual(storedHash, candidate);
}
