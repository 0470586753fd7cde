import { frenchPublicHoliday } from './holidays';
import { addDays, isoWeekday, type LocalDate } from './local-date';

/** Monday to Friday, and not a public holiday of metropolitan France. */
export function isWorkingDay(date: LocalDate): boolean {
  return isoWeekday(date) <= 5 && frenchPublicHoliday(date) === null;
}

/** The first working day after `date` (a Friday gives the Monday, the eve of a holiday the day after it). */
export function nextWorkingDay(date: LocalDate): LocalDate {
  let next = addDays(date, 1);
  while (!isWorkingDay(next)) next = addDays(next, 1);
  return next;
}
