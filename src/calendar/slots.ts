import { CalendarError } from './calendar-error';
import { instantToLocal, minutesToWallTime, wallTimeToInstant, wallTimeToMinutes, type LocalDate, type WallTime } from './local-date';

export interface TimeRange {
  startsAt: Date;
  endsAt: Date;
}

function minuteRange(startTime: WallTime, endTime: WallTime): [number, number] {
  const start = wallTimeToMinutes(startTime);
  const end = wallTimeToMinutes(endTime);
  if (end <= start) throw new CalendarError(`End time ${endTime} must be after start time ${startTime}`);
  return [start, end];
}

/** The instant of a wall time, or null when a spring-forward switch skips that time. */
function existingInstant(date: LocalDate, minutes: number, zone: string): Date | null {
  const time = minutesToWallTime(minutes);
  const instant = wallTimeToInstant(date, time, zone);
  return instantToLocal(instant, zone).time === time ? instant : null;
}

/** The first instant after a wall time that a spring-forward switch skips: the switch itself. */
function switchAfter(date: LocalDate, minutes: number, zone: string): Date {
  for (let m = minutes + 1; m < 24 * 60; m++) {
    const instant = existingInstant(date, m, zone);
    if (instant !== null) return instant;
  }
  return wallTimeToInstant(date, minutesToWallTime(minutes), zone);
}

/**
 * The instants of a session, its end read as wallTimeToInstant documents. A start that a spring-forward
 * switch skips is the switch itself rather than moved forward by the gap: moved, it could fall after the
 * end (02:30–03:15 in Paris on the night 02:00–03:00 is skipped) or after slots of the session (03:00 in
 * 02:30–05:00). A range the switch skips whole (02:15–03:00 there) has no time and is refused.
 */
export function sessionBounds(date: LocalDate, startTime: WallTime, endTime: WallTime, zone: string): TimeRange {
  const [start] = minuteRange(startTime, endTime);
  const startsAt = existingInstant(date, start, zone) ?? switchAfter(date, start, zone);
  const endsAt = wallTimeToInstant(date, endTime, zone);
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw new CalendarError(`${startTime}–${endTime} does not exist on ${date} in ${zone}: a clock change skips it`);
  }
  return { startsAt, endsAt };
}

/**
 * Consecutive slots of `slotMinutes` from startTime, laid out on the wall clock (09:00, 10:00, …)
 * and then placed in `zone`; a remainder shorter than a slot is dropped.
 * Only a night with a DST switch can lose slots, and only those touching the switch.
 */
export function slotLayout(date: LocalDate, startTime: WallTime, endTime: WallTime, slotMinutes: number, zone: string): TimeRange[] {
  const [start, end] = minuteRange(startTime, endTime);
  if (!Number.isInteger(slotMinutes) || slotMinutes < 5 || slotMinutes > 480) {
    throw new CalendarError(`Slot length must be a whole number of minutes between 5 and 480, got ${slotMinutes}`);
  }
  const slots: TimeRange[] = [];
  for (let m = start; m + slotMinutes <= end; m += slotMinutes) {
    // Around a DST switch a wall-clock slot can overlap its neighbour or last an hour more or less;
    // such slots are left out, so that every slot lasts exactly slotMinutes and none overlap.
    // The end is taken from the slot's last minute, which must exist, rather than from its end time.
    const startsAt = existingInstant(date, m, zone);
    const lastMinute = existingInstant(date, m + slotMinutes - 1, zone);
    if (startsAt === null || lastMinute === null) continue;
    const endsAt = new Date(lastMinute.getTime() + 60_000);
    if (endsAt.getTime() - startsAt.getTime() === slotMinutes * 60_000) slots.push({ startsAt, endsAt });
  }
  return slots;
}
