'use strict';
// Scenario "bilan" — the metropolis' yearly bilan over a year of 10,000 bookings (built in SQL as the
// staff-day scenario builds its report's year, two years back so that both can share a database),
// with communes, follow-ups with orientations, and satisfaction answers with comments:
//  1. GET /staff/bilan (the page: nine sections, nine Vega-Lite charts drawn as SVG in the service's
//     worker thread, the tables) as the viewer and as the admin (who also gets the comments);
//  2. GET /staff/bilan.pdf, the same content as a PDF drawn by pdfkit;
//  3. for reference, GET /api/reports/attendance?format=xlsx over the same year, which now carries
//     the bilan's sheets (its target, < 1 s, is staff-day's).
// One request at a time (a person asks for a yearly bilan; it is not a load test); BENCH_BILAN_RUNS
// measured (10) after BENCH_BILAN_WARMUP (2) of each. Targets: page < 1 s and PDF < 3 s (max of runs).
const http = require('node:http');
const { randomBytes } = require('node:crypto');
const { withClient } = require('../lib/service');
const { summarise } = require('../lib/load');
const { login, createUser } = require('../lib/api');
const cpu = require('../lib/cpu');
const { ms, describeErrors } = require('../lib/report');
const { createOrganisationPool, buildYear, correctRegister, timedGet, ADVISORS } = require('./staff-day');

const TZ = 'Europe/Paris';
const YEAR_BOOKINGS = 10_000;
const YEAR_WORKSHOP_REGISTRATIONS = 100 * 25; // staff-day's buildYear: 100 workshops × 25
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** INSEE codes given to the year's bookings, in turn: four in Saint-Étienne Métropole, three outside, and none. */
const COMMUNES = ['42218', '42095', '42207', '42279', '69123', '38185', '43157', null];

/** Communes on the bookings, follow-ups with orientations on a third of the attended permanence bookings, answers from half the attended. */
async function addAfterTheAppointment(c, { from, to }) {
  const inYear = `(SELECT b.id, b.slot_id, b.attendance FROM bookings b
                    LEFT JOIN slots sl ON sl.id = b.slot_id LEFT JOIN permanence_sessions s ON s.id = sl.session_id
                    LEFT JOIN workshops w ON w.id = b.workshop_id
                    WHERE s.date BETWEEN $1 AND $2 OR (w.starts_at >= $1::date AND w.starts_at < $2::date + 1))`;
  await c.query(
    `UPDATE bookings b SET organisation_commune_code = ($3::text[])[1 + abs(hashtext(b.id::text)) % ${COMMUNES.length}] FROM ${inYear} y WHERE y.id = b.id`,
    [from, to, COMMUNES],
  );
  await c.query(
    `INSERT INTO booking_follow_ups (booking_id, note, orientations, created_at, updated_at)
     SELECT y.id, 'Note de suivi ' || y.id, CASE abs(hashtext(y.id::text || 'o')) % 5 WHEN 0 THEN ARRAY['dla'] WHEN 1 THEN ARRAY['france_active', 'dla'] WHEN 2 THEN ARRAY['urscop']
                 WHEN 3 THEN ARRAY['incubator', 'region'] ELSE ARRAY['other'] END,
            now(), now()
     FROM ${inYear} y WHERE y.slot_id IS NOT NULL AND y.attendance = 'present' AND abs(hashtext(y.id::text)) % 3 = 0`,
    [from, to],
  );
  await c.query(
    `INSERT INTO satisfaction_answers (booking_id, score, comment, answered_at, updated_at)
     SELECT y.id, 1 + abs(hashtext(y.id::text || 's')) % 5, CASE WHEN abs(hashtext(y.id::text)) % 4 = 0 THEN 'Commentaire de satisfaction ' || y.id END, now(), now()
     FROM ${inYear} y WHERE y.attendance = 'present' AND abs(hashtext(y.id::text || 'a')) % 2 = 0`,
    [from, to],
  );
  const {
    rows: [counts],
  } = await c.query(
    `SELECT (SELECT count(*) FROM satisfaction_answers a JOIN ${inYear} y ON y.id = a.booking_id)::int AS answers,
            (SELECT count(*) FROM satisfaction_answers a JOIN ${inYear} y ON y.id = a.booking_id WHERE a.comment IS NOT NULL)::int AS comments,
            (SELECT coalesce(sum(cardinality(f.orientations)), 0) FROM booking_follow_ups f JOIN ${inYear} y ON y.id = f.booking_id)::int AS orientations`,
    [from, to],
  );
  return counts;
}

async function run(ctx) {
  const { options, db, service, admin, log } = ctx;
  const { runs: measured, warmup } = options.bilan;
  const baseUrl = service.baseUrl;
  const problems = [];
  const tag = `bi${randomBytes(3).toString('hex')}`;

  const adminHeaders = await login(baseUrl, admin);
  const advisors = [];
  for (let k = 0; k < ADVISORS; k++)
    advisors.push(
      await createUser(baseUrl, adminHeaders, { role: 'advisor', name: `Conseillère ${k + 1} (${tag})`, email: `advisor${k + 1}-${tag}@cress.test` }),
    );
  const viewerAccount = await createUser(baseUrl, adminHeaders, { role: 'viewer', name: `Métropole (${tag})`, email: `metropole-${tag}@cress.test` });
  const viewerHeaders = await login(baseUrl, viewerAccount);
  // Pages take the access token as their session cookie.
  const cookie = (headers) => ({ cookie: `rv_session=${headers.authorization.slice('Bearer '.length)}`, accept: 'text/html' });

  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric' }).format(new Date())) - 2;
  log(`building in SQL: ${year} (${YEAR_BOOKINGS} bookings), communes, follow-ups and satisfaction answers…`);
  const t0 = performance.now();
  const { period, counts } = await withClient(db.url, async (c) => {
    const {
      rows: [{ already }],
    } = await c.query(`SELECT count(*)::int AS already FROM permanence_sessions WHERE date BETWEEN $1 AND $2`, [`${year}-01-01`, `${year}-12-31`]);
    if (already > 0) throw new Error(`${year} already has ${already} sessions in the bench database`);
    await c.query('BEGIN');
    await createOrganisationPool(c, 1200, tag);
    const period = await buildYear(c, { year, advisors, permanenceBookings: YEAR_BOOKINGS - YEAR_WORKSHOP_REGISTRATIONS, tag });
    await correctRegister(c, tag);
    const counts = await addAfterTheAppointment(c, period);
    await c.query('COMMIT');
    await c.query('ANALYZE');
    await c.query('CHECKPOINT');
    return { period, counts };
  });
  log(
    `built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${counts.answers} answers (${counts.comments} with a comment), ${counts.orientations} orientations`,
  );

  // The figures, checked once against what was built.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const json = await timedGet(agent, `${baseUrl}/api/reports/bilan?from=${period.from}&to=${period.to}`, adminHeaders);
  if (json.status !== 200) throw new Error(`GET /api/reports/bilan answered ${json.status}: ${String(json.body.subarray(0, 300))}`);
  const bilan = JSON.parse(json.body.toString('utf8'));
  const booked = bilan.months.reduce((n, m) => n + m.permanenceBookings + m.workshopRegistrations, 0);
  if (booked !== YEAR_BOOKINGS) problems.push(`the bilan counts ${booked} bookings by month, expected ${YEAR_BOOKINGS}`);
  if (bilan.satisfaction.responses !== counts.answers) problems.push(`the bilan counts ${bilan.satisfaction.responses} answers, expected ${counts.answers}`);
  if (bilan.satisfaction.comments?.length !== counts.comments)
    problems.push(`the bilan lists ${bilan.satisfaction.comments?.length} comments, expected ${counts.comments}`);
  if (bilan.orientations.given !== counts.orientations)
    problems.push(`the bilan counts ${bilan.orientations.given} orientations, expected ${counts.orientations}`);

  const query = `du=${period.from}&au=${period.to}`;
  const kinds = [
    { name: 'page (viewer)', url: `${baseUrl}/staff/bilan?${query}`, headers: cookie(viewerHeaders), type: 'text/html' },
    { name: 'page (admin)', url: `${baseUrl}/staff/bilan?${query}`, headers: cookie(adminHeaders), type: 'text/html' },
    { name: 'PDF (viewer)', url: `${baseUrl}/staff/bilan.pdf?${query}`, headers: cookie(viewerHeaders), type: 'application/pdf' },
    { name: 'PDF (admin)', url: `${baseUrl}/staff/bilan.pdf?${query}`, headers: cookie(adminHeaders), type: 'application/pdf' },
    {
      name: 'reports XLSX with the bilan (viewer)',
      url: `${baseUrl}/api/reports/attendance?from=${period.from}&to=${period.to}&format=xlsx`,
      headers: viewerHeaders,
      type: XLSX_TYPE,
    },
  ];
  const errors = [];
  log(`${warmup} warm-up + ${measured} measured GETs of each: ${kinds.map((k) => k.name).join(', ')}; one at a time…`);
  for (const kind of kinds) {
    kind.runs = [];
    kind.cpu = [];
  }
  for (let k = 0; k < warmup + measured; k++) {
    for (const kind of kinds) {
      const before = cpu.snapshot(service.child.pid);
      const res = await timedGet(agent, kind.url, kind.headers);
      const after = cpu.snapshot(service.child.pid);
      if (res.status !== 200) {
        errors.push({ status: res.status, body: String(res.body.subarray(0, 300)) });
        continue;
      }
      const type = String(res.headers['content-type'] ?? '');
      if (!type.startsWith(kind.type)) problems.push(`${kind.name} answered ${type}`);
      if (kind.type === 'text/html') {
        const html = res.body.toString('utf8');
        const charts = (html.match(/<svg\b/g) ?? []).length;
        if (charts !== 9) problems.push(`${kind.name}: ${charts} charts, expected 9`);
        if (!html.includes(bilan.sentences.organisations)) problems.push(`${kind.name}: the organisations' sentence is missing`);
        const commentShown = html.includes('Commentaire de satisfaction');
        if (commentShown !== kind.name.includes('admin')) problems.push(`${kind.name}: comments ${commentShown ? 'shown' : 'missing'}`);
      } else if (kind.type === 'application/pdf' && res.body.subarray(0, 5).toString('latin1') !== '%PDF-') problems.push(`${kind.name} is not a PDF`);
      if (k >= warmup) {
        kind.runs.push({ ms: res.ms, bytes: res.body.length });
        kind.cpu.push([before, after]);
      }
    }
  }
  agent.destroy();
  for (const kind of kinds) {
    kind.latency = summarise(kind.runs.map((r) => r.ms));
    kind.bytes = kind.runs.length ? kind.runs[kind.runs.length - 1].bytes : 0;
  }
  const ok = problems.length === 0;
  const kib = (n) => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`);
  const byName = Object.fromEntries(kinds.map((kind) => [kind.name, kind]));
  const max = (...names) => Math.max(...names.map((name) => byName[name].latency.max));
  const pageMax = max('page (viewer)', 'page (admin)');
  const pdfMax = max('PDF (viewer)', 'PDF (admin)');
  return {
    name: 'bilan',
    lines: [
      [
        'Bilan period',
        `${period.from} – ${period.to}: ${YEAR_BOOKINGS} bookings, ${bilan.organisations.total} organisations (${bilan.organisations.inMetropolis} in the metropolis), ` +
          `${counts.answers} satisfaction answers (${counts.comments} comments), ${counts.orientations} orientations; JSON answer ${ms(json.ms)} (first request)`,
      ],
      ...kinds.flatMap((kind) => [
        [
          kind.name,
          `p50 ${ms(kind.latency.p50)}, max ${ms(kind.latency.max)} (min ${ms(Math.min(...kind.runs.map((r) => r.ms)))}, mean ${ms(kind.latency.mean)}); ${kib(kind.bytes)}`,
        ],
        [`${kind.name} runs`, kind.runs.map((r) => r.ms.toFixed(0)).join(', ') + ' ms'],
        [`${kind.name} CPU use`, cpu.describe(cpu.usage(...kind.cpu), ['service', 'postgres', 'rest', 'idle'])],
      ]),
      ['Errors (non-200)', `${errors.length}${errors.length ? ` — ${describeErrors(errors)}` : ''}`],
      [
        'Invariants',
        ok ? 'ok (bookings by month, answers, comments for the admin only, orientations = SQL counts; 9 charts per page)' : `FAILED: ${problems.join('; ')}`,
      ],
    ],
    targets: [
      { name: 'no errors', value: String(errors.length), target: '0', pass: errors.length === 0 },
      { name: 'invariants', value: ok ? 'ok' : `${problems.length} broken`, target: 'ok', pass: ok },
      { name: 'bilan page, max of runs', value: ms(pageMax), target: '< 1000 ms', pass: pageMax < 1000 },
      { name: 'bilan PDF, max of runs', value: ms(pdfMax), target: '< 3000 ms', pass: pdfMax < 3000 },
    ],
    markdown: {
      header: ['scenario', 'page p50 / max', 'PDF p50 / max', 'reports XLSX with the bilan p50 / max', 'errors', 'invariants'],
      row: [
        `bilan (${YEAR_BOOKINGS} bookings/year)`,
        `${ms(Math.min(byName['page (viewer)'].latency.p50, byName['page (admin)'].latency.p50))} / ${ms(pageMax)}`,
        `${ms(Math.min(byName['PDF (viewer)'].latency.p50, byName['PDF (admin)'].latency.p50))} / ${ms(pdfMax)}`,
        `${ms(byName['reports XLSX with the bilan (viewer)'].latency.p50)} / ${ms(byName['reports XLSX with the bilan (viewer)'].latency.max)}`,
        String(errors.length),
        ok ? 'ok' : 'FAILED',
      ],
    },
  };
}

module.exports = {
  addAfterTheAppointment,
  name: 'bilan',
  description:
    'GET /staff/bilan and /staff/bilan.pdf over a year of 10,000 bookings with communes, follow-ups and satisfaction answers, as the viewer and the admin, one at a time',
  run,
};
