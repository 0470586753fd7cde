import { structuralErrors } from './validation';

describe(structuralErrors.name, () => {
  it('accepts an ordinary booking body', () => {
    expect(structuralErrors({ slotId: 'x', attendee: { name: 'Camille', email: 'c@a.fr' }, topics: ['legal_status'], consent: true })).toEqual([]);
  });

  it('names NUL characters by their dotted path', () => {
    expect(structuralErrors({ attendee: { name: 'Ca\u0000mille' }, topics: ['a', 'b\u0000'] })).toEqual(
      expect.arrayContaining([
        { field: 'attendee.name', message: expect.any(String) as string },
        { field: 'topics.1', message: expect.any(String) as string },
      ]),
    );
  });

  it('refuses the keys class-transformer would skip silently', () => {
    const body: unknown = JSON.parse('{"__proto__": {"isAdmin": true}, "organisation": {"constructor": {"prototype": {}}}}');
    expect(
      structuralErrors(body)
        .map((error) => error.field)
        .sort(),
    ).toEqual(['__proto__', 'organisation.constructor']);
  });

  it('stops at 16 levels of nesting without recursing, however deep the input', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(structuralErrors(deep)).toEqual([{ field: 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a', message: 'Structure trop profondément imbriquée.' }]);
    let shallow: unknown = 1;
    for (let i = 0; i < 15; i++) shallow = { a: shallow };
    expect(structuralErrors(shallow)).toEqual([]);
  });
});
