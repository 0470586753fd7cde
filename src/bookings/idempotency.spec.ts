import { DomainError } from '../common/domain-error';
import { idempotencyClaim, parseIdempotencyKey } from './idempotency';

describe(parseIdempotencyKey.name, () => {
  const uuid = '8e03978e-40d5-43e8-bc93-6894a57f9324';

  it('reads the draft’s quoted string and Stripe’s bare value as the same key', () => {
    expect(parseIdempotencyKey(`"${uuid}"`)).toBe(uuid);
    expect(parseIdempotencyKey(uuid)).toBe(uuid);
    expect(parseIdempotencyKey(` ${uuid} `)).toBe(uuid);
  });

  it('unescapes \\" and \\\\ inside a quoted string, which may hold spaces', () => {
    expect(parseIdempotencyKey('"a key with \\"quotes\\" and \\\\"')).toBe('a key with "quotes" and \\');
  });

  it.each(['short', '"0123456789abcdef', '0123456789 abcdef', '"0123456789abcdef\\x"', 'k'.repeat(256), '0123456789abcdef,0123456789abcdef', ''])(
    'refuses %j with a French field message',
    (header) => {
      expect(() => parseIdempotencyKey(header)).toThrow(DomainError);
      try {
        parseIdempotencyKey(header);
      } catch (error) {
        expect((error as DomainError).errors).toEqual([{ field: 'Idempotency-Key', message: expect.stringContaining('Clé d’idempotence invalide') as string }]);
      }
    },
  );
});

describe(idempotencyClaim.name, () => {
  const now = new Date('2026-11-27T10:00:00Z');

  it('gives the same request hash whatever the order of its fields, and another for another value', () => {
    const a = idempotencyClaim('k'.repeat(16), { slotId: 's', attendee: { name: 'A', email: 'a@b.fr' }, phone: undefined }, now);
    const b = idempotencyClaim('k'.repeat(16), { attendee: { email: 'a@b.fr', name: 'A' }, slotId: 's' }, now);
    const c = idempotencyClaim('k'.repeat(16), { attendee: { email: 'a@b.fr', name: 'B' }, slotId: 's' }, now);
    expect(a.requestHash.equals(b.requestHash)).toBe(true);
    expect(a.requestHash.equals(c.requestHash)).toBe(false);
    expect(a.keyHash).toHaveLength(32);
    expect(a.expiresAt.toISOString()).toBe('2026-11-28T10:00:00.000Z');
  });
});
