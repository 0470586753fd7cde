import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { CalendarError } from './calendar-error';
import { applyHolidayPolicy, HOLIDAY_POLICIES } from './holiday-policy';
import { frenchPublicHoliday } from './holidays';
import { occurrenceDates } from './recurrence';
import { sessionBounds, slotLayout } from './slots';

/*
 * Property-based tests of the calendar. Every expectation is computed here without rrule and without
 * the code under test: dates with luxon in UTC, zone offsets with luxon's IANAZone.offset() only.
 * The host time zone must not matter (test/run.js runs these under several TZ).
 */

const ZONES = [
  'Europe/Paris',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/St_Johns',
  'Europe/London',
  'UTC',
] as const;

const MINUTE = 60_000;
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Independent date helpers (luxon in UTC: no zone, no DST).

const FIRST_DAY = Date.UTC(2000, 0, 1) / DAY;
const LAST_DAY = Date.UTC(2037, 11, 31) / DAY;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY;
}

function dateOf(day: number): string {
  return DateTime.fromMillis(day * DAY, { zone: 'utc' }).toISODate()!;
}

interface CalendarDay {
  year: number;
  month: number;
  day: number;
  /** ISO, 1 = Monday. */
  weekday: number;
  daysInMonth: number;
}

const calendarDays = new Map<number, CalendarDay>();

/** The calendar facts of a day, by luxon in UTC (memoised: the properties enumerate days by thousands). */
function utcDay(day: number): CalendarDay {
  let facts = calendarDays.get(day);
  if (facts === undefined) {
    const d = DateTime.fromMillis(day * DAY, { zone: 'utc' });
    facts = { year: d.year, month: d.month, day: d.day, weekday: d.weekday, daysInMonth: d.daysInMonth! };
    calendarDays.set(day, facts);
  }
  return facts;
}

function wall(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The wall-clock reading (date, HH:mm) of a "naive" millisecond count, i.e. a wall time held as UTC. */
function naiveReading(naive: number): { date: string; time: string } {
  const t = DateTime.fromMillis(naive, { zone: 'utc' });
  return { date: t.toISODate()!, time: t.toFormat('HH:mm') };
}

function zoneReading(instant: Date, zone: string): { date: string; time: string } {
  const t = DateTime.fromJSDate(instant).setZone(zone);
  return { date: t.toISODate()!, time: t.toFormat('HH:mm') };
}

// ---------------------------------------------------------------------------------------------
// Independent zone oracle: offsets only (IANAZone.offset), no DateTime.fromObject.

/** Offset in minutes of `zone` at the instant `ms`. */
function offsetAt(zone: string, ms: number): number {
  return IANAZone.create(zone).offset(ms);
}

const aroundCache = new Map<string, [number, number]>();

/** The offsets of `zone` a day before and a day after the local day `date` (memoised). */
function offsetsAround(date: string, zone: string): [number, number] {
  const key = `${zone} ${date}`;
  let offsets = aroundCache.get(key);
  if (offsets === undefined) {
    const midnight = dayNumber(date) * DAY;
    offsets = [offsetAt(zone, midnight - DAY), offsetAt(zone, midnight + 2 * DAY)];
    aroundCache.set(key, offsets);
  }
  return offsets;
}

interface Placement {
  /** The instant the documented rule gives. */
  instant: number;
  kind: 'unique' | 'repeated' | 'gap';
  /** For a gap: how far the clocks jump, in minutes. */
  gapMinutes: number;
}

/**
 * Where a wall time falls, by the rule local-date.ts documents (RFC 5545 §3.3.5): a time that exists
 * once is that instant; a repeated time is its first (earliest) instant; a time skipped by a switch is
 * read with the offset before the switch, i.e. moved forward by the gap. Assumes at most one switch
 * from the day before to the day after, true of every zone tested.
 */
function place(date: string, minutes: number, zone: string): Placement {
  const naive = dayNumber(date) * DAY + minutes * MINUTE;
  const [before, after] = offsetsAround(date, zone);
  const valid = [...new Set([before, after])].filter((offset) => offsetAt(zone, naive - offset * MINUTE) === offset).map((offset) => naive - offset * MINUTE);
  if (valid.length === 2) return { instant: Math.min(...valid), kind: 'repeated', gapMinutes: 0 };
  if (valid.length === 1) return { instant: valid[0], kind: 'unique', gapMinutes: 0 };
  // Nonexistent: a spring-forward switch, the offset grows from `before` to `after`.
  if (after <= before) throw new Error(`oracle: ${date} ${wall(minutes)} ${zone} neither exists nor falls in a gap`);
  return { instant: naive - before * MINUTE, kind: 'gap', gapMinutes: after - before };
}

/**
 * What is wrong with an instant the code gave for `date` + `minutes` in `zone`, by the documented rule,
 * or null. Problems are collected and asserted once per run: an expect() per occurrence is slow.
 */
function placementProblem(instant: Date, date: string, minutes: number, zone: string): string | null {
  const expected = place(date, minutes, zone);
  const at = `${date} ${wall(minutes)} in ${zone}`;
  if (instant.getTime() !== expected.instant) return `${at}: ${instant.toISOString()}, expected ${new Date(expected.instant).toISOString()} (${expected.kind})`;
  const reading = zoneReading(instant, zone);
  // setZone gives back the wall time on the same date; a skipped time is moved forward by the gap
  // (02:30 in Paris on the spring switch reads 03:30).
  const wanted = expected.kind === 'gap' ? naiveReading(dayNumber(date) * DAY + (minutes + expected.gapMinutes) * MINUTE) : { date, time: wall(minutes) };
  if (reading.date !== wanted.date || reading.time !== wanted.time)
    return `${at}: reads ${reading.date} ${reading.time} there, expected ${wanted.date} ${wanted.time}`;
  return null;
}

interface Switch {
  /** The instant of the switch. */
  at: number;
  from: number;
  to: number;
}

/** The offset switches of `zone` between two instants, found by bisection on offsets alone. */
function switchesBetween(zone: string, start: number, end: number, step = DAY / 4): Switch[] {
  const found: Switch[] = [];
  let t = start;
  let offset = offsetAt(zone, t);
  while (t < end) {
    const next = Math.min(t + step, end);
    const nextOffset = offsetAt(zone, next);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
        if (offsetAt(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, from: offset, to: nextOffset });
    }
    t = next;
    offset = nextOffset;
  }
  return found;
}

/** Wall-clock ranges (naive ms, half-open) that are skipped or repeated on or around `date`. */
function disturbedWallRanges(date: string, zone: string): Array<[number, number]> {
  const midnight = dayNumber(date) * DAY;
  return switchesBetween(zone, midnight - DAY, midnight + 2 * DAY).map((s) => {
    const a = s.at + s.from * MINUTE;
    const b = s.at + s.to * MINUTE;
    return a < b ? [a, b] : [b, a];
  });
}

/**
 * What is wrong with sessionBounds for these wall times, by its documented rule, or null: the end as
 * wallTimeToInstant reads it; a start that exists at its instant, a start a switch skips at the switch
 * itself; a range with no time refused. The end is always after the start (permanence_sessions_times_check).
 */
function sessionProblem(date: string, start: number, end: number, zone: string): string | null {
  const at = `${date} ${wall(start)}–${wall(end)} in ${zone}`;
  const naive = dayNumber(date) * DAY + start * MINUTE;
  const placedStart = place(date, start, zone);
  let expectedStart = placedStart.instant;
  if (placedStart.kind === 'gap') {
    const gap = switchesBetween(zone, naive - DAY, naive + DAY).find((s) => s.to > s.from && s.at + s.from * MINUTE <= naive && naive < s.at + s.to * MINUTE);
    if (gap === undefined) throw new Error(`oracle: no switch found around ${at}`);
    expectedStart = gap.at;
  }
  const expectedEnd = place(date, end, zone).instant;
  let bounds;
  try {
    bounds = sessionBounds(date, wall(start), wall(end), zone);
  } catch (error) {
    if (expectedEnd <= expectedStart && error instanceof CalendarError) return null;
    return `${at}: threw ${String(error)}`;
  }
  if (expectedEnd <= expectedStart) return `${at}: a range with no time was accepted as ${bounds.startsAt.toISOString()}–${bounds.endsAt.toISOString()}`;
  if (bounds.endsAt.getTime() <= bounds.startsAt.getTime())
    return `${at}: ends at ${bounds.endsAt.toISOString()}, not after its start ${bounds.startsAt.toISOString()}`;
  if (placedStart.kind === 'gap') {
    if (bounds.startsAt.getTime() !== expectedStart)
      return `${at}: a skipped start at ${bounds.startsAt.toISOString()}, expected the switch ${new Date(expectedStart).toISOString()}`;
  } else {
    const problem = placementProblem(bounds.startsAt, date, start, zone);
    if (problem) return `start: ${problem}`;
  }
  const problem = placementProblem(bounds.endsAt, date, end, zone);
  return problem ? `end: ${problem}` : null;
}

/** Where the wall clock is disturbed on a switch day: `span` minutes from `wallMinutes` are skipped or repeated. */
interface Disturbance {
  wallMinutes: number;
  span: number;
}

/** Switch days (local date of the switch) of each zone, 2020–2031, for biased generators. */
const SWITCH_DAYS: Record<string, Array<{ date: string } & Disturbance>> = Object.fromEntries(
  ZONES.map((zone) => [
    zone,
    switchesBetween(zone, Date.UTC(2020, 0, 1), Date.UTC(2032, 0, 1), 7 * DAY).map((s) => {
      const naive = s.at + Math.min(s.from, s.to) * MINUTE;
      return { date: naiveReading(naive).date, wallMinutes: Math.round((naive % DAY) / MINUTE), span: Math.abs(s.to - s.from) };
    }),
  ]),
);

// ---------------------------------------------------------------------------------------------
// Arbitraries.

const zoneArb = fc.constantFrom(...ZONES);
const dayArb = fc.integer({ min: FIRST_DAY, max: LAST_DAY });

/** A date, most of the time a DST switch day of the zone (with where its wall clock is disturbed). */
function switchBiased(zone: string): fc.Arbitrary<{ date: string; near: Disturbance | null }> {
  const switches = SWITCH_DAYS[zone];
  const random = dayArb.map((day) => ({ date: dateOf(day), near: null as Disturbance | null }));
  if (switches.length === 0) return random;
  return fc.oneof(
    { weight: 1, arbitrary: random },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: switches.length - 1 }).map((i) => ({ date: switches[i].date, near: switches[i] })) },
  );
}

/** A start and an end wall time on one day, end after start, at most `maxLength` minutes apart. */
function anyStartEnd(maxLength = 24 * 60): fc.Arbitrary<[number, number]> {
  return fc
    .integer({ min: 0, max: 24 * 60 - 2 })
    .chain((start) => fc.integer({ min: 1, max: Math.min(24 * 60 - 1 - start, maxLength) }).map((length) => [start, start + length] as [number, number]));
}

/** Like anyStartEnd; on a switch day, mostly a short range starting in or around the disturbance. */
function startEnd(near: Disturbance | null, maxLength = 24 * 60): fc.Arbitrary<[number, number]> {
  if (near === null) return anyStartEnd(maxLength);
  const clamp = (m: number) => Math.min(24 * 60 - 1, Math.max(0, m));
  return fc.oneof(
    { weight: 1, arbitrary: anyStartEnd(maxLength) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.integer({ min: -30, max: near.span + 30 }), fc.integer({ min: 1, max: Math.min(near.span + 90, maxLength) }))
        .map(([from, length]) => [clamp(near.wallMinutes + from), clamp(near.wallMinutes + from + length)] as [number, number])
        .filter(([a, b]) => a < b),
    },
  );
}

/** Slots of 5 to 480 minutes, in a range of at most 48 of them (the cost is per slot). */
function slotInput(zone: string, lengths: fc.Arbitrary<number>) {
  return switchBiased(zone).chain(({ date, near }) =>
    lengths.chain((slotMinutes) => startEnd(near, 48 * slotMinutes).map((range) => ({ zone, date, range, slotMinutes }))),
  );
}

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** A recurrence rule as plain data (so that fast-check prints a counterexample readably). */
type RuleShape =
  | { freq: 'MONTHLY'; interval: number; byday: Array<{ n: number | null; weekday: number }> | null; bymonthday: number[] | null; bymonth: number[] | null }
  | { freq: 'WEEKLY'; interval: number; weekdays: number[] | null; wkst: number | null }
  | { freq: 'DAILY'; interval: number; weekdays: number[] | null };

interface RuleData {
  shape: RuleShape;
  count: number | null;
  /** UNTIL, in days after the anchor. */
  untilOffset: number | null;
}

interface RuleSpec {
  rule: string;
  /** Whether a date (day number) is one the rule selects, given the anchor (day number). */
  matches(day: number, anchor: number): boolean;
  count: number | null;
  until: number | null;
}

/** Index of the month of a day, counted from year 0: for INTERVAL on monthly rules. */
function monthIndex(day: number): number {
  const d = utcDay(day);
  return d.year * 12 + d.month - 1;
}

function nthWeekdayMatches(day: number, weekday: number, n: number | null): boolean {
  const d = utcDay(day);
  if (d.weekday !== weekday) return false;
  if (n === null) return true;
  if (n > 0) return Math.ceil(d.day / 7) === n;
  return Math.floor((d.daysInMonth - d.day) / 7) + 1 === -n;
}

const intervalArb = (max: number) => fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max }) });
const weekdaysArb = (max: number): fc.Arbitrary<number[]> => fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: max });

/**
 * MONTHLY rules: BYDAY=-1TH, 1MO, 2WE… (ordinals, 5th and -5th included, which some months lack) or
 * plain weekdays, BYMONTHDAY (negative too), or the anchor's day; optionally BYMONTH. A BYDAY list is
 * either all ordinals or all plain: parseRecurrenceRule refuses a mix (recurrence.spec.ts).
 */
const monthlyShape: fc.Arbitrary<RuleShape> = fc
  .record({
    freq: fc.constant('MONTHLY' as const),
    interval: intervalArb(4),
    byday: fc.constant(null),
    bymonthday: fc.constant(null),
    bymonth: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }), { freq: 3 }),
  })
  .chain((base) =>
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.boolean().chain((ordinal) =>
          fc
            .uniqueArray(
              fc.record({
                n: ordinal ? fc.constantFrom<number | null>(1, 2, 3, 4, 5, -1, -2, -5) : fc.constant(null),
                weekday: fc.integer({ min: 1, max: 7 }),
              }),
              { minLength: 1, maxLength: 2, selector: (item) => `${item.n}${item.weekday}` },
            )
            .map((byday) => ({ ...base, byday })),
        ),
      },
      {
        weight: 2,
        arbitrary: fc
          .uniqueArray(
            fc.integer({ min: -31, max: 31 }).filter((n) => n !== 0),
            { minLength: 1, maxLength: 2 },
          )
          .map((bymonthday) => ({ ...base, bymonthday })),
      },
      { weight: 1, arbitrary: fc.constant(base) },
    ),
  );

/** WEEKLY rules: some weekdays (or the anchor's), every `interval` weeks counted from the anchor's week (WKST). */
const weeklyShape: fc.Arbitrary<RuleShape> = fc.record({
  freq: fc.constant('WEEKLY' as const),
  interval: intervalArb(4),
  weekdays: fc.option(weekdaysArb(3), { freq: 5, nil: null }),
  wkst: fc.option(fc.integer({ min: 1, max: 7 }), { freq: 3, nil: null }),
});

/** DAILY rules, optionally on some weekdays only. */
const dailyShape: fc.Arbitrary<RuleShape> = fc.record({
  freq: fc.constant('DAILY' as const),
  interval: intervalArb(10),
  weekdays: fc.option(weekdaysArb(5), { freq: 2, nil: null }),
});

const ruleArb: fc.Arbitrary<RuleData> = fc
  .record({
    shape: fc.oneof({ weight: 4, arbitrary: monthlyShape }, { weight: 3, arbitrary: weeklyShape }, { weight: 1, arbitrary: dailyShape }),
    end: fc.oneof(
      { weight: 3, arbitrary: fc.constant({ count: null, untilOffset: null }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 80 }).map((count) => ({ count, untilOffset: null })) },
      { weight: 1, arbitrary: fc.integer({ min: -30, max: 900 }).map((untilOffset) => ({ count: null, untilOffset })) },
    ),
  })
  .map(({ shape, end }) => ({ shape, ...end }));

/** The RRULE text of a rule and, independently of rrule, which days it selects. */
function ruleOf(data: RuleData, anchor: number): RuleSpec {
  const { shape } = data;
  const parts = [`FREQ=${shape.freq}`];
  if (shape.interval > 1) parts.push(`INTERVAL=${shape.interval}`);
  let matches: (day: number, anchor: number) => boolean;
  switch (shape.freq) {
    case 'MONTHLY': {
      const { interval, byday, bymonthday, bymonth } = shape;
      if (byday) parts.push(`BYDAY=${byday.map((item) => `${item.n ?? ''}${WEEKDAYS[item.weekday - 1]}`).join(',')}`);
      if (bymonthday) parts.push(`BYMONTHDAY=${bymonthday.join(',')}`);
      if (bymonth) parts.push(`BYMONTH=${bymonth.join(',')}`);
      matches = (day, anchor) => {
        const d = utcDay(day);
        if ((monthIndex(day) - monthIndex(anchor)) % interval !== 0) return false;
        if (bymonth && !bymonth.includes(d.month)) return false;
        if (byday) return byday.some((item) => nthWeekdayMatches(day, item.weekday, item.n));
        if (bymonthday) return bymonthday.some((n) => (n > 0 ? d.day === n : d.day === d.daysInMonth + 1 + n));
        return d.day === utcDay(anchor).day;
      };
      break;
    }
    case 'WEEKLY': {
      const { interval, weekdays, wkst } = shape;
      if (weekdays) parts.push(`BYDAY=${weekdays.map((w) => WEEKDAYS[w - 1]).join(',')}`);
      if (wkst) parts.push(`WKST=${WEEKDAYS[wkst - 1]}`);
      const weekStart = (day: number) => day - ((utcDay(day).weekday - (wkst ?? 1) + 7) % 7);
      matches = (day, anchor) =>
        (weekdays ?? [utcDay(anchor).weekday]).includes(utcDay(day).weekday) && ((weekStart(day) - weekStart(anchor)) / 7) % interval === 0;
      break;
    }
    case 'DAILY': {
      const { interval, weekdays } = shape;
      if (weekdays) parts.push(`BYDAY=${weekdays.map((w) => WEEKDAYS[w - 1]).join(',')}`);
      matches = (day, anchor) => (day - anchor) % interval === 0 && (!weekdays || weekdays.includes(utcDay(day).weekday));
      break;
    }
  }
  const until = data.untilOffset === null ? null : anchor + data.untilOffset;
  if (data.count !== null) parts.push(`COUNT=${data.count}`);
  if (until !== null) parts.push(`UNTIL=${dateOf(until).replaceAll('-', '')}`);
  return { rule: parts.join(';'), matches, count: data.count, until };
}

const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A rule that never matches: its INTERVAL never reaches its BYDAY weekdays or BYMONTH months, or its
 * days never exist in them (BYMONTHDAY=30;BYMONTH=2). rrule then searches up to the year 9999, up to
 * seconds per call: such rules are left out for time's sake (the service's own rule is fixed).
 */
function neverMatches(data: RuleData, anchor: number): boolean {
  const { shape } = data;
  if (shape.freq === 'DAILY' && shape.weekdays !== null) {
    // DAILY;INTERVAL=7;BYDAY=TU from a Wednesday.
    const weekdays = shape.weekdays;
    return !Array.from({ length: 7 }, (_, k) => utcDay(anchor + k * shape.interval).weekday).some((weekday) => weekdays.includes(weekday));
  }
  if (shape.freq !== 'MONTHLY' || shape.bymonth === null) return false;
  const first = utcDay(anchor).month - 1;
  const reached = new Set(Array.from({ length: 12 }, (_, k) => ((first + k * shape.interval) % 12) + 1));
  const days = shape.byday !== null ? null : (shape.bymonthday ?? [utcDay(anchor).day]);
  return !shape.bymonth.some((month) => reached.has(month) && (days === null || days.some((n) => Math.abs(n) <= MAX_DAYS[month - 1])));
}

/** The expected occurrence days, enumerated day by day from the anchor. */
function expectedOccurrences(spec: RuleSpec, anchor: number, from: number, to: number): number[] {
  const result: number[] = [];
  let seen = 0;
  const last = spec.until === null ? to : Math.min(to, spec.until);
  for (let day = anchor; day <= last; day++) {
    if (!spec.matches(day, anchor)) continue;
    seen++;
    if (spec.count !== null && seen > spec.count) break;
    if (day >= from) result.push(day);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

describe('calendar properties', () => {
  it('the independent oracle agrees with known placements (sanity check of the test itself)', () => {
    expect(new Date(place('2026-03-29', 150, 'Europe/Paris').instant).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(place('2026-03-29', 150, 'Europe/Paris').kind).toBe('gap');
    expect(new Date(place('2026-10-25', 150, 'Europe/Paris').instant).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(place('2026-10-25', 150, 'Europe/Paris').kind).toBe('repeated');
    expect(SWITCH_DAYS['Europe/Paris'].map((s) => s.date)).toContain('2026-03-29');
    expect(SWITCH_DAYS['Australia/Lord_Howe'].length).toBeGreaterThan(20);
    expect(SWITCH_DAYS['Asia/Kolkata']).toEqual([]);
    const paris = switchesBetween('Europe/Paris', Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 30));
    expect(paris).toEqual([{ at: Date.parse('2026-03-29T01:00:00Z'), from: 60, to: 120 }]);
    expect(disturbedWallRanges('2026-10-25', 'Europe/Paris')).toEqual([[Date.parse('2026-10-25T02:00:00Z'), Date.parse('2026-10-25T03:00:00Z')]]);
  });

  it('generates exactly the occurrences of the rule in the range, in order, each at the series’ wall time in its zone', () => {
    fc.assert(
      fc.property(
        ruleArb,
        dayArb,
        fc.integer({ min: -60, max: 400 }),
        fc.integer({ min: -5, max: 400 }),
        zoneArb,
        anyStartEnd(),
        fc.nat(),
        (ruleData, anchor, fromOffset, length, zone, [start, end], pick) => {
          fc.pre(!neverMatches(ruleData, anchor));
          const spec = ruleOf(ruleData, anchor);
          const from = anchor + fromOffset;
          const to = from + length;
          const dates = occurrenceDates(spec.rule, dateOf(anchor), dateOf(from), dateOf(to));
          const days = dates.map(dayNumber);

          const problems: string[] = [];
          const last = spec.until === null ? to : Math.min(to, spec.until);
          days.forEach((day, i) => {
            // Each one satisfies the rule and lies in the range (and not before the anchor, nor after UNTIL).
            if (!spec.matches(day, anchor)) problems.push(`${dateOf(day)} does not satisfy the rule`);
            if (day < Math.max(from, anchor) || day > last) problems.push(`${dateOf(day)} is out of range`);
            // Strictly increasing: ordered and without duplicates.
            if (i > 0 && day <= days[i - 1]) problems.push(`${dateOf(day)} comes after ${dateOf(days[i - 1])}`);
          });
          expect({ rule: spec.rule, problems }).toEqual({ rule: spec.rule, problems: [] });
          // As many as counted independently, and the very same dates.
          const expected = expectedOccurrences(spec, anchor, from, to);
          expect({ rule: spec.rule, count: days.length }).toEqual({ rule: spec.rule, count: expected.length });
          expect(dates).toEqual(expected.map(dateOf));

          // Placed at the series' wall times in its zone (the session generator uses sessionBounds). The
          // placement costs half a millisecond: beyond 25 occurrences, every stride-th from a generated offset.
          const stride = Math.ceil(dates.length / 25);
          for (const date of dates.filter((_, i) => i % stride === pick % stride)) {
            const problem = sessionProblem(date, start, end, zone);
            if (problem) problems.push(problem);
          }
          expect(problems).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('counts one occurrence a month for a monthly BYDAY=±n rule that exists every month (e.g. the last Thursday)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4, -1, -2, -3, -4),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 2000, max: 2035 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 36 }),
        (n, weekday, year, month, months) => {
          const first = DateTime.fromObject({ year, month, day: 1 }, { zone: 'utc' });
          const last = first.plus({ months: months - 1 }).endOf('month');
          const rule = `FREQ=MONTHLY;BYDAY=${n}${WEEKDAYS[weekday - 1]}`;
          const dates = occurrenceDates(rule, first.toISODate()!, first.toISODate()!, last.toISODate()!);
          expect(dates).toHaveLength(months);
          dates.forEach((date, i) => {
            const d = DateTime.fromISO(date, { zone: 'utc' });
            const month = first.plus({ months: i });
            expect([d.year, d.month, d.weekday]).toEqual([month.year, month.month, weekday]);
            // The nth from the start, or from the end, of its month.
            if (n > 0) expect(Math.ceil(d.day / 7)).toBe(n);
            else expect(d.plus({ days: -7 * n }).month).not.toBe(d.month);
            if (n < 0) expect(d.plus({ days: -7 * (n + 1) }).month).toBe(d.month);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('places a session at its wall times by the documented rule, its end after its start, around its zone’s DST switches', () => {
    const input = zoneArb.chain((zone) => switchBiased(zone).chain(({ date, near }) => startEnd(near).map(([start, end]) => ({ zone, date, start, end }))));
    fc.assert(
      fc.property(input, ({ zone, date, start, end }) => {
        expect(sessionProblem(date, start, end, zone)).toBeNull();
      }),
      { numRuns: 400 },
    );
  });

  it('lays slots of exactly slotMinutes on the wall clock from the start, without overlap, losing only those a DST switch touches', () => {
    const lengths = fc.oneof(fc.integer({ min: 5, max: 480 }), fc.constantFrom(5, 10, 15, 20, 30, 45, 60, 90, 120));
    fc.assert(
      fc.property(
        zoneArb.chain((zone) => slotInput(zone, lengths)),
        ({ zone, date, range: [start, end], slotMinutes }) => {
          const slots = slotLayout(date, wall(start), wall(end), slotMinutes, zone);
          const wallSlots = Math.floor((end - start) / slotMinutes);
          const problems: string[] = [];
          const starts: number[] = [];
          for (const [i, slot] of slots.entries()) {
            const label = `slot ${i} (${slot.startsAt.toISOString()}–${slot.endsAt.toISOString()})`;
            // Exactly one slot long.
            if (slot.endsAt.getTime() - slot.startsAt.getTime() !== slotMinutes * MINUTE) problems.push(`${label} does not last ${slotMinutes} min`);
            // Starts at start + k × slotMinutes on the wall clock of its date, a whole slot before the end.
            const reading = zoneReading(slot.startsAt, zone);
            const m = Number(reading.time.slice(0, 2)) * 60 + Number(reading.time.slice(3));
            if (reading.date !== date || (m - start) % slotMinutes !== 0 || m < start || m + slotMinutes > end) {
              problems.push(`${label} starts at ${reading.date} ${reading.time} on the wall clock`);
            }
            // At the documented instant of that wall time (the first one when it is repeated).
            else if (slot.startsAt.getTime() !== place(date, m, zone).instant) problems.push(`${label} is not the first instant of ${reading.time}`);
            // In order, without overlap.
            if (i > 0 && slot.startsAt.getTime() < slots[i - 1].endsAt.getTime()) problems.push(`${label} overlaps the one before`);
            starts.push(m);
          }
          if (slots.length > wallSlots) problems.push(`${slots.length} slots for ${wallSlots} whole ones`);
          // Complete: every wall slot that no switch skips or repeats any minute of is there.
          const midnight = dayNumber(date) * DAY;
          const disturbed = disturbedWallRanges(date, zone);
          for (let k = 0; k < wallSlots; k++) {
            const m = start + k * slotMinutes;
            const [a, b] = [midnight + m * MINUTE, midnight + (m + slotMinutes) * MINUTE];
            if (!disturbed.some(([x, y]) => a < y && x < b) && !starts.includes(m)) problems.push(`the ${wall(m)} slot, untouched by any switch, is missing`);
          }
          // On a day without a switch, the slots tile [start, start + n × slotMinutes) exactly, from the session's start.
          if (disturbed.length === 0) {
            if (slots.length !== wallSlots) problems.push(`${slots.length} slots on an ordinary day, expected ${wallSlots}`);
            for (let i = 1; i < slots.length; i++) if (slots[i].startsAt.getTime() !== slots[i - 1].endsAt.getTime()) problems.push(`a gap before slot ${i}`);
            if (slots.length > 0 && slots[0].startsAt.getTime() !== sessionBounds(date, wall(start), wall(end), zone).startsAt.getTime())
              problems.push('the first slot is not at the session start');
          }
          expect({ zone, date, start: wall(start), end: wall(end), slotMinutes, problems }).toEqual({
            zone,
            date,
            start: wall(start),
            end: wall(end),
            slotMinutes,
            problems: [],
          });
        },
      ),
      { numRuns: 250 },
    );
  });

  it('keeps the slots of a session within the session', () => {
    fc.assert(
      fc.property(
        zoneArb.chain((zone) => slotInput(zone, fc.constantFrom(5, 10, 15, 30, 45, 60, 90))),
        ({ zone, date, range: [start, end], slotMinutes }) => {
          const slots = slotLayout(date, wall(start), wall(end), slotMinutes, zone);
          if (slots.length === 0) return;
          const bounds = sessionBounds(date, wall(start), wall(end), zone);
          const outside = slots.filter((slot) => slot.startsAt < bounds.startsAt || slot.endsAt > bounds.endsAt).map((slot) => slot.startsAt.toISOString());
          expect({ zone, date, start: wall(start), end: wall(end), slotMinutes, outside }).toEqual({
            zone,
            date,
            start: wall(start),
            end: wall(end),
            slotMinutes,
            outside: [],
          });
        },
      ),
      { numRuns: 250 },
    );
  });

  describe('holidays', () => {
    /** Easter Sunday, anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    function easter(year: number): DateTime {
      const a = year % 19;
      const b = Math.floor(year / 100);
      const c = year % 100;
      const d = Math.floor(b / 4);
      const e = b % 4;
      const f = Math.floor((b + 8) / 25);
      const g = Math.floor((b - f + 1) / 3);
      const h = (19 * a + b - d - g + 15) % 30;
      const i = Math.floor(c / 4);
      const k = c % 4;
      const l = (32 + 2 * e + 2 * i - h - k) % 7;
      const m = Math.floor((a + 11 * h + 22 * l) / 451);
      const month = Math.floor((h + l - 7 * m + 114) / 31);
      const day = ((h + l - 7 * m + 114) % 31) + 1;
      return DateTime.fromObject({ year, month, day }, { zone: 'utc' });
    }

    /** The eleven public holidays of metropolitan France, computed independently. */
    function frenchHolidays(year: number): Set<string> {
      const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map((md) => `${year}-${md}`);
      const sunday = easter(year);
      const movable = [1, 39, 50].map((days) => sunday.plus({ days }).toISODate()!);
      return new Set([...fixed, ...movable]);
    }

    it('names a date as a public holiday exactly when it is one of the eleven French holidays', () => {
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(1990, 0, 1) / DAY, max: Date.UTC(2070, 11, 31) / DAY }), (day) => {
          const date = dateOf(day);
          const named = frenchPublicHoliday(date);
          expect({ date, holiday: named !== null }).toEqual({ date, holiday: frenchHolidays(Number(date.slice(0, 4))).has(date) });
          if (named !== null) expect(named).toMatch(/\S/);
        }),
        { numRuns: 1000 },
      );
    });

    it('finds every one of them in a year, and nothing else', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1990, max: 2070 }), (year) => {
          const found = new Set<string>();
          for (let d = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: 'utc' }); d.year === year; d = d.plus({ days: 1 })) {
            if (frenchPublicHoliday(d.toISODate()!) !== null) found.add(d.toISODate()!);
          }
          expect([...found].sort()).toEqual([...frenchHolidays(year)].sort());
        }),
        { numRuns: 20 },
      );
    });

    const policyArb = fc.constantFrom(...HOLIDAY_POLICIES);

    /** Checks one placement against the documented policy, given which dates are holidays. */
    function expectPolicy(
      occurrence: string,
      policy: (typeof HOLIDAY_POLICIES)[number],
      holiday: (date: string) => string | null,
      placed: ReturnType<typeof applyHolidayPolicy>,
    ) {
      const name = holiday(occurrence);
      if (name === null) {
        expect(placed).toEqual({ date: occurrence, originalDate: null, status: 'scheduled', statusReason: null });
        return;
      }
      const shift = { cancel: 0, previous_week: -7, next_week: 7 }[policy];
      const target = dateOf(dayNumber(occurrence) + shift);
      if (policy === 'cancel' || holiday(target) !== null) {
        // The documented fallback: cancelled on its own date, with the holiday as the reason.
        expect(placed).toEqual({ date: occurrence, originalDate: null, status: 'cancelled', statusReason: name });
        return;
      }
      expect(placed).toEqual({ date: target, originalDate: occurrence, status: 'scheduled', statusReason: `Déplacée : ${name}` });
      // Exactly 7 days, the same weekday.
      expect(Math.abs(dayNumber(placed.date) - dayNumber(occurrence))).toBe(7);
      expect(utcDay(dayNumber(placed.date)).weekday).toBe(utcDay(dayNumber(occurrence)).weekday);
    }

    it('never schedules an occurrence on a French public holiday; moves by exactly 7 days or cancels', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.integer({ min: Date.UTC(2000, 0, 1) / DAY, max: Date.UTC(2060, 11, 31) / DAY }).map(dateOf),
            // Holidays themselves, and their neighbours, half of the time.
            fc.tuple(fc.integer({ min: 2000, max: 2060 }), fc.nat(10), fc.constantFrom(0, 0, 0, -7, 7, -1, 1)).map(([year, i, shift]) => {
              const holidays = [...frenchHolidays(year)].sort();
              return dateOf(dayNumber(holidays[i % holidays.length]) + shift);
            }),
          ),
          policyArb,
          (occurrence, policy) => {
            const placed = applyHolidayPolicy(occurrence, policy);
            if (placed.status === 'scheduled')
              expect({ date: placed.date, holiday: frenchPublicHoliday(placed.date) }).toEqual({ date: placed.date, holiday: null });
            expectPolicy(occurrence, policy, frenchPublicHoliday, placed);
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('follows the policy with any holiday calendar, cancelling when the week before or after is a holiday too', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(2000, 0, 1) / DAY, max: Date.UTC(2060, 11, 31) / DAY }),
          // Holidays placed on the occurrence's own weekday nearby, so that moves collide often.
          fc.uniqueArray(fc.integer({ min: -3, max: 3 }), { maxLength: 5 }),
          fc.uniqueArray(fc.integer({ min: -10, max: 10 }), { maxLength: 3 }),
          policyArb,
          (day, weeks, days, policy) => {
            const occurrence = dateOf(day);
            const names = new Map<string, string>();
            for (const w of weeks) names.set(dateOf(day + 7 * w), `Fermeture ${w}`);
            for (const d of days) if (!names.has(dateOf(day + d))) names.set(dateOf(day + d), `Pont ${d}`);
            const holiday = (date: string) => names.get(date) ?? null;
            const placed = applyHolidayPolicy(occurrence, policy, holiday);
            if (placed.status === 'scheduled') expect(holiday(placed.date)).toBeNull();
            expectPolicy(occurrence, policy, holiday, placed);
          },
        ),
        { numRuns: 1000 },
      );
    });
  });
});
