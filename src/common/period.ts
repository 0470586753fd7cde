import { DomainError } from './domain-error';

/**
 * A period of local dates asked for in a query: `to` not before `from`, and not after `latestTo`
 * (the longest period the route allows, named by `limit` in the message).
 */
export function checkPeriod(from: string, to: string, latestTo: string, limit: string): void {
  if (to < from) {
    throw new DomainError('validation_failed', 'La fin de la période précède son début.', [{ field: 'to', message: 'Doit être postérieure ou égale à from.' }]);
  }
  if (to > latestTo) throw new DomainError('range_too_large', `La période demandée dépasse ${limit}.`);
}
