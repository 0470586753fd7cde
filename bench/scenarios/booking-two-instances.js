'use strict';
// Scenario "booking-two-instances": two instances of the service on one database, as behind a load
// balancer. Instance A is the stack's service; the scenario starts B with the same environment (the
// same JWT_SECRET, set explicitly: this scenario's serviceEnv, which also gives it a fresh database)
// and a DATA_DIR of its own. Both run the mail sender (OUTBOX_POLL_MS = BENCH_OUTBOX_POLL_MS), which
// writes every e-mail as an .eml file under DATA_DIR/mail.
//  1. The booking load of "booking": warm-up, then measured bookings at BENCH_CONCURRENCY clients,
//     every request on a different free seat, request i sent to instance i mod 2; peak RSS of each.
//  2. Last-seat races: BENCH_TWO_RACE_CLIENTS (50) people book at once the one seat left on a
//     3-seat slot, half through each instance: exactly one 201, every other answer 409 slot_full.
//  3. In SQL, on every slot of the database: slots.booked = its confirmed bookings ≤ capacity; one
//     confirmed booking per seat of the load; the races' slots full, with 3 bookings each.
//  4. E-mails exactly once: once no outbox message is pending (the two senders claim with FOR
//     UPDATE SKIP LOCKED), every message is sent and was claimed once (attempts = 1), every booking
//     has its one booking_confirmed message, and the .eml files under the two DATA_DIRs are exactly
//     the outbox's messages: as many, each Message-ID (<outbox id@host>) once.
const { randomBytes } = require('node:crypto');
const { closeSync, existsSync, openSync, readdirSync, readSync } = require('node:fs');
const path = require('node:path');
const { withClient } = require('../lib/service');
const { runLoad, summarise } = require('../lib/load');
const cpu = require('../lib/cpu');
const { mb } = require('../lib/memory');
const { ms, describeErrors } = require('../lib/report');
const { createSeats, bookingBody } = require('./booking');

const RACE_SLOT_CAPACITY = 3; // two seats taken before the race, one left
/** What one sender sends per round (OutboxSender: BATCH × BATCHES_PER_ROUND), to size the drain timeout. */
const MESSAGES_PER_ROUND = 20;
// One secret for both instances (and only for this run): a token from one is valid on the other.
const JWT_SECRET = randomBytes(48).toString('base64url');

/** A desk of its own in the seats' session, with `count` slots of `capacity` (one per race). */
async function createRaceSlots(url, sessionId, count, capacity) {
  return withClient(url, async (c) => {
    const {
      rows: [desk],
    } = await c.query(`INSERT INTO desks (session_id, position) SELECT $1, max(position) + 1 FROM desks WHERE session_id = $1 RETURNING id`, [sessionId]);
    const { rows } = await c.query(
      `INSERT INTO slots (session_id, desk_id, starts_at, ends_at, capacity)
       SELECT s.id, $2, s.starts_at + k * interval '1 minute', s.starts_at + (k + 1) * interval '1 minute', $4
       FROM permanence_sessions s CROSS JOIN generate_series(0, $3::int - 1) k WHERE s.id = $1
       ORDER BY k RETURNING id`,
      [sessionId, desk.id, count, capacity],
    );
    return rows.map((r) => r.id);
  });
}

/** The `code` of a problem+json answer, or null. */
function problemCode(body) {
  try {
    return JSON.parse(body).code ?? null;
  } catch {
    return null;
  }
}

/**
 * One race: the slot's seats but one taken (one booking at a time, alternating instances), then
 * `clients` bookings at once, client i through instance i mod 2. Returns what they got.
 */
async function lastSeatRace({ instances, slotId, capacity, clients, race }) {
  const url = (i) => `${instances[i % 2].service.baseUrl}/api/bookings`;
  const before = await runLoad({
    concurrency: 1,
    total: capacity - 1,
    make: (i) => ({ url: url(i), method: 'POST', body: bookingBody(slotId, `race${race}-pre${i}`), expect: 201 }),
  });
  if (before.errors.length) throw new Error(`taking the seats before race ${race + 1} failed: ${describeErrors(before.errors)}`);
  const outcome = { created: 0, slotFull: 0, others: [], winners: [] };
  const result = await runLoad({
    concurrency: clients,
    total: clients,
    make: (i) => ({ url: url(i), method: 'POST', body: bookingBody(slotId, `race${race}-${i}`), expect: 201 }),
    onResponse: (i, res) => {
      const code = problemCode(res.body);
      if (res.status === 201) {
        outcome.created++;
        outcome.winners.push(instances[i % 2].label);
      } else if (res.status === 409 && code === 'slot_full') outcome.slotFull++;
      else outcome.others.push(`${res.status} ${code ?? res.body.slice(0, 100)}`);
    },
  });
  for (const e of result.errors.filter((e) => e.status === 'network')) outcome.others.push(`network: ${e.body}`);
  outcome.ok = outcome.created === 1 && outcome.slotFull === clients - 1 && outcome.others.length === 0;
  outcome.latency = result.latency;
  return outcome;
}

/** Seats and counters in SQL, on every slot of the database; returns {ok, problems, counts}. */
async function checkSeats(url, { sessionId, seatIds, raceIds, expectedSeats }) {
  const {
    rows: [counts],
  } = await withClient(url, (c) =>
    c.query(
      `WITH per_slot AS (
         SELECT sl.id, sl.session_id, sl.capacity, sl.booked,
                (SELECT count(*) FROM bookings b WHERE b.slot_id = sl.id AND b.status = 'confirmed')::int AS confirmed
         FROM slots sl)
       SELECT (SELECT count(*) FROM per_slot)::int AS slots,
              (SELECT count(*) FROM per_slot WHERE booked <> confirmed)::int AS counter_drift,
              (SELECT count(*) FROM per_slot WHERE booked > capacity OR confirmed > capacity)::int AS over_capacity,
              (SELECT count(*) FROM per_slot WHERE id = ANY($2::uuid[]) AND confirmed = 1)::int AS seats_once,
              (SELECT count(*) FROM per_slot WHERE id = ANY($2::uuid[]) AND confirmed > 1)::int AS seats_twice,
              (SELECT count(*) FROM per_slot WHERE id = ANY($3::uuid[]) AND confirmed = capacity AND booked = capacity)::int AS race_slots_full,
              (SELECT count(*) FROM bookings b JOIN slots sl ON sl.id = b.slot_id WHERE sl.session_id = $1)::int AS session_bookings,
              (SELECT count(*) FROM bookings WHERE status <> 'confirmed')::int AS not_confirmed`,
      [sessionId, seatIds, raceIds],
    ),
  );
  const problems = [];
  const expect = (what, got, want) => {
    if (got !== want) problems.push(`${what}: ${got}, expected ${want}`);
  };
  expect('slots whose booked ≠ confirmed bookings', counts.counter_drift, 0);
  expect('slots over capacity', counts.over_capacity, 0);
  expect('seats booked once', counts.seats_once, expectedSeats);
  expect('seats booked twice or more', counts.seats_twice, 0);
  expect('race slots full', counts.race_slots_full, raceIds.length);
  expect('bookings in the session', counts.session_bookings, expectedSeats + raceIds.length * RACE_SLOT_CAPACITY);
  expect('bookings not confirmed', counts.not_confirmed, 0);
  return { ok: problems.length === 0, problems, counts };
}

/** Outbox messages in all, and those still pending. */
async function outboxCounts(c) {
  const { rows } = await c.query(`SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*)::int AS messages FROM outbox_messages`);
  return rows[0];
}

/** Polls until no outbox message is pending, or `timeoutMs`; returns {pending, messages}. */
async function waitForOutbox(url, timeoutMs, log) {
  const started = Date.now();
  let lastLog = started;
  return withClient(url, async (c) => {
    for (;;) {
      const row = await outboxCounts(c);
      if (row.pending === 0 || Date.now() - started > timeoutMs) return row;
      if (Date.now() - lastLog >= 15_000) {
        log(`  ${row.pending} of ${row.messages} messages still pending…`);
        lastLog = Date.now();
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  });
}

/** The Message-IDs of the .eml files under DATA_DIR/mail (the mailer names them <time>-<Message-ID>.eml). */
function emlMessageIds(dataDir) {
  const dir = path.join(dataDir, 'mail');
  if (!existsSync(dir)) return { files: 0, ids: [], unreadable: 0 };
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
  const ids = [];
  let unreadable = 0;
  const head = Buffer.alloc(16 * 1024);
  for (const file of files) {
    const fd = openSync(path.join(dir, file), 'r');
    const n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const headers = head.subarray(0, n).toString('latin1').split('\r\n\r\n')[0];
    const m = headers.match(/^Message-ID:\s*<([^>@]+)@[^>]*>/im);
    if (m) ids.push(m[1].toLowerCase());
    else unreadable++;
  }
  return { files: files.length, ids, unreadable };
}

/** Every outbox message sent once, and one .eml file per message across both instances. */
async function checkMail(url, instances) {
  const { messages, bookingsWithout } = await withClient(url, async (c) => ({
    messages: (await c.query(`SELECT id::text, status, attempts FROM outbox_messages`)).rows,
    bookingsWithout: (
      await c.query(
        `SELECT count(*)::int AS n FROM bookings b
         WHERE (SELECT count(*) FROM outbox_messages m WHERE m.booking_id = b.id AND m.kind = 'booking_confirmed') <> 1`,
      )
    ).rows[0].n,
  }));
  const problems = [];
  const byStatus = {};
  for (const m of messages) byStatus[m.status] = (byStatus[m.status] || 0) + 1;
  const notSent = messages.length - (byStatus.sent || 0);
  if (notSent) problems.push(`${notSent} messages not sent (${JSON.stringify(byStatus)})`);
  const claimedAgain = messages.filter((m) => m.attempts !== 1).length;
  if (claimedAgain) problems.push(`${claimedAgain} messages claimed more than once (attempts ≠ 1)`);
  if (bookingsWithout) problems.push(`${bookingsWithout} bookings without exactly one booking_confirmed message`);

  const files = instances.map((instance) => ({ label: instance.label, ...emlMessageIds(instance.service.dataDir) }));
  const total = files.reduce((sum, f) => sum + f.files, 0);
  const unreadable = files.reduce((sum, f) => sum + f.unreadable, 0);
  if (unreadable) problems.push(`${unreadable} .eml files without a Message-ID`);
  if (total !== messages.length) problems.push(`${total} .eml files for ${messages.length} outbox messages`);
  const seen = new Map();
  for (const id of files.flatMap((f) => f.ids)) seen.set(id, (seen.get(id) || 0) + 1);
  const twice = [...seen.values()].filter((n) => n > 1).length;
  if (twice) problems.push(`${twice} Message-IDs in more than one .eml file`);
  const ids = new Set(messages.map((m) => m.id.toLowerCase()));
  const unknown = [...seen.keys()].filter((id) => !ids.has(id)).length;
  const missing = [...ids].filter((id) => !seen.has(id)).length;
  if (unknown) problems.push(`${unknown} .eml Message-IDs that are no outbox message`);
  if (missing) problems.push(`${missing} outbox messages without an .eml file`);
  return { ok: problems.length === 0, problems, messages: messages.length, files };
}

/** The report line of the e-mail check. */
function describeMail(mail, filesLine) {
  if (!mail) return 'not checked (BENCH_OUTBOX_POLL_MS=0: no mail sender)';
  if (!mail.ok) return `FAILED: ${mail.problems.join('; ')}${filesLine ? ` (.eml files: ${filesLine})` : ''}`;
  return (
    `ok: ${mail.messages} outbox messages, each sent once (attempts 1), one booking_confirmed per booking; ` +
    `${mail.messages} .eml files (${filesLine}), no Message-ID twice; outbox empty ${(mail.drainMs / 1000).toFixed(1)} s after the last booking`
  );
}

async function run(ctx) {
  const { options, db, service, log, startSibling } = ctx;
  const { concurrency } = options;
  const { bookings, warmup, races, raceClients } = options.two;
  const pollMs = Number(options.outboxPollMs);

  const second = await startSibling('instance B');
  try {
    // The labels are those of run.js's RSS sampler (serviceLabel below, and startSibling's name).
    const instances = [
      { label: 'A', rssLabel: 'instance A', service },
      { label: 'B', rssLabel: 'instance B', service: second.service },
    ];
    const pids = instances.map((i) => i.service.child.pid);

    log(`creating ${warmup + bookings} free seats and ${races} ${RACE_SLOT_CAPACITY}-seat slots for the races…`);
    const { sessionId, slotIds } = await createSeats(db.url, warmup + bookings);
    const raceIds = await createRaceSlots(db.url, sessionId, races, RACE_SLOT_CAPACITY);
    const make = (offset) => (i) => ({
      url: `${instances[i % 2].service.baseUrl}/api/bookings`,
      method: 'POST',
      body: bookingBody(slotIds[offset + i], offset + i + 1),
      expect: 201,
    });

    log(`warm-up: ${warmup} bookings over both instances…`);
    const warm = await runLoad({ concurrency, total: warmup, make: make(0) });
    if (warm.errors.length) throw new Error(`warm-up failed: ${describeErrors(warm.errors)}`);

    await withClient(db.url, (c) => c.query('CHECKPOINT'));
    log(`${bookings} bookings, ${concurrency} concurrent clients, alternately to A and B…`);
    const before = cpu.snapshot(pids);
    const memorySince = ctx.rss.mark();
    const load = await runLoad({ concurrency, total: bookings, make: make(warmup) });
    const loadMemory = memorySince();
    const usage = cpu.usage([before, cpu.snapshot(pids)]);
    const byInstance = instances.map((instance, k) => ({
      label: instance.label,
      latency: summarise(Array.from(load.latencies).filter((_, i) => i % 2 === k)),
      rss: loadMemory[instance.rssLabel],
    }));

    log(`last-seat races: ${races} × ${raceClients} bookings at once of the last seat of a ${RACE_SLOT_CAPACITY}-seat slot…`);
    const raceOutcomes = [];
    for (let race = 0; race < races; race++) {
      raceOutcomes.push(await lastSeatRace({ instances, slotId: raceIds[race], capacity: RACE_SLOT_CAPACITY, clients: raceClients, race }));
    }
    const lastBookingAt = Date.now();
    const racesOk = raceOutcomes.filter((o) => o.ok).length;
    const wonThrough = (label) => raceOutcomes.flatMap((o) => o.winners).filter((w) => w === label).length;
    const raceProblems = raceOutcomes
      .map((o, r) =>
        o.ok ? null : `race ${r + 1}: ${o.created}× 201, ${o.slotFull}× 409 slot_full${o.others.length ? `, others: ${o.others.slice(0, 3).join('; ')}` : ''}`,
      )
      .filter(Boolean);

    const expectedSeats = warmup + bookings - load.errors.length;
    const seats = await checkSeats(db.url, { sessionId, seatIds: slotIds, raceIds, expectedSeats });

    let mail = null;
    if (pollMs > 0) {
      const { messages } = await withClient(db.url, outboxCounts);
      // Two senders of 20 messages per round; about half that was measured (rounds are skipped while busy).
      const expectedMs = Math.ceil(messages / MESSAGES_PER_ROUND) * pollMs;
      const timeoutMs = options.two.mailTimeoutS ? options.two.mailTimeoutS * 1000 : 2 * expectedMs + 60_000;
      log(`waiting for the two senders to send the outbox (${messages} messages; at most ${(timeoutMs / 1000).toFixed(0)} s)…`);
      const drained = await waitForOutbox(db.url, timeoutMs, log);
      const drainMs = Date.now() - lastBookingAt;
      if (drained.pending) {
        const problem = `${drained.pending} of ${drained.messages} messages still pending after ${(timeoutMs / 1000).toFixed(0)} s`;
        mail = { ok: false, problems: [problem], messages: drained.messages, files: [] };
      } else {
        mail = await checkMail(db.url, instances);
      }
      mail.drainMs = drainMs;
    }

    second.checkAlive();
    const { latency, errors } = load;
    const latencyLine = (l) => `p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)}, max ${ms(l.max)}`;
    const filesLine = mail ? mail.files.map((f) => `${f.label} ${f.files}`).join(', ') : '';
    const slowestRaceAnswer = Math.max(...raceOutcomes.map((o) => o.latency.max));
    return {
      name: 'booking-two-instances',
      lines: [
        [
          'Instances',
          `A (the stack's) and B, one database, the same environment and JWT_SECRET, pool ${options.poolSize} each; ${pollMs ? `mail sender every ${pollMs} ms, .eml files to each one’s DATA_DIR` : 'mail sender off (OUTBOX_POLL_MS=0)'}`,
        ],
        ['Bookings', `${bookings} (+${warmup} warm-up), ${concurrency} concurrent clients, keep-alive, request i to instance i mod 2`],
        ['Throughput', `${load.rate.toFixed(0)} bookings/s (${(load.elapsedMs / 1000).toFixed(2)} s)`],
        ['Latency', latencyLine(latency)],
        ['Latency by instance', byInstance.map((b) => `${b.label} p50 ${ms(b.latency.p50)}, p99 ${ms(b.latency.p99)}, max ${ms(b.latency.max)}`).join('; ')],
        ['CPU use (service = both)', cpu.describe(usage, ['service', 'loadGenerator', 'postgres', 'rest', 'idle'])],
        ['Errors (non-201)', `${errors.length}${errors.length ? ` — ${describeErrors(errors)}` : ''}`],
        [
          'RSS during the bookings',
          byInstance.map((b) => `${b.label} peak ${mb(b.rss?.peak)}, at the end ${mb(b.rss?.last)}`).join('; ') + ` (sampled every 100 ms)`,
        ],
        [
          'Last-seat races',
          `${races} × ${raceClients} bookings at once of the one seat left, half through each instance: ${racesOk} of ${races} with one 201 and ${raceClients - 1} × 409 slot_full` +
            `; won through A ${wonThrough('A')}, B ${wonThrough('B')}; slowest answer ${ms(slowestRaceAnswer)}` +
            (raceProblems.length ? ` — FAILED: ${raceProblems.join(' | ')}` : ''),
        ],
        [
          'Seats and counters (SQL)',
          seats.ok
            ? `ok (${seats.counts.slots} slots: booked = confirmed bookings ≤ capacity; ${expectedSeats} seats booked once each; ${races} race slots full with ${RACE_SLOT_CAPACITY})`
            : `MISMATCH: ${seats.problems.join('; ')}`,
        ],
        ['E-mails', describeMail(mail, filesLine)],
      ],
      targets: [
        { name: 'no errors', value: String(errors.length), target: '0', pass: errors.length === 0 },
        { name: 'last-seat races', value: `${racesOk} of ${races} ok`, target: `one 201, ${raceClients - 1} × 409 slot_full, each`, pass: racesOk === races },
        { name: 'seats and counters in SQL', value: seats.ok ? 'ok' : `${seats.problems.length} broken`, target: 'ok', pass: seats.ok },
        ...(mail ? [{ name: 'e-mails exactly once', value: mail.ok ? 'ok' : `${mail.problems.length} broken`, target: 'ok', pass: mail.ok }] : []),
      ],
      markdown: {
        header: [
          'scenario',
          'bookings/s',
          'p50',
          'p99',
          'max',
          'errors',
          'peak RSS A / B (bookings)',
          'last-seat races',
          'seats (SQL)',
          'e-mails once',
          'outbox drained',
        ],
        row: [
          `booking-two-instances (${concurrency} clients over 2)`,
          load.rate.toFixed(0),
          ms(latency.p50),
          ms(latency.p99),
          ms(latency.max),
          String(errors.length),
          byInstance.map((b) => mb(b.rss?.peak)).join(' / '),
          `${racesOk}/${races} ok`,
          seats.ok ? 'ok' : 'FAILED',
          mail ? (mail.ok ? `ok (${mail.messages})` : 'FAILED') : 'not checked',
          mail ? `${(mail.drainMs / 1000).toFixed(0)} s` : '—',
        ],
      },
    };
  } finally {
    await second.stop();
  }
}

module.exports = {
  name: 'booking-two-instances',
  description: 'two instances on one database: the booking load split over both, last-seat races, seats in SQL, e-mails sent exactly once; peak RSS of each',
  serviceEnv: { JWT_SECRET },
  serviceLabel: 'instance A',
  rssLimit: 250e6,
  run,
};
