import Holidays from 'date-holidays';
import { CalendarError } from './calendar-error';
import { isLocalDate, type LocalDate } from './local-date';

let france: Holidays | undefined;
const byYear = new Map<number, ReadonlyMap<LocalDate, string>>();

// Metropolitan France only: no region, so Alsace-Moselle's extra days are not included.
function frenchHolidays(): Holidays {
  france ??= new Holidays('FR', { languages: ['fr'], types: ['public'] });
  return france;
}

// Keyed on date-holidays' own 'YYYY-MM-DD hh:mm:ss' local date string, never on its Date
// objects, whose instants are French midnights and would shift a day under another host TZ.
function holidaysOf(year: number): ReadonlyMap<LocalDate, string> {
  let holidays = byYear.get(year);
  if (holidays === undefined) {
    const names = new Map<LocalDate, string>();
    for (const holiday of frenchHolidays().getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      const date = holiday.date.slice(0, 10);
      const existing = names.get(date);
      // Two holidays can share a date (Ascension fell on 1 May in 2008).
      names.set(date, existing === undefined ? holiday.name : `${existing}, ${holiday.name}`);
    }
    holidays = names;
    byYear.set(year, holidays);
  }
  return holidays;
}

/** The French name of the public holiday on `date` in metropolitan France, or null. */
export function frenchPublicHoliday(date: LocalDate): string | null {
  if (!isLocalDate(date)) throw new CalendarError(`Invalid date "${date}": expected YYYY-MM-DD`);
  return holidaysOf(Number(date.slice(0, 4))).get(date) ?? null;
}
