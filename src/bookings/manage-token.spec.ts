import { hashManageToken, manageTokenMatches, newManageToken } from './manage-token';

describe('manage tokens', () => {
  it('gives a 256-bit URL-safe token whose stored hash is not the token', () => {
    const { token, hash } = newManageToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).toHaveLength(32);
    expect(hash.toString('base64url')).not.toBe(token);
  });

  it('gives a different token every time', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newManageToken().token));
    expect(tokens.size).toBe(200);
  });

  it('accepts the token it was made from and nothing else', () => {
    const { token, hash } = newManageToken();
    expect(manageTokenMatches(hash, token)).toBe(true);
    expect(manageTokenMatches(hash, token.slice(0, -1))).toBe(false);
    expect(manageTokenMatches(hash, `${token}x`)).toBe(false);
    expect(manageTokenMatches(hash, newManageToken().token)).toBe(false);
    expect(manageTokenMatches(hash, '')).toBe(false);
  });

  it('hashes deterministically', () => {
    expect(hashManageToken('abc').equals(hashManageToken('abc'))).toBe(true);
  });
});
