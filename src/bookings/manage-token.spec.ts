import { randomUUID } from 'node:crypto';
import { deriveKey, hashManageToken, manageToken, manageTokenMatches } from './manage-token';

describe('manage tokens', () => {
  const key = deriveKey('a-service-secret-of-at-least-32-characters');

  it('gives a 256-bit URL-safe token whose stored hash is not the token', () => {
    const token = manageToken(key, randomUUID());
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashManageToken(token)).toHaveLength(32);
    expect(hashManageToken(token).toString('base64url')).not.toBe(token);
  });

  it('gives the same token for a booking every time (for e-mails), and another for every booking', () => {
    const id = randomUUID();
    expect(manageToken(key, id)).toBe(manageToken(key, id));
    const tokens = new Set(Array.from({ length: 200 }, () => manageToken(key, randomUUID())));
    expect(tokens.size).toBe(200);
  });

  it('depends on the service secret', () => {
    const id = randomUUID();
    expect(manageToken(deriveKey('another-service-secret-of-32-characters!'), id)).not.toBe(manageToken(key, id));
  });

  it('accepts the token it was made from and nothing else', () => {
    const token = manageToken(key, randomUUID());
    const hash = hashManageToken(token);
    expect(manageTokenMatches(hash, token)).toBe(true);
    expect(manageTokenMatches(hash, token.slice(0, -1))).toBe(false);
    expect(manageTokenMatches(hash, `${token}x`)).toBe(false);
    expect(manageTokenMatches(hash, manageToken(key, randomUUID()))).toBe(false);
    expect(manageTokenMatches(hash, '')).toBe(false);
  });
});
