'use strict';
// Scenario "public-feed": calendar apps polling GET /calendar/public.ics. The service runs with
// BOOKING_HORIZON_MONTHS=120, so the feed holds ten years of monthly permanence sessions plus 200
// workshops spread over them (some with registrations, so their descriptions differ). Measured at
// 32 keep-alive clients: full answers (no conditional header) and 304s (If-None-Match: the ETag).
// Every full answer must be the same bytes with every event in SQL; every 304 empty. Also the time
// of one rebuild: a workshop is edited, and the next GET builds the feed again. For reference (not
// a target): the same two answers, byte for byte, from a bare node:http server (lib/bare-server.js)
// driven by the same generator at the same concurrency — the machine's own floor for them.
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { withClient } = require('../lib/service');
const { request, runLoad, summarise } = require('../lib/load');
const { login } = require('../lib/api');
const { startBareServer, replayable } = require('../lib/bare-server');
const cpu = require('../lib/cpu');
const { ms, describeErrors } = require('../lib/report');

const PATH = '/calendar/public.ics';
const CONTENT_TYPE = 'text/calendar; charset=utf-8';
const ORGANISATION = { name: 'Association Exemple', siret: '73282932000074', legalForm: 'association', postcode: '42000' };
const LOCATIONS = ['Maison de l’ESS, Saint-Étienne', 'CRESS, Lyon', 'https://visio.cress.example/atelier'];

/** Workshop k of n: spread evenly from tomorrow to just before the horizon, varied texts and capacities. */
function workshopBody(k, n, horizonMonths) {
  const spanDays = Math.floor(horizonMonths * 30.4) - 10;
  const startsAt = new Date(Date.now() + (1 + Math.floor((k * spanDays) / n)) * 864e5);
  startsAt.setUTCHours(8 + (k % 3) * 2, k % 2 ? 30 : 0, 0, 0);
  const endsAt = new Date(startsAt.getTime() + (2 + (k % 3)) * 3600e3);
  return {
    title: `Atelier ESS n° ${k + 1} — ${['statuts associatifs', 'SCIC et SCOP', 'agrément ESUS', 'gouvernance partagée'][k % 4]}`,
    description: `Atelier ${k + 1} du programme.${k % 5 === 0 ? '\nUn long paragraphe pour varier la taille : ' + 'les statuts, la gouvernance, la lucrativité limitée. '.repeat(1 + (k % 7)) : ''}`,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    location: LOCATIONS[k % LOCATIONS.length],
    capacity: k % 20 === 0 ? 2 : 8 + (k % 17),
    waitlistEnabled: true,
  };
}

/** How many registrations workshop k gets: every fourth gets 1–6 (the 2-seat ones end full, with a waitlist). */
const registrationsFor = (k) => (k % 4 === 0 ? 1 + ((k / 4) % 6) : 0);

const countEvents = (body) => body.toString('latin1').split('BEGIN:VEVENT').length - 1;

/**
 * The fingerprint query of FeedsRepository.publicVersion (keep the two in step), timed from one client:
 * what a poll waits for when the service is not listening for changes (see PublicFeedChanges).
 */
const PUBLIC_VERSION_SQL = `SELECT md5(coalesce((SELECT string_agg(id::text || ':' || xmin::text, ',' ORDER BY id) FROM permanence_sessions WHERE starts_at >= $1 AND starts_at < $2), '')
              || '|' || coalesce((SELECT string_agg(id::text || ':' || xmin::text, ',' ORDER BY id) FROM workshops WHERE starts_at >= $1 AND starts_at < $2), '')) AS version`;

async function timeFingerprint(url, horizonMonths, times = 300) {
  const from = new Date(Date.now() - 100 * 864e5);
  const to = new Date(Date.now() + (horizonMonths + 2) * 31 * 864e5);
  return withClient(url, async (c) => {
    const values = [];
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      await c.query({ name: 'public-version', text: PUBLIC_VERSION_SQL, values: [from, to] });
      values.push(performance.now() - t0);
    }
    return summarise(values.slice(Math.floor(times / 3))); // the first third warms the plan cache
  });
}

async function one(baseUrl, options = {}) {
  const agent = new http.Agent({ keepAlive: false });
  try {
    const t0 = performance.now();
    const res = await request(agent, `${baseUrl}${PATH}`, { raw: true, ...options });
    return { ...res, ms: performance.now() - t0 };
  } finally {
    agent.destroy();
  }
}

async function run(ctx) {
  const { options, db, service, admin, tmpDir, log } = ctx;
  const { horizonMonths, workshops: workshopCount, requests, warmup, concurrency } = options.feed;
  const baseUrl = service.baseUrl;
  const problems = [];

  const {
    rows: [{ sessions }],
  } = await withClient(db.url, (c) => c.query('SELECT count(*)::int AS sessions FROM permanence_sessions'));
  if (sessions < horizonMonths) problems.push(`${sessions} permanence sessions generated, expected ≥ ${horizonMonths}`);

  // The workshops, then the registrations, through the API.
  const headers = await login(baseUrl, admin);
  log(`creating ${workshopCount} workshops over ${horizonMonths} months…`);
  const ids = new Array(workshopCount);
  const created = await runLoad({
    concurrency: 4,
    total: workshopCount,
    make: (k) => ({ url: `${baseUrl}/api/workshops`, method: 'POST', headers, body: workshopBody(k, workshopCount, horizonMonths), expect: 201 }),
    onResponse: (k, res) => {
      if (res.status === 201) ids[k] = JSON.parse(res.body).id;
    },
  });
  if (created.errors.length) throw new Error(`creating the workshops failed: ${describeErrors(created.errors)}`);
  const registrations = [];
  for (let k = 0; k < workshopCount; k++) {
    for (let j = 0; j < registrationsFor(k); j++) registrations.push({ workshopId: ids[k], k, j });
  }
  log(`${registrations.length} registrations on ${ids.filter((_, k) => registrationsFor(k) > 0).length} of them…`);
  const registered = await runLoad({
    concurrency: 4,
    total: registrations.length,
    make: (i) => {
      const { workshopId, k, j } = registrations[i];
      return {
        url: `${baseUrl}/api/bookings`,
        method: 'POST',
        body: { workshopId, attendee: { name: `Personne ${k}-${j}`, email: `feed${k}-${j}@asso-exemple.fr` }, organisation: ORGANISATION, consent: true },
        expect: 201,
      };
    },
  });
  if (registered.errors.length) throw new Error(`registering failed: ${describeErrors(registered.errors)}`);
  const {
    rows: [rows],
  } = await withClient(db.url, async (c) => {
    await c.query('ANALYZE');
    return c.query(
      `SELECT (SELECT count(*) FROM permanence_sessions)::int AS sessions, (SELECT count(*) FROM workshops)::int AS workshops,
              (SELECT count(*) FROM workshops WHERE waitlisted > 0)::int AS with_waitlist`,
    );
  });
  const expectedEvents = rows.sessions + rows.workshops;

  // Warm-up: both kinds of answer, until V8 has compiled the paths.
  log(`warm-up: ${warmup} full GETs and ${warmup} conditional GETs, ${concurrency} concurrent clients…`);
  const first = await one(baseUrl);
  if (first.status !== 200) throw new Error(`GET ${PATH} answered ${first.status}: ${String(first.body.subarray(0, 300))}`);
  const warmFull = await runLoad({ concurrency, total: warmup, make: () => ({ url: `${baseUrl}${PATH}`, raw: true }) });
  const warm304 = await runLoad({
    concurrency,
    total: warmup,
    make: () => ({ url: `${baseUrl}${PATH}`, headers: { 'if-none-match': first.headers.etag }, raw: true, expect: 304 }),
  });
  const warmErrors = [...warmFull.errors, ...warm304.errors];
  if (warmErrors.length) throw new Error(`warm-up failed: ${describeErrors(warmErrors)}`);

  // One rebuild: a workshop changes, the next GET builds the feed again.
  const edited = ids[Math.floor(workshopCount / 2)];
  const newTitle = `Atelier modifié pour le banc d’essai ${Date.now()}`;
  const patchAgent = new http.Agent({ keepAlive: false });
  const patch = await request(patchAgent, `${baseUrl}/api/workshops/${edited}`, { method: 'PATCH', headers, body: { title: newTitle } });
  patchAgent.destroy();
  if (patch.status !== 200) throw new Error(`PATCH /api/workshops/${edited} answered ${patch.status}: ${patch.body.slice(0, 300)}`);
  const rebuilt = await one(baseUrl);
  const cached = await one(baseUrl);
  if (rebuilt.status !== 200) throw new Error(`GET ${PATH} after the edit answered ${rebuilt.status}`);
  if (rebuilt.headers.etag === first.headers.etag) problems.push('the ETag did not change when a workshop was edited');
  if (!rebuilt.body.includes(newTitle)) problems.push('the feed does not show the edited title');
  if (!cached.body.equals(rebuilt.body)) problems.push('two GETs after the edit differ');

  const reference = rebuilt.body;
  const etag = rebuilt.headers.etag;
  const events = countEvents(reference);
  if (events !== expectedEvents) problems.push(`${events} VEVENTs in the feed, expected ${expectedEvents} (every session and workshop)`);
  if (events < horizonMonths + workshopCount) problems.push(`${events} VEVENTs, expected ≥ ${horizonMonths} + ${workshopCount}`);
  if (!/^"[^"]+"$/.test(etag ?? '')) problems.push(`ETag ${etag} is not a strong one`);
  if (!rebuilt.headers['last-modified']) problems.push('no Last-Modified');

  await withClient(db.url, (c) => c.query('CHECKPOINT'));
  const snapshot = () => cpu.snapshot(service.child.pid);

  // Full answers.
  log(`full answers: ${requests} GETs, ${concurrency} concurrent clients…`);
  const bad = { contentType: 0, body: 0, etag: 0, first: null };
  const fullBefore = snapshot();
  const full = await runLoad({
    concurrency,
    total: requests,
    make: () => ({ url: `${baseUrl}${PATH}`, raw: true }),
    onResponse: (i, res) => {
      if (res.status !== 200) return;
      if (res.headers['content-type'] !== CONTENT_TYPE) {
        bad.contentType++;
        bad.first ??= `content-type ${res.headers['content-type']}`;
      }
      if (res.headers.etag !== etag) {
        bad.etag++;
        bad.first ??= `ETag ${res.headers.etag}`;
      }
      if (!res.body.equals(reference)) {
        bad.body++;
        bad.first ??= `a body of ${res.body.length} bytes differs from the first`;
      }
    },
  });
  const fullCpu = cpu.usage([fullBefore, snapshot()]);
  if (bad.contentType) problems.push(`${bad.contentType} full answers with another content-type`);
  if (bad.etag) problems.push(`${bad.etag} full answers with another ETag`);
  if (bad.body) problems.push(`${bad.body} full answers not byte-identical to the first`);
  if (bad.first) problems.push(`first mismatch: ${bad.first}`);

  // 304s.
  log(`304s: ${requests} GETs with If-None-Match, ${concurrency} concurrent clients…`);
  let nonEmpty = 0;
  const notModifiedBefore = snapshot();
  const notModified = await runLoad({
    concurrency,
    total: requests,
    make: () => ({ url: `${baseUrl}${PATH}`, headers: { 'if-none-match': etag }, raw: true, expect: 304 }),
    onResponse: (i, res) => {
      if (res.status === 304 && res.body.length !== 0) nonEmpty++;
    },
  });
  const notModifiedCpu = cpu.usage([notModifiedBefore, snapshot()]);
  if (nonEmpty) problems.push(`${nonEmpty} 304s with a body`);

  // For comparison, one client alone: the latency of a request that does not queue behind others.
  const alone = Math.min(500, requests);
  log(`one client: ${alone} full GETs and ${alone} conditional GETs…`);
  const fullAlone = await runLoad({ concurrency: 1, total: alone, make: () => ({ url: `${baseUrl}${PATH}`, raw: true }) });
  const notModifiedAlone = await runLoad({
    concurrency: 1,
    total: alone,
    make: () => ({ url: `${baseUrl}${PATH}`, headers: { 'if-none-match': etag }, raw: true, expect: 304 }),
  });

  const fingerprint = await timeFingerprint(db.url, horizonMonths);

  // The machine's floor for the same answers.
  log(`floor: the same answers from a bare node:http server, ${requests} of each, ${concurrency} clients…`);
  const sample304 = await one(baseUrl, { headers: { 'if-none-match': etag } });
  const bare = await startBareServer(tmpDir, {
    '': { status: 200, headers: replayable(cached.headers), body: reference },
    [etag]: { status: 304, headers: replayable(sample304.headers) },
  });
  let floor;
  try {
    floor = {
      full: await runLoad({ concurrency, total: requests, make: () => ({ url: `${bare.baseUrl}${PATH}`, raw: true }) }),
      notModified: await runLoad({
        concurrency,
        total: requests,
        make: () => ({ url: `${bare.baseUrl}${PATH}`, headers: { 'if-none-match': etag }, raw: true, expect: 304 }),
      }),
    };
  } finally {
    await bare.stop();
  }

  const errors = [...full.errors, ...notModified.errors, ...fullAlone.errors, ...notModifiedAlone.errors, ...floor.full.errors, ...floor.notModified.errors];
  const ok = problems.length === 0;
  const size = `${(reference.length / 1024).toFixed(0)} KiB`;
  const mbps = (full.rate * reference.length) / 2 ** 20;
  const latency = (l) => `p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)}, max ${ms(l.max)} (mean ${ms(l.mean)})`;
  const precise = (v) => `${v.toFixed(2)} ms`;
  return {
    name: 'public-feed',
    lines: [
      ['Service env', `BOOKING_HORIZON_MONTHS=${horizonMonths}`],
      [
        'Feed',
        `${events} events: ${rows.sessions} permanence sessions + ${rows.workshops} workshops (${registrations.length} registrations on ${
          ids.filter((_, k) => registrationsFor(k) > 0).length
        }, ${rows.with_waitlist} full with a waitlist); body ${reference.length} bytes (${size})`,
      ],
      [
        'Requests',
        `${requests} full + ${requests} conditional (+${warmup} + ${warmup} warm-up), ${concurrency} concurrent clients, keep-alive; then one client alone`,
      ],
      ['Full (200) throughput', `${full.rate.toFixed(0)} answers/s (${(full.elapsedMs / 1000).toFixed(2)} s; ${mbps.toFixed(0)} MiB/s)`],
      ['Full (200) latency', latency(full.latency)],
      ['Full (200) CPU use', cpu.describe(fullCpu, ['service', 'loadGenerator', 'postgres', 'rest', 'idle'])],
      ['304 throughput', `${notModified.rate.toFixed(0)} answers/s (${(notModified.elapsedMs / 1000).toFixed(2)} s)`],
      ['304 latency', latency(notModified.latency)],
      ['304 CPU use', cpu.describe(notModifiedCpu, ['service', 'loadGenerator', 'postgres', 'rest', 'idle'])],
      [
        'One client alone',
        `full p50 ${ms(fullAlone.latency.p50)}, p99 ${ms(fullAlone.latency.p99)}; 304 p50 ${ms(notModifiedAlone.latency.p50)}, p99 ${ms(notModifiedAlone.latency.p99)} (${alone} of each)`,
      ],
      [
        'Floor: bare node:http server',
        `same bytes, same generator, ${concurrency} clients: full p50 ${ms(floor.full.latency.p50)}, p99 ${ms(floor.full.latency.p99)} (${floor.full.rate.toFixed(0)}/s); ` +
          `304 p50 ${ms(floor.notModified.latency.p50)}, p99 ${ms(floor.notModified.latency.p99)} (${floor.notModified.rate.toFixed(0)}/s) — not a target: what the machine allows`,
      ],
      ['Rebuild (one GET after an edit)', `${ms(rebuilt.ms)} (one client, new connection; not a target)`],
      [
        'Fingerprint query alone',
        `p50 ${precise(fingerprint.p50)}, p99 ${precise(fingerprint.p99)} (publicVersion's SQL from one pg client: what each poll waited for before the service listened for changes, and still does without that connection)`,
      ],
      ['Errors', `${errors.length}${errors.length ? ` — ${describeErrors(errors)}` : ''}`],
      [
        'Invariants',
        ok
          ? `ok (≥ ${horizonMonths} sessions; ${events} VEVENTs = rows in SQL; every 200 ${CONTENT_TYPE}, same ETag, byte-identical; every 304 empty; an edit changes the ETag)`
          : `FAILED: ${problems.join('; ')}`,
      ],
    ],
    targets: [
      { name: 'no errors', value: String(errors.length), target: '0', pass: errors.length === 0 },
      { name: 'invariants', value: ok ? 'ok' : `${problems.length} broken`, target: 'ok', pass: ok },
      { name: 'full answer p50', value: ms(full.latency.p50), target: '< 15 ms', pass: full.latency.p50 < 15 },
      { name: '304 p50', value: ms(notModified.latency.p50), target: '< 2 ms', pass: notModified.latency.p50 < 2 },
    ],
    markdown: {
      header: ['scenario', 'full answers/s', 'p50', 'p99', '304s/s', '304 p50', '304 p99', 'body', 'rebuild', 'errors', 'invariants'],
      row: [
        `public-feed (${events} events, ${concurrency} clients)`,
        full.rate.toFixed(0),
        ms(full.latency.p50),
        ms(full.latency.p99),
        notModified.rate.toFixed(0),
        ms(notModified.latency.p50),
        ms(notModified.latency.p99),
        size,
        ms(rebuilt.ms),
        String(errors.length),
        ok ? 'ok' : 'FAILED',
      ],
    },
  };
}

module.exports = {
  name: 'public-feed',
  description: 'GET /calendar/public.ics with 10 years of sessions and 200 workshops: full answers and 304s, 32 clients; one rebuild timed',
  serviceEnv: (options) => ({ BOOKING_HORIZON_MONTHS: String(options.feed.horizonMonths) }),
  run,
};
