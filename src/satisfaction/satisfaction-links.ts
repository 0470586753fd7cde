import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** The five answers, as the e-mail and the pages word them. */
export const SATISFACTION_SCORES = [
  { score: 1, label: 'Pas du tout utile' },
  { score: 2, label: 'Peu utile' },
  { score: 3, label: 'Moyennement utile' },
  { score: 4, label: 'Utile' },
  { score: 5, label: 'Très utile' },
] as const;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The satisfaction e-mail's links. An answer link is a 256-bit HMAC of the booking id and its link
 * generation (`bookings.satisfaction_link_generation`) under a key derived from the service secret:
 * nothing is stored, and recording an answer moves the generation on, so the link used stops working
 * and the page that follows carries the next one. The score in an answer link only preselects a choice
 * on the confirmation page: the person can pick another there. The opt-out link is an HMAC of the
 * booking id alone (opting out twice changes nothing).
 */
@Injectable()
export class SatisfactionLinks {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwtSecret, 'rendez-vous-ess', 'satisfaction-link', 32));
  }

  answerToken(bookingId: string, generation: number): string {
    return this.sign(`answer:${bookingId}:${generation}`);
  }

  optOutToken(bookingId: string): string {
    return this.sign(`opt-out:${bookingId}`);
  }

  /** Which generation `token` is for, among 0…`current` (newest first), or null for a forged or another booking's token. */
  answerGeneration(bookingId: string, token: string, current: number): number | null {
    if (!TOKEN.test(token)) return null;
    for (let generation = current; generation >= 0; generation--) {
      if (same(token, this.answerToken(bookingId, generation))) return generation;
    }
    return null;
  }

  optOutMatches(bookingId: string, token: string): boolean {
    return TOKEN.test(token) && same(token, this.optOutToken(bookingId));
  }

  /** The page of an answer link; `score` preselects that answer. */
  answerUrl(bookingId: string, generation: number, score?: number): string {
    const query = new URLSearchParams({ ...(score ? { note: String(score) } : {}), jeton: this.answerToken(bookingId, generation) });
    return `${this.config.publicUrl}/avis/${bookingId}?${query}`;
  }

  optOutUrl(bookingId: string): string {
    return `${this.config.publicUrl}/avis/${bookingId}/ne-plus-recevoir?jeton=${this.optOutToken(bookingId)}`;
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64url');
  }
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
