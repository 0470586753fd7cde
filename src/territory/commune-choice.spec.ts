import { loadConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { communeOf } from './commune-choice';
import { Territory } from './territory';

describe(communeOf.name, () => {
  const territory = new Territory(loadConfig({}));
  const refusal = (input: Parameters<typeof communeOf>[1]) => {
    try {
      communeOf(territory, input, 'organisation.');
    } catch (error) {
      if (error instanceof DomainError) return { code: error.code, errors: error.errors };
      throw error;
    }
    throw new Error('not refused');
  };

  it('takes the only commune of a postcode, and nothing without a postcode', () => {
    expect(communeOf(territory, { postcode: '42000' })).toBe('42218');
    expect(communeOf(territory, { postcode: '42400', communeCode: '42207' })).toBe('42207');
    expect(communeOf(territory, {})).toBeNull();
    expect(communeOf(territory, { postcode: null, communeCode: null })).toBeNull();
  });

  it('takes the commune chosen among those of a postcode that has several', () => {
    expect(communeOf(territory, { postcode: '42140', communeCode: '42096' })).toBe('42096');
    expect(communeOf(territory, { postcode: '42140', communeCode: '42059' })).toBe('42059');
  });

  it('asks for a choice, listing the communes, when a postcode has several', () => {
    const { code, errors } = refusal({ postcode: '42140' });
    expect(code).toBe('commune_required');
    expect(errors![0].field).toBe('organisation.communeCode');
    expect(errors![0].choices).toHaveLength(11);
    expect(errors![0].choices).toContainEqual({ code: '42096', name: 'Fontanès', inMetropolis: true });
  });

  it('refuses a commune of another postcode, an unknown postcode, and a commune without postcode', () => {
    expect(refusal({ postcode: '42140', communeCode: '42218' })).toMatchObject({ code: 'validation_failed', errors: [{ field: 'organisation.communeCode' }] });
    expect(refusal({ postcode: '42999' })).toMatchObject({ code: 'validation_failed', errors: [{ field: 'organisation.postcode' }] });
    expect(refusal({ communeCode: '42218' })).toMatchObject({ code: 'validation_failed', errors: [{ field: 'organisation.postcode' }] });
  });
});
