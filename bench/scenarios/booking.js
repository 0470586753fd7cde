'use strict';
// Scenario "booking": many people booking distinct free permanence slots at once, through the
// service (POST /api/bookings) and, as the baseline, the same transaction run by pgbench.
const { readFileSync } = require('node:fs');
const { withClient } = require('../lib/service');
const { runLoad, summarise } = require('../lib/load');
const { runPgbench } = require('../lib/pgbench');
const cpu = require('../lib/cpu');
const { ms, describeErrors } = require('../lib/report');

const SLOTS_PER_DESK = 240; // one-minute slots, 09:00–13:00: the (desk_id, starts_at) key stays unique
// Seat n's slot id, the same in SQL and in pgbench: an md5 shaped as a version-4 UUID (the API checks the shape).
const SEAT_ID = (n) => `overlay(overlay(md5('rvess-bench-' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;

const ATTENDEE = { name: 'Camille Martin', phone: '04 77 00 00 00' };
const ORGANISATION = { name: 'Association Exemple', siret: '73282932000074', legalForm: 'association', postcode: '42000' };
const TOPICS = ['legal_status', 'essaimage'];
const MESSAGE = 'Nous souhaitons faire évoluer nos statuts vers une SCIC.';

/**
 * A future session (series_id NULL, like one the CRESS adds by hand) with `count` free seats: seat n
 * (1-based) is a slot of capacity 1 whose id is SEAT_ID(n).
 */
async function createSeats(url, count) {
  return withClient(url, async (c) => {
    const {
      rows: [session],
    } = await c.query(`
      INSERT INTO permanence_sessions (date, starts_at, ends_at, time_zone, location, slot_minutes, slot_capacity, status, overridden)
      SELECT d, (d + time '09:00') AT TIME ZONE 'Europe/Paris', (d + time '13:00') AT TIME ZONE 'Europe/Paris',
             'Europe/Paris', 'Banc d’essai', 60, 1, 'scheduled', true
      FROM (SELECT current_date + 45 AS d) x
      RETURNING id, starts_at`);
    const desks = Math.ceil(count / SLOTS_PER_DESK);
    await c.query(`INSERT INTO desks (session_id, position) SELECT $1, p FROM generate_series(1, $2) p`, [session.id, desks]);
    await c.query(
      `INSERT INTO slots (id, session_id, desk_id, starts_at, ends_at, capacity)
       SELECT ${SEAT_ID('n')}, $1, d.id,
              $3::timestamptz + ((n - 1) % $4) * interval '1 minute', $3::timestamptz + ((n - 1) % $4 + 1) * interval '1 minute', 1
       FROM generate_series(1, $2::int) n JOIN desks d ON d.session_id = $1 AND d.position = (n - 1) / $4 + 1`,
      [session.id, count, session.starts_at, SLOTS_PER_DESK],
    );
    const { rows } = await c.query(`SELECT ${SEAT_ID('n')} AS id FROM generate_series(1, $1::int) n ORDER BY n`, [count]);
    await c.query('ANALYZE');
    return { sessionId: session.id, slotIds: rows.map((r) => r.id) };
  });
}

function bookingBody(slotId, n) {
  return {
    slotId,
    attendee: { ...ATTENDEE, email: `bench${n}@asso-exemple.fr` },
    organisation: ORGANISATION,
    topics: TOPICS,
    message: MESSAGE,
    consent: true,
  };
}

/**
 * The service's booking, as BookingsRepository.book runs it (keep the two in step): one statement
 * that takes the seat (the UPDATE locks the slot row), inserts the booking and records its outbox
 * message. Seat n = base + client_id * per + i, where i counts this client's transactions (pgbench
 * keeps -D variables per client).
 */
function pgbenchScript() {
  const email = `'pg' || :n::text || '@asso-exemple.fr'`;
  const q = (s) => `'${s.replace(/'/g, "''")}'`;
  return `\\set i :i + 1
\\set n :base + :client_id * :per + :i
WITH seat AS (
  UPDATE slots sl SET booked = sl.booked + 1
  FROM desks d JOIN permanence_sessions s ON s.id = d.session_id LEFT JOIN users u ON u.id = d.advisor_id
  WHERE sl.id = ${SEAT_ID(':n::text')} AND d.id = sl.desk_id AND sl.bookable AND sl.booked < sl.capacity AND sl.starts_at > now()
  RETURNING sl.id, sl.session_id, sl.capacity, sl.booked, sl.starts_at, sl.ends_at,
            u.id AS advisor_id, u.name AS advisor_name, CASE WHEN u.active THEN u.email END AS advisor_email, s.time_zone, s.location
), booking AS (
  INSERT INTO bookings (id, slot_id, status, attendee_name, attendee_email, attendee_phone, organisation_name, organisation_siret,
                        organisation_legal_form, organisation_postcode, topics, message, consent_at, manage_token_hash, ical_uid)
  SELECT gen_random_uuid(), seat.id, 'confirmed', ${q(ATTENDEE.name)}, ${email}, ${q(ATTENDEE.phone)}, ${q(ORGANISATION.name)},
         ${q(ORGANISATION.siret)}, ${q(ORGANISATION.legalForm)}, ${q(ORGANISATION.postcode)}, '{${TOPICS.join(',')}}', ${q(MESSAGE)}, now(),
         sha256(convert_to(seat.id::text, 'UTF8')), seat.id::text || '@bench'
  FROM seat
  RETURNING id, created_at
), messages AS (
  INSERT INTO outbox_messages (kind, recipient, booking_id, payload)
  SELECT m.kind, m.recipient, booking.id, '{}'
  FROM booking, seat, LATERAL (VALUES ('booking_confirmed'::text, ${email}), ('advisor_slot_booked'::text, seat.advisor_email)) AS m(kind, recipient)
  WHERE m.recipient IS NOT NULL
)
SELECT seat.*, booking.created_at FROM seat, booking;
`;
}

/**
 * Service and pgbench alternate over `rounds` rounds (service, pgbench, service, pgbench…), so a
 * slower or faster spell of a shared machine weighs on both sides of the ratio alike.
 */
async function run(ctx) {
  const { options, db, service, tmpDir, log } = ctx;
  const { concurrency, warmup, bookings, rounds, pgbenchClients, pgbenchThreads, pgbenchMode } = options;
  const perClient = Math.ceil(options.pgbenchTransactions / pgbenchClients / rounds);
  const httpSeats = warmup + bookings;
  const total = httpSeats + rounds * pgbenchClients * perClient;

  log(`creating ${total} free seats…`);
  const { sessionId, slotIds } = await createSeats(db.url, total);
  const make = (offset) => (i) => ({
    url: `${service.baseUrl}/api/bookings`,
    method: 'POST',
    body: bookingBody(slotIds[offset + i], offset + i + 1),
    expect: 201,
  });

  log(`warm-up: ${warmup} bookings…`);
  const warm = await runLoad({ concurrency, total: warmup, make: make(0) });
  if (warm.errors.length) throw new Error(`warm-up failed: ${describeErrors(warm.errors)}`);

  const script = options.pgbenchScriptFile ? readFileSync(options.pgbenchScriptFile, 'utf8') : pgbenchScript();
  const checkpoint = () => withClient(db.url, (c) => c.query('CHECKPOINT'));
  const snapshot = () => cpu.snapshot(service.child.pid);
  const httpRounds = [];
  const pgRounds = [];
  let sent = warmup;
  for (let round = 0; round < rounds; round++) {
    const count = Math.floor((bookings * (round + 1)) / rounds) - (sent - warmup);
    await checkpoint();
    log(`round ${round + 1}/${rounds} — service: ${count} bookings, ${concurrency} concurrent clients…`);
    const httpBefore = snapshot();
    const http = await runLoad({ concurrency, total: count, make: make(sent) });
    httpRounds.push({ ...http, cpu: [httpBefore, snapshot()] });
    sent += count;

    await checkpoint();
    log(`round ${round + 1}/${rounds} — pgbench: ${pgbenchClients} clients × ${perClient} transactions (-M ${pgbenchMode})…`);
    const pgBefore = snapshot();
    const pg = await runPgbench({
      url: db.url,
      script,
      name: 'booking',
      dir: tmpDir,
      clients: pgbenchClients,
      threads: pgbenchThreads,
      transactions: perClient,
      mode: pgbenchMode,
      defines: { i: 0, base: httpSeats + round * pgbenchClients * perClient, per: perClient },
    });
    pgRounds.push({ ...pg, cpu: [pgBefore, snapshot()] });
    if (options.verbose) log(`pgbench output:\n${pg.output}`);
  }

  const http = {
    rate: (bookings * 1000) / httpRounds.reduce((sum, r) => sum + r.elapsedMs, 0),
    elapsedMs: httpRounds.reduce((sum, r) => sum + r.elapsedMs, 0),
    latency: summarise(httpRounds.flatMap((r) => Array.from(r.latencies))),
    errors: httpRounds.flatMap((r) => r.errors),
    cpu: cpu.usage(...httpRounds.map((r) => r.cpu)),
  };
  const processed = pgRounds.reduce((sum, r) => sum + r.processed, 0);
  const pg = {
    tps: processed / pgRounds.reduce((sum, r) => sum + r.processed / r.tps, 0),
    processed,
    latency: summarise(pgRounds.flatMap((r) => r.latencies)),
    command: pgRounds[0].command.replace(/ -D base=\d+/, ''),
    cpu: cpu.usage(...pgRounds.map((r) => r.cpu)),
  };
  const perRound = (rs, f) => rs.map(f).join(' / ');

  // Every measured request and transaction must have taken exactly its own seat.
  const {
    rows: [counts],
  } = await withClient(db.url, (c) =>
    c.query(
      `SELECT (SELECT count(*) FROM bookings b JOIN slots sl ON sl.id = b.slot_id WHERE sl.session_id = $1)::int AS bookings,
              (SELECT sum(booked) FROM slots WHERE session_id = $1)::int AS booked,
              (SELECT count(*) FROM slots WHERE session_id = $1 AND booked > 0)::int AS taken`,
      [sessionId],
    ),
  );
  const expected = warmup + (bookings - http.errors.length) + processed;
  const integrity = counts.bookings === expected && counts.booked === expected && counts.taken === expected;

  const ratio = http.rate / pg.tps;
  return {
    name: 'booking',
    lines: [
      ['Service bookings', `${bookings} (+${warmup} warm-up) in ${rounds} rounds, ${concurrency} concurrent clients, keep-alive`],
      [
        'Service throughput',
        `${http.rate.toFixed(0)} bookings/s (${(http.elapsedMs / 1000).toFixed(2)} s; rounds ${perRound(httpRounds, (r) => r.rate.toFixed(0))})`,
      ],
      ['Service latency', `p50 ${ms(http.latency.p50)}, p90 ${ms(http.latency.p90)}, p99 ${ms(http.latency.p99)}, max ${ms(http.latency.max)}`],
      ['Service CPU use', cpu.describe(http.cpu, ['service', 'loadGenerator', 'postgres', 'rest', 'idle'])],
      ['Service errors (non-201)', `${http.errors.length}${http.errors.length ? ` — ${describeErrors(http.errors)}` : ''}`],
      ['pgbench', pg.command],
      ['pgbench throughput', `${pg.tps.toFixed(0)} tps (${processed} transactions; rounds ${perRound(pgRounds, (r) => r.tps.toFixed(0))})`],
      ['pgbench latency', `p50 ${ms(pg.latency.p50)}, p90 ${ms(pg.latency.p90)}, p99 ${ms(pg.latency.p99)}, max ${ms(pg.latency.max)}`],
      ['pgbench CPU use', cpu.describe(pg.cpu, ['pgbench', 'postgres', 'rest', 'idle'])],
      ['Ratio service ÷ pgbench', ratio.toFixed(2)],
      ['Seats check', integrity ? `ok (${expected} bookings, one per seat)` : `MISMATCH: expected ${expected}, got ${JSON.stringify(counts)}`],
    ],
    targets: [
      { name: 'no errors', value: String(http.errors.length), target: '0', pass: http.errors.length === 0 && integrity },
      { name: 'ratio service ÷ pgbench', value: ratio.toFixed(2), target: '≥ 0.35', pass: ratio >= 0.35 },
      { name: 'p99 latency', value: ms(http.latency.p99), target: '< 50 ms', pass: http.latency.p99 < 50 },
    ],
    markdown: {
      header: ['scenario', 'service', 'p50', 'p99', 'max', 'errors', 'pgbench (same transaction)', 'pgbench p99', 'ratio'],
      row: [
        `booking (${concurrency} clients)`,
        `${http.rate.toFixed(0)} bookings/s`,
        ms(http.latency.p50),
        ms(http.latency.p99),
        ms(http.latency.max),
        String(http.errors.length),
        `${pg.tps.toFixed(0)} tps`,
        ms(pg.latency.p99),
        ratio.toFixed(2),
      ],
    },
  };
}

module.exports = {
  name: 'booking',
  description: 'POST /api/bookings on distinct free slots vs the same transaction in pgbench; peak RSS of the service',
  run,
  // Target checked by run.js on the service's peak resident memory over the scenario.
  rssLimit: 250e6,
  pgbenchScript,
  createSeats,
  bookingBody,
};
