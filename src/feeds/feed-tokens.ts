import { Injectable } from '@nestjs/common';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/**
 * An advisor's feed token: 256 bits, an HMAC of the account and its feed version under a key derived
 * from the service secret. It can be shown again at any time; rotating bumps the version, and only
 * the current token's hash is stored, so the old one stops at once.
 */
@Injectable()
export class FeedTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwtSecret, 'rendez-vous-ess', 'feed-token', 32));
  }

  issue(userId: string, version: number): { token: string; hash: Buffer } {
    const token = createHmac('sha256', this.key).update(`${userId}:${version}`).digest('base64url');
    return { token, hash: hashFeedToken(token) };
  }
}

export function hashFeedToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
