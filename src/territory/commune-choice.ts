import { DomainError } from '../common/domain-error';
import type { Commune, Territory } from './territory';

/** A postcode and, where it serves several communes, the one chosen (INSEE code). */
export interface PlaceInput {
  postcode?: string | null;
  communeCode?: string | null;
}

/**
 * The INSEE code of the commune a postcode and an optional choice designate, for a booking and for an
 * admin's correction of the register: null without a postcode (an organisation abroad leaves it
 * empty); the only commune of a postcode that has one; the chosen one, which must be among the
 * postcode's. A postcode of several communes without a choice is refused with `commune_required`,
 * listing the choices (the pages offer them as radio buttons). `prefix` names the fields as the form
 * or the API does (`organisation.`).
 */
export function communeOf(territory: Territory, input: PlaceInput, prefix = ''): string | null {
  const postcode = input.postcode ?? null;
  const chosen = input.communeCode ?? null;
  if (postcode === null) {
    if (chosen === null) return null;
    const message = 'Indiquez le code postal de la commune choisie.';
    throw new DomainError('validation_failed', message, [{ field: `${prefix}postcode`, message }]);
  }
  const communes = territory.communesForPostcode(postcode);
  if (communes.length === 0) {
    const message = 'Ce code postal n’existe pas : vérifiez-le (pour une structure hors de France, laissez-le vide).';
    throw new DomainError('validation_failed', message, [{ field: `${prefix}postcode`, message }]);
  }
  if (chosen !== null) {
    if (communes.some((commune) => commune.code === chosen)) return chosen;
    const message = `Cette commune n’a pas le code postal ${postcode} : choisissez-en une parmi ${list(communes)}.`;
    throw new DomainError('validation_failed', message, [{ field: `${prefix}communeCode`, message, choices: communes }]);
  }
  if (communes.length === 1) return communes[0].code;
  const message = `Le code postal ${postcode} couvre plusieurs communes : choisissez la vôtre parmi ${list(communes)}.`;
  throw new DomainError('commune_required', message, [{ field: `${prefix}communeCode`, message, choices: communes }]);
}

function list(communes: Commune[]): string {
  return communes.map((commune) => `${commune.name} (${commune.code})`).join(', ');
}

/** « dans la Métropole » / « hors Métropole » / « commune non renseignée », as pages and files say it. */
export function areaLabel(commune: Pick<Commune, 'inMetropolis'> | null): string {
  if (!commune) return 'commune non renseignée';
  return commune.inMetropolis ? 'dans la Métropole' : 'hors Métropole';
}
