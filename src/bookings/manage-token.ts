import { Injectable } from '@nestjs/common';
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/**
 * Manage tokens are 256-bit HMACs of the booking id under a key derived from the service secret:
 * the service can put the link in every e-mail without ever storing the token, and the database
 * keeps only its SHA-256. A new JWT_SECRET invalidates every manage link, so it must stay stable.
 */
@Injectable()
export class ManageTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = deriveKey(config.jwtSecret);
  }

  /** The token of a booking, and the hash stored for it. */
  issue(bookingId: string): { token: string; hash: Buffer } {
    const token = manageToken(this.key, bookingId);
    return { token, hash: hashManageToken(token) };
  }
}

export function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'rendez-vous-ess', 'manage-token', 32));
}

export function manageToken(key: Buffer, bookingId: string): string {
  return createHmac('sha256', key).update(bookingId).digest('base64url');
}

export function hashManageToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time comparison of a presented token with the stored hash. */
export function manageTokenMatches(storedHash: Buffer, presented: string): boolean {
  const candidate = hashManageToken(presented);
  return storedHash.length === candidate.length && timingSafeEqual(storedHash, candidate);
}

/** The attendee's page for a booking (read, cancel, reschedule, leave the waitlist). */
export function manageUrl(publicUrl: string, id: string, token: string): string {
  return `${publicUrl}/reservations/${id}?token=${token}`;
}

/** The attendance certificate (PDF) of a workshop attendee marked present, behind the same manage token. */
export function attestationUrl(publicUrl: string, id: string, token: string): string {
  return `${publicUrl}/reservations/${id}/attestation.pdf?token=${token}`;
}
