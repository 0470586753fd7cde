#!/usr/bin/env node
'use strict';
// Benchmarks of the built service against real PostgreSQL: `npm run bench [-- --only <scenario>]`.
// Each run gets a fresh database rvess_bench_<random> and a fresh service process; both are removed
// at the end, also on failure and on Ctrl-C. A scenario that declares `serviceEnv` (extra environment
// for the service, e.g. another BOOKING_HORIZON_MONTHS) gets a database and service of its own;
// consecutive scenarios with the same (or no) serviceEnv share one. A scenario may start more instances
// of its service (ctx.startSibling: same database and environment, stopped by the same cleanups) and
// declare `rssLimit` (bytes): a target on the peak RSS of each of its service processes.
// Configuration (environment):
//   BENCH_DATABASE_URL   server to create the bench database on (postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_BOOKINGS       measured bookings through the service (4000)
//   BENCH_WARMUP         warm-up bookings, not measured (2000: V8 needs about that many to reach steady state)
//   BENCH_ROUNDS         service and pgbench alternate over this many rounds (2)
//   BENCH_CONCURRENCY    concurrent HTTP clients (32)
//   BENCH_PGBENCH_TRANSACTIONS  pgbench transactions in all (8000), BENCH_PGBENCH_MODE (extended)
//   BENCH_PGBENCH_SCRIPT another pgbench script for the booking baseline (to try a changed transaction;
//                        same variables: seat :n, see scenarios/booking.js)
//   BENCH_POOL_SIZE      the service's DATABASE_POOL_SIZE (10, the service's default); BENCH_LOG_LEVEL its LOG_LEVEL (warn)
//   BENCH_OUTBOX_POLL_MS the service's OUTBOX_POLL_MS (2000: the mail sender runs, writing .eml files; 0 turns it off)
//   BENCH_SERVICE_ROOT   bench another checkout's build instead of this one; BENCH_VERBOSE=1 more output
//   BENCH_NODE_ARGS      extra node options for the service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
// Each completed run is also written as JSON to bench/results/<date>-<scenarios>.json (see bench/README.md).
// Every scenario: the resident memory (RSS) of each service process is read from /proc/<pid>/status
// every 100 ms while the scenario runs (and the kernel's high-water mark VmHWM, reset at its start);
// the report gives the peak and the value at the end. Targets: peak < 250 MB (10^6 bytes) per
// instance in booking and booking-two-instances.
// Scenario workshop-rush (every client registering for the same workshop):
//   BENCH_RUSH_REGISTRATIONS  measured registrations on one workshop (1000), BENCH_RUSH_SEATS its seats (20)
//   BENCH_RUSH_WARMUP    warm-up registrations on another workshop, not measured (3000: with 1000 the service
//                        still spends ~1.0 ms of CPU per registration instead of ~0.65 ms, and runs ~20 % slower)
//   BENCH_RUSH_CONCURRENCY  concurrent HTTP clients (64)
// Scenario public-feed (GET /calendar/public.ics, full answers and 304s):
//   BENCH_FEED_HORIZON_MONTHS  the service's BOOKING_HORIZON_MONTHS (120: ten years of monthly sessions)
//   BENCH_FEED_WORKSHOPS workshops spread over the horizon (200), BENCH_FEED_REQUESTS measured requests
//                        of each kind (20000: at 3000 the 304s took a quarter of a second, and their
//                        median moved by half a millisecond from run to run), BENCH_FEED_WARMUP warm-up
//                        requests of each kind (5000)
//   BENCH_FEED_CONCURRENCY  concurrent HTTP clients (BENCH_CONCURRENCY)
// Scenario staff-day (GET /api/agenda on a busy day; GET /api/reports/attendance over a year, JSON and XLSX):
//   BENCH_AGENDA_RATE    the target's measure: agenda requests arriving at this many a second, evenly,
//                        whatever the pace of the answers (200), BENCH_AGENDA_RATE_REQUESTS how many (6000),
//                        after a lead-in of 2 s at that rate, not timed
//   BENCH_STAFF_CONCURRENCY  concurrent HTTP clients for the agenda at capacity (16)
//   BENCH_AGENDA_REQUESTS measured agenda requests of each kind, advisor and admin (3000), BENCH_AGENDA_WARMUP
//                        warm-up requests of each kind (1000), BENCH_AGENDA_ROUNDS alternating rounds (3),
//                        BENCH_AGENDA_CHANGE_MS a change to one of the day's bookings every so often during
//                        the measured rounds (1000), so that kept answers are rebuilt as in real use
//   BENCH_REPORT_BOOKINGS non-cancelled bookings in the report's year (10000), BENCH_REPORT_RUNS measured
//                        requests of each format (10), BENCH_REPORT_WARMUP warm-up requests of each format (2)
// Scenario bilan (GET /staff/bilan and /staff/bilan.pdf over a year of 10,000 bookings, one at a time):
//   BENCH_BILAN_RUNS     measured requests of each kind (10), BENCH_BILAN_WARMUP warm-up requests of each (2)
// Scenario booking-two-instances (two service processes on one fresh database, JWT_SECRET set for both,
// each sending mail, OUTBOX_POLL_MS=BENCH_OUTBOX_POLL_MS, to .eml files in its own DATA_DIR):
//   BENCH_TWO_BOOKINGS   measured bookings, at BENCH_CONCURRENCY clients, request i to instance i mod 2
//                        (BENCH_BOOKINGS ÷ 5: 800), BENCH_TWO_WARMUP warm-up bookings split the same way,
//                        not measured (BENCH_WARMUP ÷ 5: 400). Small, because the scenario waits until every
//                        booking's e-mail is sent: a sender sends at most 20 per OUTBOX_POLL_MS round, and
//                        the two together sent 9.5–11 a second here (1,200 bookings: about 2 minutes).
//   BENCH_TWO_RACES      last-seat races (5): BENCH_TWO_RACE_CLIENTS (50) bookings at once of the one seat
//                        left on a slot, half through each instance — exactly one 201, the rest 409 slot_full
//   BENCH_TWO_MAIL_TIMEOUT_S  how long to wait for the outbox to drain (default: twice the time at 10
//                        messages per OUTBOX_POLL_MS per sender, plus a minute)
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureBuilt, createDatabase, dropDatabase, startService, stopService, withClient } = require('./lib/service');
const { pgbenchVersion } = require('./lib/pgbench');
const { startRssSampler, rssTarget } = require('./lib/memory');
const { printReport, writeResults } = require('./lib/report');

const SCENARIOS = [
  require('./scenarios/booking'),
  require('./scenarios/workshop-rush'),
  require('./scenarios/public-feed'),
  require('./scenarios/staff-day'),
  require('./scenarios/bilan'),
  // Last: it needs a database of its own (its serviceEnv), and the others keep the stacks they had.
  require('./scenarios/booking-two-instances'),
];

class UsageError extends Error {}

function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

function readOptions(argv) {
  const only = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') only.push(...String(argv[++i] ?? '').split(','));
    else if (argv[i].startsWith('--only=')) only.push(...argv[i].slice(7).split(','));
    else if (argv[i] === '--list') return { list: true };
    else throw new UsageError(`unknown argument ${argv[i]} (use --only <scenario>[,<scenario>…] or --list)`);
  }
  const unknown = only.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length) throw new UsageError(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const concurrency = intEnv('BENCH_CONCURRENCY', 32);
  return {
    scenarios: only.length ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS,
    adminUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    bookings: intEnv('BENCH_BOOKINGS', 4000),
    warmup: intEnv('BENCH_WARMUP', 2000),
    rounds: intEnv('BENCH_ROUNDS', 2),
    concurrency,
    pgbenchClients: concurrency,
    pgbenchThreads: Math.min(concurrency, os.cpus().length),
    pgbenchTransactions: intEnv('BENCH_PGBENCH_TRANSACTIONS', 8000),
    pgbenchMode: process.env.BENCH_PGBENCH_MODE || 'extended',
    pgbenchScriptFile: process.env.BENCH_PGBENCH_SCRIPT || null,
    rush: {
      registrations: intEnv('BENCH_RUSH_REGISTRATIONS', 1000),
      seats: intEnv('BENCH_RUSH_SEATS', 20),
      warmup: intEnv('BENCH_RUSH_WARMUP', 3000),
      concurrency: intEnv('BENCH_RUSH_CONCURRENCY', 64),
    },
    feed: {
      horizonMonths: intEnv('BENCH_FEED_HORIZON_MONTHS', 120),
      workshops: intEnv('BENCH_FEED_WORKSHOPS', 200),
      requests: intEnv('BENCH_FEED_REQUESTS', 20000),
      warmup: intEnv('BENCH_FEED_WARMUP', 5000),
      concurrency: intEnv('BENCH_FEED_CONCURRENCY', concurrency),
    },
    staff: {
      concurrency: intEnv('BENCH_STAFF_CONCURRENCY', 16),
      requests: intEnv('BENCH_AGENDA_REQUESTS', 3000),
      warmup: intEnv('BENCH_AGENDA_WARMUP', 1000),
      rounds: intEnv('BENCH_AGENDA_ROUNDS', 3),
      changeMs: intEnv('BENCH_AGENDA_CHANGE_MS', 1000),
      openRate: intEnv('BENCH_AGENDA_RATE', 200),
      openRequests: intEnv('BENCH_AGENDA_RATE_REQUESTS', 6000),
      reportBookings: intEnv('BENCH_REPORT_BOOKINGS', 10000),
      reportRuns: intEnv('BENCH_REPORT_RUNS', 10),
      reportWarmup: intEnv('BENCH_REPORT_WARMUP', 2),
    },
    bilan: {
      runs: intEnv('BENCH_BILAN_RUNS', 10),
      warmup: intEnv('BENCH_BILAN_WARMUP', 2),
    },
    two: {
      bookings: intEnv('BENCH_TWO_BOOKINGS', Math.max(1, Math.round(intEnv('BENCH_BOOKINGS', 4000) / 5))),
      warmup: intEnv('BENCH_TWO_WARMUP', Math.max(1, Math.round(intEnv('BENCH_WARMUP', 2000) / 5))),
      races: intEnv('BENCH_TWO_RACES', 5),
      raceClients: intEnv('BENCH_TWO_RACE_CLIENTS', 50),
      mailTimeoutS: process.env.BENCH_TWO_MAIL_TIMEOUT_S ? intEnv('BENCH_TWO_MAIL_TIMEOUT_S', 1) : null,
    },
    poolSize: intEnv('BENCH_POOL_SIZE', 10),
    outboxPollMs: process.env.BENCH_OUTBOX_POLL_MS ?? '2000',
    logLevel: process.env.BENCH_LOG_LEVEL || 'warn',
    verbose: process.env.BENCH_VERBOSE === '1',
    nodeArgs: (process.env.BENCH_NODE_ARGS || '').split(/\s+/).filter(Boolean),
  };
}

/** Cleanup steps, run last-in first-out exactly once: at the end, on error, or on SIGINT/SIGTERM. */
const cleanups = [];
let cleaning = null;
let interrupted = false;
/** A database and service being started or stopped: on a signal, it finishes first, so its cleanups are registered. */
let transition = null;
function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const step = cleanups.pop();
      try {
        await step();
      } catch (error) {
        console.error(`cleanup: ${error.message}`);
      }
    }
  })();
  return cleaning;
}
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
]) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: cleaning up…`);
    Promise.resolve(transition)
      .catch(() => {})
      .then(cleanup)
      .finally(() => process.exit(128 + number));
  });
}

const log = (message) => console.log(`[bench] ${message}`);

/** Registers a cleanup step; returns a function that runs it now (once) instead of at the end. */
function scopedCleanup(step) {
  cleanups.push(step);
  return async () => {
    const at = cleanups.indexOf(step);
    if (at === -1) return; // already run by the final cleanup
    cleanups.splice(at, 1);
    await step();
  };
}

/** The extra service environment a scenario asks for (`serviceEnv`: an object, or a function of the options). */
function serviceEnvOf(scenario, options) {
  const env = typeof scenario.serviceEnv === 'function' ? scenario.serviceEnv(options) : scenario.serviceEnv;
  return Object.fromEntries(Object.entries(env ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}

/** A function that throws, with the service's last output, if it has exited. */
function aliveCheck(service, what = 'the service') {
  return () => {
    if (service.child.exitCode !== null || service.child.signalCode !== null) throw new Error(`${what} exited during the bench:\n${service.output()}`);
  };
}

/** Secrets a scenario's serviceEnv may hold (JWT_SECRET): not printed. */
const shown = (key, value) => (/SECRET|PASSWORD/.test(key) ? '(set)' : value);

/** A fresh database and a service on it, with `extraEnv`; close() stops the service and drops the database. */
async function startStack({ options, admin, tmpDir, extraEnv, index }) {
  const db = await createDatabase(options.adminUrl);
  const dropDb = scopedCleanup(() => dropDatabase(options.adminUrl, db.name));
  log(`database ${db.name}`);
  // Kept for startSibling: another instance gets exactly these (database, environment, node options).
  const serviceOptions = {
    databaseUrl: db.url,
    env: {
      DATABASE_POOL_SIZE: String(options.poolSize),
      LOG_LEVEL: options.logLevel,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      OUTBOX_POLL_MS: options.outboxPollMs,
      ...extraEnv,
    },
    nodeArgs: options.nodeArgs,
  };
  const service = await startService({ ...serviceOptions, dataDir: path.join(tmpDir, `data-${index}`) });
  const stop = scopedCleanup(() => stopService(service));
  const extra = Object.entries(extraEnv)
    .map(([k, v]) => `, ${k}=${shown(k, v)}`)
    .join('');
  log(`service up at ${service.baseUrl} (pool ${options.poolSize}, LOG_LEVEL=${options.logLevel}${extra})`);
  const checkAlive = aliveCheck(service);
  return {
    db,
    service,
    serviceOptions,
    index,
    key: JSON.stringify(extraEnv),
    checkAlive,
    close: async () => {
      checkAlive();
      await stop();
      await dropDb();
    },
  };
}

/**
 * Starts another instance of the stack's service (for a scenario that needs several): the same
 * database and environment — JWT_SECRET included, so each accepts the other's tokens — and a DATA_DIR
 * of its own. Like the stack's service it is stopped by the cleanups (at the end, on failure, on
 * Ctrl-C), or earlier by stop(); checkAlive() throws if it exited meanwhile.
 */
async function startSibling({ stack, tmpDir, name }) {
  if (interrupted) throw new Error('interrupted');
  let sibling = null;
  transition = (async () => {
    const service = await startService({ ...stack.serviceOptions, dataDir: path.join(tmpDir, `data-${stack.index}-${name.replace(/\W+/g, '-')}`) });
    sibling = { service, stop: scopedCleanup(() => stopService(service)), checkAlive: aliveCheck(service, `the service's ${name}`) };
  })();
  try {
    await transition;
  } finally {
    transition = null;
  }
  if (interrupted) throw new Error('interrupted');
  log(`${name} up at ${sibling.service.baseUrl} (same database and environment, DATA_DIR ${sibling.service.dataDir})`);
  return sibling;
}

async function main() {
  const options = readOptions(process.argv.slice(2));
  if (options.list) {
    for (const s of SCENARIOS) console.log(`${s.name}\t${s.description}`);
    return 0;
  }
  const pgbench = pgbenchVersion();
  ensureBuilt();

  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'rvess-bench-'));
  cleanups.push(() => rmSync(tmpDir, { recursive: true, force: true }));
  const postgres = await withClient(options.adminUrl, async (c) => (await c.query('SHOW server_version')).rows[0].server_version);

  // The first admin, created by the service at start (scenarios that need staff log in with it).
  const admin = { email: 'bench-admin@cress.test', password: randomBytes(18).toString('base64url') };

  const results = [];
  let stack = null;
  let stacks = 0;
  /** Stops the current service and drops its database, then starts the next one if `extraEnv` is given. */
  const switchStack = async (extraEnv) => {
    if (interrupted) throw new Error('interrupted');
    transition = (async () => {
      await stack?.close();
      stack = null;
      if (extraEnv) stack = await startStack({ options, admin, tmpDir, extraEnv, index: stacks++ });
    })();
    try {
      await transition;
    } finally {
      transition = null;
    }
    if (interrupted) throw new Error('interrupted');
  };
  for (const scenario of options.scenarios) {
    const extraEnv = serviceEnvOf(scenario, options);
    if (stack?.key !== JSON.stringify(extraEnv)) await switchStack(extraEnv);
    log(`scenario ${scenario.name}`);
    const { db, service } = stack;
    // Resident memory of every service process of the scenario, from its start to its end.
    const rss = startRssSampler();
    rss.watch(scenario.serviceLabel ?? 'service', service.child.pid);
    const current = stack;
    const startSiblingHere = async (name) => {
      const sibling = await startSibling({ stack: current, tmpDir, name });
      rss.watch(name, sibling.service.child.pid);
      // Its RSS at the end is taken just before it is stopped.
      const stop = async () => {
        rss.sample();
        await sibling.stop();
      };
      return { ...sibling, stop };
    };
    const result = await scenario.run({ options, db, service, admin, tmpDir, log, rss, startSibling: startSiblingHere });
    result.memory = rss.stop();
    if (scenario.rssLimit) result.targets.push(...result.memory.map((m) => rssTarget(m, scenario.rssLimit)));
    results.push(result);
    stack.checkAlive();
  }
  await switchStack(null);

  const date = new Date();
  const ok = printReport({ options, postgres, pgbench, results, date });
  log(`results written to ${path.relative(process.cwd(), writeResults({ options, postgres, pgbench, results, date }))}`);
  return ok ? 0 : 1;
}

main()
  .then(
    (code) => (process.exitCode = code),
    (error) => {
      if (interrupted) return; // the cleanup cut the connections under the running scenario
      console.error(`bench failed: ${error instanceof UsageError ? error.message : error.stack || error.message}`);
      process.exitCode = 1;
    },
  )
  .finally(cleanup);
