import { MaskingLogger, maskEmails } from './mask';

describe(maskEmails.name, () => {
  it.each([
    ['550 5.1.1 <camille.martin@asso-exemple.fr>: Recipient address rejected', '550 5.1.1 <c***@asso-exemple.fr>: Recipient address rejected'],
    [
      'Key (slot_id, attendee_email)=(4f1c, bob+tag@mail.example.org) already exists',
      'Key (slot_id, attendee_email)=(4f1c, b***@mail.example.org) already exists',
    ],
    ['two: a@b.io and zoé-x@c.fr', 'two: a***@b.io and z***@c.fr'],
    ['nothing personal here', 'nothing personal here'],
  ])('masks %s', (input, expected) => {
    expect(maskEmails(input)).toBe(expected);
  });
});

describe(MaskingLogger.name, () => {
  it('masks addresses in messages and stack traces before they reach the console', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const errors = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const logger = new MaskingLogger('Test', { colors: false });
      logger.log('sent to camille@asso.fr');
      logger.error('refused', new Error('550 <hugo@scop.fr> unknown').stack);
    } finally {
      spy.mockRestore();
      errors.mockRestore();
    }
    const output = written.join('');
    expect(output).toContain('c***@asso.fr');
    expect(output).toContain('h***@scop.fr');
    expect(output).not.toMatch(/camille@|hugo@/);
  });
});
