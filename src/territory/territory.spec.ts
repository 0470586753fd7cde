import { loadConfig } from '../config/app-config';
import { Territory } from './territory';

describe('Territory (Etalab data)', () => {
  const territory = new Territory(loadConfig({}));

  it('names the communes a postcode serves, in French order, with their membership of the metropolis', () => {
    expect(territory.communesForPostcode('42100')).toEqual([{ code: '42218', name: 'Saint-Étienne', inMetropolis: true }]);
    const chazelles = territory.communesForPostcode('42140');
    expect(chazelles.length).toBeGreaterThan(5);
    expect(chazelles.map((commune) => commune.name)).toContain('Chazelles-sur-Lyon');
    // One postcode, communes on both sides of the metropolis' boundary.
    expect(chazelles.find((commune) => commune.name === 'Fontanès')?.inMetropolis).toBe(true);
    expect(chazelles.find((commune) => commune.name === 'Chazelles-sur-Lyon')?.inMetropolis).toBe(false);
    expect(chazelles.map((commune) => commune.name)).toEqual([...chazelles.map((commune) => commune.name)].sort((a, b) => a.localeCompare(b, 'fr')));
    expect(territory.communesForPostcode('00000')).toEqual([]);
  });

  it('takes the metropolis from the EPCI SIREN (default Saint-Étienne Métropole)', () => {
    expect(territory.metropolis()).toEqual({ siren: '244200770', name: 'Saint-Étienne Métropole' });
    expect(territory.isInMetropolis('42207')).toBe(true); // Saint-Chamond
    expect(territory.isInMetropolis('69123')).toBe(false); // Lyon
    expect(territory.metropolisCommuneCodes()).toContain('42218');
    const lyon = new Territory(loadConfig({ METROPOLIS_EPCI_SIREN: '200046977' }));
    expect(lyon.metropolis().name).toMatch(/Lyon/);
    expect(lyon.isInMetropolis('69123')).toBe(true);
    expect(lyon.commune('42218')).toEqual({ code: '42218', name: 'Saint-Étienne', inMetropolis: false });
  });

  it('refuses a SIREN that is no EPCI, and a malformed one at configuration', () => {
    expect(() => new Territory(loadConfig({ METROPOLIS_EPCI_SIREN: '123456789' })).metropolis()).toThrow(/METROPOLIS_EPCI_SIREN/);
    expect(() => loadConfig({ METROPOLIS_EPCI_SIREN: '24420077' })).toThrow(/METROPOLIS_EPCI_SIREN must be a 9-digit SIREN/);
  });

  it('finds communes by a part of their name, accents, case and hyphens aside', () => {
    const codes = territory.communeCodesNamed('saint etienne');
    expect(codes).toContain('42218');
    expect(territory.communeCodesNamed('FONTANÈS')).toContain('42096');
    expect(territory.communeCodesNamed('e')).toEqual([]);
  });
});
