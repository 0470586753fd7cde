import { CalendarError } from './calendar-error';
import { frenchPublicHoliday } from './holidays';
import { addDays, type LocalDate } from './local-date';

export const HOLIDAY_POLICIES = ['cancel', 'previous_week', 'next_week'] as const;
export type HolidayPolicy = (typeof HOLIDAY_POLICIES)[number];

export function isHolidayPolicy(s: string): s is HolidayPolicy {
  return (HOLIDAY_POLICIES as readonly string[]).includes(s);
}

export interface PlacedOccurrence {
  date: LocalDate;
  /** The rule's date when the occurrence was moved, otherwise null. */
  originalDate: LocalDate | null;
  status: 'scheduled' | 'cancelled';
  statusReason: string | null;
}

const SHIFT_DAYS: Record<HolidayPolicy, number> = { cancel: 0, previous_week: -7, next_week: 7 };

/**
 * Where an occurrence produced by a series' rule actually takes place, given the series' holiday
 * policy. An occurrence that would be moved onto another holiday is cancelled instead.
 */
export function applyHolidayPolicy(
  occurrence: LocalDate,
  policy: HolidayPolicy,
  holidayName: (date: LocalDate) => string | null = frenchPublicHoliday,
): PlacedOccurrence {
  if (!isHolidayPolicy(policy)) throw new CalendarError(`Unknown holiday policy "${String(policy)}"`);
  const holiday = holidayName(occurrence);
  if (holiday === null) {
    return { date: occurrence, originalDate: null, status: 'scheduled', statusReason: null };
  }
  const cancelled: PlacedOccurrence = {
    date: occurrence,
    originalDate: null,
    status: 'cancelled',
    statusReason: holiday,
  };
  if (policy === 'cancel') return cancelled;
  const moved = addDays(occurrence, SHIFT_DAYS[policy]);
  if (holidayName(moved) !== null) return cancelled;
  return { date: moved, originalDate: occurrence, status: 'scheduled', statusReason: `Déplacée : ${holiday}` };
}
