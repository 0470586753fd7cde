import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { adminToken, bookingRequest, createWorkshop, registrationRequest } from './support/factories';
import { client, Client, HttpResponse } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/*
 * Model-based test of the booking engine over the real HTTP API and database. Each run gets fresh
 * permanence sessions and workshops (so no reset is needed), runs a sequence of commands against the
 * API and a plain model side by side, and after every command compares the answers with the model's
 * and checks every invariant in PostgreSQL and through the API. Some commands send several requests
 * at once: their answers must then be those of some order of the requests (linearisability).
 */

type Who = { reuse: number | null; upper: boolean };

/** A command as generated: indices are resolved against the model when it runs. */
type Op =
  | { kind: 'book'; slot: number; who: Who }
  | { kind: 'register'; workshop: number; who: Who }
  | { kind: 'cancel'; booking: number }
  | { kind: 'reschedule'; booking: number; slot: number }
  | { kind: 'capacity'; workshop: number; capacity: number }
  | { kind: 'cancelWorkshop'; workshop: number }
  | { kind: 'cancelSession'; session: number };

/** A command resolved to real ids and e-mails. */
type Concrete =
  | { kind: 'book'; slotId: string; email: string }
  | { kind: 'register'; workshopId: string; email: string }
  | { kind: 'cancel'; bookingId: string }
  | { kind: 'reschedule'; bookingId: string; slotId: string }
  | { kind: 'capacity'; workshopId: string; capacity: number }
  | { kind: 'cancelWorkshop'; workshopId: string }
  | { kind: 'cancelSession'; sessionId: string };

/** What an answer says, reduced to what the model predicts. */
interface Outcome {
  status: number;
  code?: string;
  bookingStatus?: string;
  position?: number;
  slotId?: string;
  capacity?: number;
  available?: number;
  waitlisted?: number;
  targetStatus?: string;
}

interface SlotModel {
  id: string;
  sessionId: string;
  capacity: number;
}

interface WorkshopModel {
  id: string;
  capacity: number;
  cancelled: boolean;
  /** Booking ids in line, first to be promoted first. */
  waitlist: string[];
}

interface BookingModel {
  id: string;
  token: string;
  email: string;
  slotId: string | null;
  workshopId: string | null;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

class Model {
  constructor(
    readonly prefix: string,
    readonly sessions: Array<{ id: string; cancelled: boolean }>,
    readonly slots: SlotModel[],
    readonly workshops: WorkshopModel[],
    readonly bookings: BookingModel[] = [],
    public emailCount = 0,
  ) {}

  clone(): Model {
    return new Model(
      this.prefix,
      this.sessions.map((s) => ({ ...s })),
      this.slots.map((s) => ({ ...s })),
      this.workshops.map((w) => ({ ...w, waitlist: [...w.waitlist] })),
      this.bookings.map((b) => ({ ...b })),
      this.emailCount,
    );
  }

  /** Takes over the state of another model (a linearisation of a rush). */
  adopt(other: Model): void {
    this.sessions.splice(0, Infinity, ...other.sessions);
    this.slots.splice(0, Infinity, ...other.slots);
    this.workshops.splice(0, Infinity, ...other.workshops);
    this.bookings.splice(0, Infinity, ...other.bookings);
    this.emailCount = other.emailCount;
  }

  booking(id: string): BookingModel {
    return this.bookings.find((b) => b.id === id)!;
  }

  workshop(id: string): WorkshopModel {
    return this.workshops.find((w) => w.id === id)!;
  }

  slot(id: string): SlotModel {
    return this.slots.find((s) => s.id === id)!;
  }

  sessionCancelled(slotId: string): boolean {
    return this.sessions.find((s) => s.id === this.slot(slotId).sessionId)!.cancelled;
  }

  confirmedOnSlot(slotId: string): BookingModel[] {
    return this.bookings.filter((b) => b.slotId === slotId && b.status === 'confirmed');
  }

  confirmedInWorkshop(workshopId: string): BookingModel[] {
    return this.bookings.filter((b) => b.workshopId === workshopId && b.status === 'confirmed');
  }

  position(booking: BookingModel): number | undefined {
    return booking.status === 'waitlisted' ? this.workshop(booking.workshopId!).waitlist.indexOf(booking.id) + 1 : undefined;
  }

  private email(who: Who): string {
    const known = this.bookings.map((b) => b.email);
    const email = who.reuse !== null && known.length > 0 ? known[who.reuse % known.length] : `${this.prefix}.${++this.emailCount}@prop.test`;
    return who.upper ? email.toUpperCase() : email;
  }

  /** Real ids for a generated command; null when it has nothing to act on. */
  resolve(op: Op): Concrete | null {
    const pick = <T>(preferred: T[], all: T[], index: number): T | null => {
      const from = preferred.length > 0 ? preferred : all;
      return from.length > 0 ? from[index % from.length] : null;
    };
    switch (op.kind) {
      case 'book':
        return { kind: 'book', slotId: this.slots[op.slot % this.slots.length].id, email: this.email(op.who) };
      case 'register':
        return { kind: 'register', workshopId: this.workshops[op.workshop % this.workshops.length].id, email: this.email(op.who) };
      case 'cancel': {
        const booking = pick(
          this.bookings.filter((b) => b.status !== 'cancelled'),
          this.bookings,
          op.booking,
        );
        return booking && { kind: 'cancel', bookingId: booking.id };
      }
      case 'reschedule': {
        const onSlots = this.bookings.filter((b) => b.slotId !== null);
        const confirmed = onSlots.filter((b) => b.status === 'confirmed');
        // Mostly a confirmed slot booking; else any booking, to see the refusals.
        const booking = op.booking % 5 === 0 ? pick(this.bookings, [], op.booking) : pick(confirmed, onSlots, op.booking);
        return booking && { kind: 'reschedule', bookingId: booking.id, slotId: this.slots[op.slot % this.slots.length].id };
      }
      case 'capacity':
        return { kind: 'capacity', workshopId: this.workshops[op.workshop % this.workshops.length].id, capacity: op.capacity };
      case 'cancelWorkshop':
        return { kind: 'cancelWorkshop', workshopId: this.workshops[op.workshop % this.workshops.length].id };
      case 'cancelSession':
        return { kind: 'cancelSession', sessionId: this.sessions[op.session % this.sessions.length].id };
    }
  }

  /** The first people in line take the free seats. */
  private promote(workshop: WorkshopModel): void {
    while (workshop.waitlist.length > 0 && this.confirmedInWorkshop(workshop.id).length < workshop.capacity) {
      this.booking(workshop.waitlist.shift()!).status = 'confirmed';
    }
  }

  private workshopView(workshop: WorkshopModel): Pick<Outcome, 'capacity' | 'available' | 'waitlisted'> {
    return {
      capacity: workshop.capacity,
      available: workshop.cancelled ? 0 : workshop.capacity - this.confirmedInWorkshop(workshop.id).length,
      waitlisted: workshop.waitlist.length,
    };
  }

  /**
   * Applies a command as the booking engine should, and returns the answer it should give. A new
   * booking takes the id and token of the actual answer (the model cannot guess them).
   */
  apply(c: Concrete, actual: { id?: string; token?: string }): Outcome {
    const fail = (status: number, code: string): Outcome => ({ status, code });
    switch (c.kind) {
      case 'book': {
        const slot = this.slot(c.slotId);
        if (this.sessionCancelled(slot.id)) return fail(422, 'session_cancelled');
        if (this.bookings.some((b) => b.slotId === slot.id && b.status !== 'cancelled' && same(b.email, c.email))) return fail(409, 'already_booked');
        if (this.confirmedOnSlot(slot.id).length >= slot.capacity) return fail(409, 'slot_full');
        this.bookings.push({ id: actual.id ?? '?', token: actual.token ?? '?', email: c.email, slotId: slot.id, workshopId: null, status: 'confirmed' });
        return { status: 201, bookingStatus: 'confirmed', slotId: slot.id };
      }
      case 'register': {
        const workshop = this.workshop(c.workshopId);
        if (workshop.cancelled) return fail(422, 'workshop_cancelled');
        if (this.bookings.some((b) => b.workshopId === workshop.id && b.status !== 'cancelled' && same(b.email, c.email))) return fail(409, 'already_booked');
        const booking: BookingModel = {
          id: actual.id ?? '?',
          token: actual.token ?? '?',
          email: c.email,
          slotId: null,
          workshopId: workshop.id,
          status: 'confirmed',
        };
        if (this.confirmedInWorkshop(workshop.id).length >= workshop.capacity) {
          booking.status = 'waitlisted';
          workshop.waitlist.push(booking.id);
        }
        this.bookings.push(booking);
        return { status: 201, bookingStatus: booking.status, position: this.position(booking) };
      }
      case 'cancel': {
        const booking = this.booking(c.bookingId);
        const before = booking.status;
        booking.status = 'cancelled';
        if (booking.workshopId !== null) {
          const workshop = this.workshop(booking.workshopId);
          if (before === 'waitlisted') workshop.waitlist.splice(workshop.waitlist.indexOf(booking.id), 1);
          if (before === 'confirmed') this.promote(workshop);
        }
        return { status: 200, bookingStatus: 'cancelled' };
      }
      case 'reschedule': {
        const booking = this.booking(c.bookingId);
        if (booking.workshopId !== null) return fail(422, 'not_reschedulable');
        if (booking.slotId === c.slotId) return fail(422, 'same_slot');
        if (booking.status !== 'confirmed') return fail(422, 'booking_cancelled');
        if (this.sessionCancelled(c.slotId)) return fail(422, 'session_cancelled');
        if (this.bookings.some((b) => b.slotId === c.slotId && b.status !== 'cancelled' && same(b.email, booking.email))) return fail(409, 'already_booked');
        if (this.confirmedOnSlot(c.slotId).length >= this.slot(c.slotId).capacity) return fail(409, 'slot_full');
        booking.slotId = c.slotId;
        return { status: 200, bookingStatus: 'confirmed', slotId: c.slotId };
      }
      case 'capacity': {
        const workshop = this.workshop(c.workshopId);
        if (workshop.cancelled) return fail(422, 'workshop_cancelled');
        // Lowering below the confirmed is refused: nobody loses a seat.
        if (c.capacity < this.confirmedInWorkshop(workshop.id).length) return fail(422, 'capacity_below_confirmed');
        workshop.capacity = c.capacity;
        this.promote(workshop);
        return { status: 200, ...this.workshopView(workshop) };
      }
      case 'cancelWorkshop': {
        const workshop = this.workshop(c.workshopId);
        workshop.cancelled = true;
        workshop.waitlist = [];
        for (const b of this.bookings) if (b.workshopId === workshop.id) b.status = 'cancelled';
        return { status: 200, targetStatus: 'cancelled', ...this.workshopView(workshop) };
      }
      case 'cancelSession': {
        const session = this.sessions.find((s) => s.id === c.sessionId)!;
        session.cancelled = true;
        for (const b of this.bookings) if (b.slotId !== null && this.slot(b.slotId).sessionId === session.id) b.status = 'cancelled';
        return { status: 200, targetStatus: 'cancelled' };
      }
    }
  }
}

interface Real {
  api: Client;
  admin: string;
  app: TestApp;
}

/** Sends a resolved command to the API. */
function send(real: Real, model: Model, c: Concrete): Promise<HttpResponse> {
  const { api, admin } = real;
  const attendee = (email: string) => ({ attendee: { name: 'Prop Test', email } });
  switch (c.kind) {
    case 'book':
      return api.post('/api/bookings', bookingRequest(c.slotId, attendee(c.email)));
    case 'register':
      return api.post('/api/bookings', registrationRequest(c.workshopId, attendee(c.email)));
    case 'cancel':
      return api.post(`/api/bookings/${c.bookingId}/cancel`, {}, model.booking(c.bookingId).token);
    case 'reschedule':
      return api.post(`/api/bookings/${c.bookingId}/reschedule`, { slotId: c.slotId }, model.booking(c.bookingId).token);
    case 'capacity':
      return api.patch(`/api/workshops/${c.workshopId}`, { capacity: c.capacity }, admin);
    case 'cancelWorkshop':
      return api.post(`/api/workshops/${c.workshopId}/cancel`, { reason: 'Annulé par le test' }, admin);
    case 'cancelSession':
      return api.post(`/api/permanences/${c.sessionId}/cancel`, { reason: 'Annulée par le test' }, admin);
  }
}

/** The answer reduced to the fields the model predicts for that command. */
function observe(c: Concrete, response: HttpResponse): Outcome {
  const { status, body } = response;
  if (status >= 400) return { status, code: body?.code };
  switch (c.kind) {
    case 'book':
      return { status, bookingStatus: body.status, slotId: body.slotId };
    case 'register':
      return { status, bookingStatus: body.status, position: body.waitlistPosition };
    case 'cancel':
      return { status, bookingStatus: body.status };
    case 'reschedule':
      return { status, bookingStatus: body.status, slotId: body.slotId };
    case 'capacity':
      return { status, capacity: body.capacity, available: body.available, waitlisted: body.waitlisted };
    case 'cancelWorkshop':
      return { status, targetStatus: body.status, capacity: body.capacity, available: body.available, waitlisted: body.waitlisted };
    case 'cancelSession':
      return { status, targetStatus: body.status };
  }
}

function describeCommand(c: Concrete, model: Model): string {
  const short = (id: string) => id.slice(0, 8);
  const slot = (id: string) => `slot ${model.slots.findIndex((s) => s.id === id)}`;
  const workshop = (id: string) => `workshop ${model.workshops.findIndex((w) => w.id === id)}`;
  switch (c.kind) {
    case 'book':
      return `book ${slot(c.slotId)} as ${c.email}`;
    case 'register':
      return `register for ${workshop(c.workshopId)} as ${c.email}`;
    case 'cancel':
      return `cancel booking ${short(c.bookingId)}`;
    case 'reschedule':
      return `reschedule booking ${short(c.bookingId)} to ${slot(c.slotId)}`;
    case 'capacity':
      return `set the capacity of ${workshop(c.workshopId)} to ${c.capacity}`;
    case 'cancelWorkshop':
      return `cancel ${workshop(c.workshopId)}`;
    case 'cancelSession':
      return `cancel session ${model.sessions.findIndex((s) => s.id === c.sessionId)}`;
  }
}

function outcomeText(o: Outcome): string {
  return JSON.stringify(o);
}

const sameOutcome = (a: Outcome, b: Outcome) => outcomeText(sortKeys(a)) === outcomeText(sortKeys(b));

/**
 * The part of an answer that must match when other requests run at the same time. The answers to a
 * capacity change and to a reschedule are read after their transaction commits, so they may already
 * show what a concurrent request did next (another capacity, a cancellation): only their status and
 * error code are compared then; their effect is still checked, in the database.
 */
function underConcurrency(c: Concrete, o: Outcome): Outcome {
  return c.kind === 'capacity' || c.kind === 'reschedule' ? (o.code === undefined ? { status: o.status } : { status: o.status, code: o.code }) : o;
}
function sortKeys(o: Outcome): Outcome {
  return Object.fromEntries(Object.entries(o).sort(([x], [y]) => x.localeCompare(y))) as Outcome;
}

/**
 * Every invariant, in the database: a slot's `booked` is its confirmed bookings, within capacity, and
 * none on a cancelled session; a workshop's counters are its confirmed and waitlisted bookings,
 * confirmed within capacity, nobody waits while a seat is free; each booking is where and as the model
 * says, the waitlist in the model's order. Returns the differences (empty when all holds).
 */
async function databaseProblems(app: TestApp, model: Model): Promise<string[]> {
  const problems: string[] = [];
  const slots: Array<{ id: string; capacity: number; booked: number; bookable: boolean; rows: number }> = await app.dataSource.query(
    `SELECT sl.id, sl.capacity, sl.booked, sl.bookable,
            (SELECT count(*)::int FROM bookings b WHERE b.slot_id = sl.id AND b.status = 'confirmed') AS rows
     FROM slots sl WHERE sl.id = ANY($1::uuid[])`,
    [model.slots.map((s) => s.id)],
  );
  for (const [index, expected] of model.slots.entries()) {
    const row = slots.find((s) => s.id === expected.id)!;
    const confirmed = model.confirmedOnSlot(expected.id).length;
    const label = `slot ${index}`;
    if (row.booked !== row.rows) problems.push(`${label}: booked = ${row.booked} but ${row.rows} confirmed bookings`);
    if (row.booked > row.capacity) problems.push(`${label}: booked ${row.booked} > capacity ${row.capacity}`);
    if (row.booked !== confirmed) problems.push(`${label}: booked = ${row.booked}, the model has ${confirmed}`);
    if (row.capacity !== expected.capacity) problems.push(`${label}: capacity ${row.capacity}, expected ${expected.capacity}`);
    if (model.sessionCancelled(expected.id) && (row.bookable || row.booked !== 0))
      problems.push(`${label}: its session is cancelled but bookable=${row.bookable}, booked=${row.booked}`);
  }
  const workshops: Array<{
    id: string;
    capacity: number;
    confirmed: number;
    waitlisted: number;
    status: string;
    confirmedRows: number;
    waitlistedRows: number;
  }> = await app.dataSource.query(
    `SELECT w.id, w.capacity, w.confirmed, w.waitlisted, w.status,
              (SELECT count(*)::int FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'confirmed') AS "confirmedRows",
              (SELECT count(*)::int FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'waitlisted') AS "waitlistedRows"
       FROM workshops w WHERE w.id = ANY($1::uuid[])`,
    [model.workshops.map((w) => w.id)],
  );
  for (const [index, expected] of model.workshops.entries()) {
    const row = workshops.find((w) => w.id === expected.id)!;
    const label = `workshop ${index}`;
    if (row.confirmed !== row.confirmedRows) problems.push(`${label}: confirmed = ${row.confirmed} but ${row.confirmedRows} confirmed bookings`);
    if (row.waitlisted !== row.waitlistedRows) problems.push(`${label}: waitlisted = ${row.waitlisted} but ${row.waitlistedRows} waitlisted bookings`);
    if (row.confirmed > row.capacity) problems.push(`${label}: confirmed ${row.confirmed} > capacity ${row.capacity}`);
    if (row.waitlistedRows > 0 && row.confirmedRows < row.capacity)
      problems.push(`${label}: ${row.waitlistedRows} waiting with ${row.capacity - row.confirmedRows} seat(s) free`);
    const modelled = {
      capacity: expected.capacity,
      confirmed: model.confirmedInWorkshop(expected.id).length,
      waitlisted: expected.waitlist.length,
      status: expected.cancelled ? 'cancelled' : 'scheduled',
    };
    const actual = { capacity: row.capacity, confirmed: row.confirmed, waitlisted: row.waitlisted, status: row.status };
    if (JSON.stringify(actual) !== JSON.stringify(modelled)) problems.push(`${label}: ${JSON.stringify(actual)}, the model has ${JSON.stringify(modelled)}`);
  }
  const bookings: Array<{ id: string; status: string; slotId: string | null; workshopId: string | null }> = await app.dataSource.query(
    `SELECT id, status, slot_id AS "slotId", workshop_id AS "workshopId" FROM bookings
     WHERE slot_id = ANY($1::uuid[]) OR workshop_id = ANY($2::uuid[]) ORDER BY waitlist_seq NULLS LAST, id`,
    [model.slots.map((s) => s.id), model.workshops.map((w) => w.id)],
  );
  const rows = new Map(bookings.map((b) => [b.id, b]));
  for (const b of model.bookings) {
    const row = rows.get(b.id);
    const expected = `${b.status} on ${b.slotId ?? b.workshopId}`;
    const actual = row ? `${row.status} on ${row.slotId ?? row.workshopId}` : 'missing';
    if (actual !== expected) problems.push(`booking ${b.id.slice(0, 8)} (${b.email}): ${actual}, the model has ${expected}`);
  }
  for (const row of bookings) if (!model.bookings.some((b) => b.id === row.id)) problems.push(`booking ${row.id} (${row.status}) is not in the model`);
  for (const [index, w] of model.workshops.entries()) {
    const line = bookings.filter((b) => b.workshopId === w.id && b.status === 'waitlisted').map((b) => b.id);
    if (JSON.stringify(line) !== JSON.stringify(w.waitlist))
      problems.push(
        `workshop ${index}: waitlist ${line.map((id) => id.slice(0, 8)).join(',')}, the model has ${w.waitlist.map((id) => id.slice(0, 8)).join(',')}`,
      );
  }
  return problems;
}

/** The same through the API: seats left, waitlist positions 1..n in registration order, and the bookings `touched`. */
async function apiProblems(real: Real, model: Model, touched: Iterable<string>): Promise<string[]> {
  const { api, admin } = real;
  const problems: string[] = [];
  await Promise.all([
    ...model.workshops.map(async (w, index) => {
      const [listed, registrations] = await Promise.all([api.get(`/api/workshops/${w.id}`), api.get(`/api/workshops/${w.id}/registrations`, admin)]);
      const confirmed = model.confirmedInWorkshop(w.id).length;
      const expected = { capacity: w.capacity, available: w.cancelled ? 0 : w.capacity - confirmed, waitlisted: w.waitlist.length };
      const actual = { capacity: listed.body.capacity, available: listed.body.available, waitlisted: listed.body.waitlisted };
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        problems.push(`GET workshop ${index}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      const waiting = (registrations.body as Array<{ id: string; status: string; waitlistPosition: number | null }>).filter((r) => r.status === 'waitlisted');
      const positions = waiting.map((r) => `${r.id.slice(0, 8)}@${r.waitlistPosition}`);
      const wanted = w.waitlist.map((id, i) => `${id.slice(0, 8)}@${i + 1}`);
      if (JSON.stringify(positions) !== JSON.stringify(wanted))
        problems.push(`registrations of workshop ${index}: ${positions.join(',')}, expected ${wanted.join(',')}`);
      const seated = (registrations.body as Array<{ id: string; status: string }>)
        .filter((r) => r.status === 'confirmed')
        .map((r) => r.id)
        .sort();
      const wantedSeated = model
        .confirmedInWorkshop(w.id)
        .map((b) => b.id)
        .sort();
      if (JSON.stringify(seated) !== JSON.stringify(wantedSeated))
        problems.push(`registrations of workshop ${index}: confirmed ${seated.length}, expected ${wantedSeated.length}`);
    }),
    ...model.sessions.map(async (session, index) => {
      const listed = await api.get(`/api/permanences/${session.id}`);
      for (const slot of listed.body.slots as Array<{ id: string; available: number; capacity: number }>) {
        const expected = session.cancelled ? 0 : model.slot(slot.id).capacity - model.confirmedOnSlot(slot.id).length;
        if (slot.available !== expected)
          problems.push(`session ${index}: slot ${model.slots.findIndex((s) => s.id === slot.id)} shows ${slot.available} available, expected ${expected}`);
      }
    }),
    ...[...new Set(touched)].map(async (id) => {
      const booking = model.booking(id);
      const response = await api.get(`/api/bookings/${id}`, booking.token);
      const expected = { status: booking.status, slotId: booking.slotId, position: model.position(booking) ?? null };
      const actual = { status: response.body.status, slotId: response.body.slotId, position: response.body.waitlistPosition ?? null };
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        problems.push(`GET booking ${id.slice(0, 8)}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }),
  ]);
  return problems;
}

/** A snapshot of each booking's state, to find those a command changed. */
function snapshot(model: Model): Map<string, string> {
  return new Map(model.bookings.map((b) => [b.id, `${b.status} ${b.slotId} ${model.position(b)}`]));
}

function changed(before: Map<string, string>, model: Model): string[] {
  const after = snapshot(model);
  return [...after].filter(([id, state]) => before.get(id) !== state).map(([id]) => id);
}

async function expectInvariants(real: Real, model: Model, touched: string[], context: string): Promise<void> {
  const problems = [...(await databaseProblems(real.app, model)), ...(await apiProblems(real, model, touched))];
  if (problems.length > 0) throw new Error(`after ${context}:\n  ${problems.join('\n  ')}`);
}

function newBookingOf(c: Concrete, response: HttpResponse): { id?: string; token?: string } {
  return (c.kind === 'book' || c.kind === 'register') && response.status === 201 ? { id: response.body.id, token: response.body.manageToken } : {};
}

/** One command, alone: the answer must be the model's, then every invariant must hold. */
class Step implements fc.AsyncCommand<Model, Real> {
  constructor(readonly op: Op) {}

  check(): boolean {
    return true;
  }

  async run(model: Model, real: Real): Promise<void> {
    const c = model.resolve(this.op);
    if (c === null) return;
    const context = describeCommand(c, model);
    const response = await send(real, model, c);
    const actual = observe(c, response);
    const before = snapshot(model);
    const expected = model.apply(c, newBookingOf(c, response));
    if (!sameOutcome(actual, expected))
      throw new Error(`${context}: answered ${outcomeText(actual)}, the model says ${outcomeText(expected)} (${response.text.slice(0, 300)})`);
    const touched = changed(before, model);
    if (c.kind === 'cancel' || c.kind === 'reschedule') touched.push(c.bookingId);
    await expectInvariants(real, model, touched, context);
  }

  toString(): string {
    return JSON.stringify(this.op);
  }
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/**
 * Several commands at once. Their answers must be those of some order of them applied to the model
 * one by one, and the database must then be in that order's state. A cancellation or a reschedule may
 * also lose a race with another request on the same booking and answer 409 `conflict`, with no effect.
 */
class Rush implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ops: Op[]) {}

  check(): boolean {
    return true;
  }

  async run(model: Model, real: Real): Promise<void> {
    const commands = this.ops.map((op) => model.resolve(op)).filter((c): c is Concrete => c !== null);
    const context = `at once: ${commands.map((c) => describeCommand(c, model)).join('; ')}`;
    const responses = await Promise.all(commands.map((c) => send(real, model, c)));
    const actual = commands.map((c, i) => underConcurrency(c, observe(c, responses[i])));
    const tried: string[] = [];
    for (const order of permutations(commands.map((_, i) => i))) {
      const candidate = model.clone();
      const before = snapshot(candidate);
      const fits = order.every((i) => {
        // Cancelling or moving a booking that another request of the rush just moved: 409, no effect.
        if (actual[i].code === 'conflict' && (commands[i].kind === 'cancel' || commands[i].kind === 'reschedule')) return actual[i].status === 409;
        return sameOutcome(actual[i], underConcurrency(commands[i], candidate.apply(commands[i], newBookingOf(commands[i], responses[i]))));
      });
      if (!fits) continue;
      const problems = await databaseProblems(real.app, candidate);
      if (problems.length > 0) {
        tried.push(`order ${order.join(',')}: ${problems.join('; ')}`);
        continue;
      }
      const touched = changed(before, candidate);
      for (const c of commands) if (c.kind === 'cancel' || c.kind === 'reschedule') touched.push(c.bookingId);
      model.adopt(candidate);
      await expectInvariants(real, model, touched, context);
      return;
    }
    throw new Error(
      `${context}: answers ${actual.map(outcomeText).join(', ')} fit no order of the commands${tried.length ? ` with the database (${tried.join(' | ')})` : ''}`,
    );
  }

  toString(): string {
    return `rush(${this.ops.map((op) => JSON.stringify(op)).join(', ')})`;
  }
}

/** Mostly a new person; sometimes the e-mail of an earlier booking, in capitals or not. */
const who: fc.Arbitrary<Who> = fc.record({
  reuse: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
  upper: fc.boolean(),
});
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('book' as const), slot: fc.nat(3), who }) },
  { weight: 24, arbitrary: fc.record({ kind: fc.constant('register' as const), workshop: fc.nat(1), who }) },
  { weight: 14, arbitrary: fc.record({ kind: fc.constant('cancel' as const), booking: fc.nat() }) },
  { weight: 7, arbitrary: fc.record({ kind: fc.constant('reschedule' as const), booking: fc.nat(), slot: fc.nat(3) }) },
  { weight: 7, arbitrary: fc.record({ kind: fc.constant('capacity' as const), workshop: fc.nat(1), capacity: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelWorkshop' as const), workshop: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelSession' as const), session: fc.nat(1) }) },
);

const commandsArb = fc.commands([opArb.map((op) => new Step(op)), fc.array(opArb, { minLength: 2, maxLength: 4 }).map((ops) => new Rush(ops))], {
  maxCommands: 15,
  size: 'max',
});

describe('the booking engine against a model (property-based)', () => {
  let real: Real;
  let runs = 0;

  beforeAll(async () => {
    const app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    const api = client(app.baseUrl);
    real = { app, api, admin: await adminToken(api) };
  });
  afterAll(() => real.app.close());

  /** Fresh places for one run: two extra sessions of two slots (capacity 1 or 2), two workshops (capacity 1 to 3, waitlist on). */
  async function freshModel(slotCapacities: number[], workshopCapacities: number[]): Promise<Model> {
    const { api, admin, app } = real;
    const run = runs++;
    const date = new Date(Date.UTC(2027, 0, 4 + (run % 300))).toISOString().slice(0, 10);
    const sessions = await Promise.all(
      [0, 1].map(async (i) => {
        const response = await api.post(
          '/api/permanences',
          { date, startTime: i === 0 ? '09:00' : '14:00', endTime: i === 0 ? '10:00' : '15:00', slotMinutes: 30 },
          admin,
        );
        if (response.status !== 201) throw new Error(`session creation failed: ${response.status} ${response.text}`);
        return response.body as { id: string; slots: Array<{ id: string }> };
      }),
    );
    const slots = sessions.flatMap((session) => session.slots.map((slot) => ({ id: slot.id, sessionId: session.id, capacity: 1 })));
    // The API gives every slot the series' capacity (1); some get 2 here so that a slot can hold several.
    await Promise.all(
      slots.map((slot, i) => {
        slot.capacity = slotCapacities[i];
        return app.dataSource.query(`UPDATE slots SET capacity = $2 WHERE id = $1`, [slot.id, slot.capacity]);
      }),
    );
    const workshops = await Promise.all(workshopCapacities.map((capacity) => createWorkshop(api, admin, { capacity, waitlistEnabled: true })));
    return new Model(
      randomBytes(4).toString('hex'),
      sessions.map((s) => ({ id: s.id, cancelled: false })),
      slots,
      workshops.map((w) => ({ id: w.id, capacity: w.capacity, cancelled: false, waitlist: [] })),
    );
  }

  it('keeps seats, waitlists and statuses consistent with the model, also under concurrent requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 2 }),
        commandsArb,
        async (slotCapacities, workshopCapacities, commands) => {
          const model = await freshModel(slotCapacities, workshopCapacities);
          await fc.asyncModelRun(() => Promise.resolve({ model, real }), commands);
          // At the end, every booking of the run as its holder sees it.
          await expectInvariants(
            real,
            model,
            model.bookings.map((b) => b.id),
            'the last command',
          );
        },
      ),
      // Shrinking a failure replays whole runs over HTTP: it is cut short after 70 s, keeping the
      // smallest counterexample found so far. Interrupted runs count as a failure, never as a success.
      { numRuns: 35, interruptAfterTimeLimit: 70_000, markInterruptAsFailure: true },
    );
  }, 90_000);
});
