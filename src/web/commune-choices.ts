import type { Territory } from '../territory/territory';

/** The model of `partials/commune-choice.hbs`: the communes of a postcode that has several, the chosen one checked. */
export interface CommuneChoice {
  postcode: string;
  communes: Array<{ code: string; name: string; inMetropolis: boolean; checked: boolean }>;
}

/** The choice to offer under a postcode typed in a form; null when there is nothing to choose. */
export function communeChoice(territory: Territory, postcode: unknown, chosen: unknown): CommuneChoice | null {
  const typed = typeof postcode === 'string' ? postcode.trim() : '';
  if (!/^\d{5}$/.test(typed)) return null;
  const communes = territory.communesForPostcode(typed);
  if (communes.length < 2) return null;
  return { postcode: typed, communes: communes.map((commune) => ({ ...commune, checked: commune.code === chosen })) };
}
