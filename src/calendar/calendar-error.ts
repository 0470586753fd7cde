/** Invalid input to a calendar function (bad date, zone, rule or time range). */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}
