'use strict';
// Scenario "workshop-rush": registration opens and everybody registers for the same workshop at
// once — 1,000 registrations (POST /api/bookings with workshopId) on ONE 20-seat workshop with a
// waitlist, at 64 concurrent clients. Every registration takes the workshop's row lock (the SQL
// function take_workshop_seat), so they all queue on that one row: this measures the hot-row path,
// and checks in SQL that nobody got a seat or a place in line twice or out of order.
const { withClient } = require('../lib/service');
const { request, runLoad } = require('../lib/load');
const { login } = require('../lib/api');
const cpu = require('../lib/cpu');
const { ms, describeErrors } = require('../lib/report');
const http = require('node:http');

const ORGANISATION = { name: 'Association Exemple', siret: '73282932000074', legalForm: 'association', postcode: '42000' };

/** A future workshop with `capacity` seats and a waitlist, created through the API; returns its id. */
async function createWorkshop(baseUrl, headers, title, capacity, daysAhead) {
  const startsAt = new Date(Date.now() + daysAhead * 864e5);
  const endsAt = new Date(startsAt.getTime() + 3.5 * 3600e3);
  const agent = new http.Agent({ keepAlive: false });
  const res = await request(agent, `${baseUrl}/api/workshops`, {
    method: 'POST',
    headers,
    body: {
      title,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      location: 'Maison de l’ESS, Saint-Étienne',
      capacity,
      waitlistEnabled: true,
    },
  });
  agent.destroy();
  if (res.status !== 201) throw new Error(`creating workshop "${title}" failed: ${res.status} ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body).id;
}

function registration(workshopId, prefix, n) {
  return {
    workshopId,
    attendee: { name: `Personne ${n}`, email: `${prefix}${n}@asso-exemple.fr` },
    organisation: ORGANISATION,
    consent: true,
  };
}

/** Runs the load, keeping what each 201 answered (id, status, waitlistPosition) by request index. */
async function rush({ baseUrl, workshopId, prefix, total, concurrency }) {
  const answers = new Array(total);
  const result = await runLoad({
    concurrency,
    total,
    make: (i) => ({ url: `${baseUrl}/api/bookings`, method: 'POST', body: registration(workshopId, prefix, i + 1), expect: 201 }),
    onResponse: (i, res) => {
      if (res.status !== 201) return;
      try {
        const body = JSON.parse(res.body);
        answers[i] = { id: body.id, status: body.status, waitlistPosition: body.waitlistPosition };
      } catch {
        answers[i] = { status: 'unparsable' };
      }
    },
  });
  return { ...result, answers };
}

/** The invariants of a finished rush, in SQL and against what the API answered. */
async function checkInvariants(url, workshopId, { seats, registrations, answers }) {
  const expectConfirmed = Math.min(seats, registrations);
  const expectWaitlisted = registrations - expectConfirmed;
  const problems = [];

  const db = await withClient(url, async (c) => {
    const counts = (
      await c.query(
        `SELECT w.confirmed, w.waitlisted, w.capacity,
                (SELECT count(*) FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'confirmed')::int AS booked_confirmed,
                (SELECT count(*) FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'waitlisted')::int AS booked_waitlisted,
                (SELECT count(*) FROM bookings b WHERE b.workshop_id = w.id)::int AS booked_all,
                (SELECT count(DISTINCT lower(b.attendee_email)) FROM bookings b WHERE b.workshop_id = w.id)::int AS emails,
                (SELECT count(*) FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'waitlisted' AND b.waitlist_seq IS NULL)::int AS waitlisted_without_seq,
                (SELECT count(*) FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'confirmed' AND b.waitlist_seq IS NOT NULL)::int AS confirmed_with_seq,
                (SELECT count(DISTINCT b.waitlist_seq) FROM bookings b WHERE b.workshop_id = w.id AND b.status = 'waitlisted')::int AS distinct_seq,
                (SELECT count(*) FROM outbox_messages m JOIN bookings b ON b.id = m.booking_id
                  WHERE b.workshop_id = w.id AND m.kind = 'workshop_confirmed' AND b.status = 'confirmed')::int AS confirmed_messages,
                (SELECT count(*) FROM outbox_messages m JOIN bookings b ON b.id = m.booking_id
                  WHERE b.workshop_id = w.id AND m.kind = 'workshop_waitlisted' AND b.status = 'waitlisted')::int AS waitlisted_messages,
                (SELECT count(*) FROM outbox_messages m JOIN bookings b ON b.id = m.booking_id WHERE b.workshop_id = w.id)::int AS messages
         FROM workshops w WHERE w.id = $1`,
        [workshopId],
      )
    ).rows[0];
    // The line in SQL order: position = row_number() over the waitlist sequence.
    const line = (
      await c.query(
        `SELECT id::text, row_number() OVER (ORDER BY waitlist_seq)::int AS position
         FROM bookings WHERE workshop_id = $1 AND status = 'waitlisted' ORDER BY waitlist_seq`,
        [workshopId],
      )
    ).rows;
    return { counts, line };
  });
  const { counts, line } = db;

  const expect = (what, got, want) => {
    if (got !== want) problems.push(`${what}: ${got}, expected ${want}`);
  };
  expect('bookings confirmed', counts.booked_confirmed, expectConfirmed);
  expect('bookings waitlisted', counts.booked_waitlisted, expectWaitlisted);
  expect('bookings in all', counts.booked_all, registrations);
  expect('distinct e-mails', counts.emails, registrations);
  expect('workshops.confirmed', counts.confirmed, expectConfirmed);
  expect('workshops.waitlisted', counts.waitlisted, expectWaitlisted);
  expect('waitlisted without waitlist_seq', counts.waitlisted_without_seq, 0);
  expect('confirmed with waitlist_seq', counts.confirmed_with_seq, 0);
  expect('distinct waitlist_seq', counts.distinct_seq, expectWaitlisted);
  expect('workshop_confirmed messages', counts.confirmed_messages, expectConfirmed);
  expect('workshop_waitlisted messages', counts.waitlisted_messages, expectWaitlisted);
  expect('outbox messages in all', counts.messages, registrations);

  // What the API answered: as many confirmed and waitlisted as in the database, and the waitlist
  // positions it gave out are exactly 1..N, each once.
  const given = answers.filter(Boolean);
  expect('API answers confirmed', given.filter((a) => a.status === 'confirmed').length, expectConfirmed);
  expect('API answers waitlisted', given.filter((a) => a.status === 'waitlisted').length, expectWaitlisted);
  const positions = given.filter((a) => a.status === 'waitlisted').map((a) => a.waitlistPosition);
  const seen = new Array(expectWaitlisted + 1).fill(0);
  let outOfRange = 0;
  for (const p of positions) {
    if (Number.isInteger(p) && p >= 1 && p <= expectWaitlisted) seen[p]++;
    else outOfRange++;
  }
  const duplicated = seen.filter((n) => n > 1).length;
  const missing = seen.slice(1).filter((n) => n === 0).length;
  if (outOfRange || duplicated || missing) {
    problems.push(
      `API waitlist positions not exactly 1..${expectWaitlisted}: ${missing} missing, ${duplicated} given more than once, ${outOfRange} out of range`,
    );
  }

  // And each person's position in the API answer is their place in the line in SQL (row_number
  // over waitlist_seq: 1..N, no gaps, no duplicate waitlist_seq checked above).
  const rowNumbersOk = line.length === expectWaitlisted && line.every((r, k) => r.position === k + 1);
  if (!rowNumbersOk) problems.push(`row_number() over waitlist_seq is not 1..${expectWaitlisted}`);
  const sqlPosition = new Map(line.map((r) => [r.id, r.position]));
  const disagree = given.filter((a) => a.status === 'waitlisted' && sqlPosition.get(a.id) !== a.waitlistPosition);
  if (disagree.length) {
    const d = disagree[0];
    problems.push(
      `${disagree.length} waitlisted answers disagree with the SQL order (first: ${d.id} answered ${d.waitlistPosition}, SQL ${sqlPosition.get(d.id)})`,
    );
  }

  return { ok: problems.length === 0, problems, expectConfirmed, expectWaitlisted };
}

async function run(ctx) {
  const { options, db, service, admin, log } = ctx;
  const { registrations, seats, warmup, concurrency } = options.rush;
  const baseUrl = service.baseUrl;

  const headers = await login(baseUrl, admin);
  const warmupId = await createWorkshop(baseUrl, headers, 'Banc d’essai — échauffement', seats, 30);
  const rushId = await createWorkshop(baseUrl, headers, 'Banc d’essai — ruée', seats, 31);

  log(`warm-up: ${warmup} registrations on another ${seats}-seat workshop, ${concurrency} concurrent clients…`);
  const warm = await rush({ baseUrl, workshopId: warmupId, prefix: 'warm', total: warmup, concurrency });
  if (warm.errors.length) throw new Error(`warm-up failed: ${describeErrors(warm.errors)}`);

  await withClient(db.url, async (c) => {
    await c.query('ANALYZE');
    await c.query('CHECKPOINT');
  });
  log(`rush: ${registrations} registrations on one ${seats}-seat workshop, ${concurrency} concurrent clients…`);
  const before = cpu.snapshot(service.child.pid);
  const measured = await rush({ baseUrl, workshopId: rushId, prefix: 'rush', total: registrations, concurrency });
  const usage = cpu.usage([before, cpu.snapshot(service.child.pid)]);

  const errors = measured.errors;
  const invariants = await checkInvariants(db.url, rushId, { seats, registrations: registrations - errors.length, answers: measured.answers });
  const { latency } = measured;
  // Every registration holds the same row lock from its take_workshop_seat to its commit, so they
  // run one after another: the elapsed time per registration is (at most) that serial section.
  const serialMs = measured.elapsedMs / registrations;

  return {
    name: 'workshop-rush',
    lines: [
      [
        'Registrations',
        `${registrations} on one ${seats}-seat workshop with a waitlist (+${warmup} warm-up on another), ${concurrency} concurrent clients, keep-alive`,
      ],
      [
        'Throughput',
        `${measured.rate.toFixed(0)} registrations/s (${(measured.elapsedMs / 1000).toFixed(2)} s; ${serialMs.toFixed(2)} ms per registration, all serialised on the workshop row)`,
      ],
      ['Latency', `p50 ${ms(latency.p50)}, p90 ${ms(latency.p90)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)} (mean ${ms(latency.mean)})`],
      ['CPU use', cpu.describe(usage, ['service', 'loadGenerator', 'postgres', 'rest', 'idle'])],
      ['Errors (non-201)', `${errors.length}${errors.length ? ` — ${describeErrors(errors)}` : ''}`],
      [
        'Invariants',
        invariants.ok
          ? `ok (${invariants.expectConfirmed} confirmed, ${invariants.expectWaitlisted} waitlisted; counters equal; waitlist positions 1..${invariants.expectWaitlisted} in the API and in SQL, same order)`
          : `FAILED: ${invariants.problems.join('; ')}`,
      ],
    ],
    targets: [
      { name: 'no errors', value: String(errors.length), target: '0', pass: errors.length === 0 },
      { name: 'invariants', value: invariants.ok ? 'ok' : `${invariants.problems.length} broken`, target: 'ok', pass: invariants.ok },
      { name: 'p99 latency', value: ms(latency.p99), target: '< 100 ms', pass: latency.p99 < 100 },
    ],
    markdown: {
      header: ['scenario', 'registrations/s', 'p50', 'p99', 'max', 'errors', 'invariants'],
      row: [
        `workshop-rush (${registrations} on ${seats} seats, ${concurrency} clients)`,
        measured.rate.toFixed(0),
        ms(latency.p50),
        ms(latency.p99),
        ms(latency.max),
        String(errors.length),
        invariants.ok ? 'ok' : 'FAILED',
      ],
    },
  };
}

module.exports = {
  name: 'workshop-rush',
  description: 'POST /api/bookings: 1,000 registrations on one 20-seat workshop with a waitlist, 64 clients; checks seats and the line in SQL',
  run,
};
