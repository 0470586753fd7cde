'use strict';
// Scenario "staff-day" — the advisors' day and the metropolis' reports.
//  1. GET /api/agenda?date=D on a busy day, built in SQL (setup, not measured): one permanence
//     session with 10 advisors' desks × 8 half-hour slots (6 of 8 booked), and 2 workshops with 20
//     confirmed + 10 waitlisted registrations each. Measured as the advisors (each their own desk)
//     and as an admin without advisorId (every desk), alternating over rounds, at
//     BENCH_STAFF_CONCURRENCY (16) keep-alive clients, then from one client alone (not a target).
//     Every answer must be 200 and the same bytes as a first answer whose items, bookings and counts
//     were checked against what was built (an answer that differs is parsed and checked on its own).
//     The target's measure (p99 < 20 ms): BENCH_AGENDA_RATE (200) requests a second arriving evenly,
//     whatever the pace of the answers — the 10 advisors and the admin (twice as often), accepting
//     gzip as browsers do — each timed from when it was due (an open loop: no coordinated omission),
//     after a lead-in of 2 s at that rate that is checked but not timed (the capacity rounds run
//     just before and leave their garbage behind).
//     At capacity, not a target: BENCH_STAFF_CONCURRENCY (16) clients sending again as soon as
//     answered, where latency ≈ clients ÷ throughput.
//     The service keeps each day's rows and answers (and staff accounts) while nothing was committed,
//     and checks a fingerprint of the day's rows when something was: so that answers are rebuilt and
//     accounts read again as in real use, one of the day's bookings is
//     rewritten in SQL every BENCH_AGENDA_CHANGE_MS (1000) during the measured rounds and the open
//     loop (same values, so the answers keep their bytes, but a new row version: every kept answer
//     of the day is stale). For reference, not a target: GET /api/auth/me (signed-in staff, the
//     smallest authenticated answer) at the same concurrency, the floor of any staff request here.
//  2. GET /api/reports/attendance over one past year holding 10,000 non-cancelled bookings (permanence
//     slots of every weekday's session and 100 workshops; varied legal forms, topics, postcodes,
//     communes, attendance; a few merged organisations; cancelled bookings and sessions that must not
//     count), as a viewer: format=json and format=xlsx alternately, one request at a time. Checked:
//     JSON rows = figures.bookings = the bookings built, the other figures against plain SQL counts,
//     every JSON answer byte-identical, the XLSX opened (one sheet row per booking).
const http = require('node:http');
const { randomBytes } = require('node:crypto');
const { gunzipSync } = require('node:zlib');
const { performance } = require('node:perf_hooks');
const { withClient, ROOT } = require('../lib/service');
const { Client } = require('pg');
const { request, runLoad, runOpenLoop, summarise } = require('../lib/load');
const { login, createUser } = require('../lib/api');
const cpu = require('../lib/cpu');
const { ms, describeErrors } = require('../lib/report');

const TZ = 'Europe/Paris';
const ADVISORS = 10;
const SLOTS_PER_DESK = 8; // 09:00–13:00, 30 minutes
const DESKS_PER_YEAR_SESSION = 4;
const DAY_WORKSHOPS = 2;
const DAY_CONFIRMED = 20; // = capacity: the day's workshops are full…
const DAY_WAITLISTED = 10; // …with a line
const YEAR_WORKSHOPS = 100;
const REGISTRATIONS_PER_WORKSHOP = 25;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// Booking columns from a number i and an organisation j of the pool (bench_orgs); shared by every insert.
const BOOKING_COLUMNS = `attendee_name, attendee_email, attendee_phone, organisation_name, organisation_siret, organisation_legal_form,
  organisation_postcode, topics, message, consent_at, manage_token_hash, ical_uid, created_at`;
const bookingValues = (i, j, eventStart, tag) => `
  'Personne ' || ${i}, 'personne' || ${i} || '@structure' || ${j} || '.test',
  CASE WHEN ${i} % 3 = 0 THEN NULL ELSE '04 77 ' || lpad((${i} % 100)::text, 2, '0') || ' 00 00' END,
  o.name, o.siret, o.legal_form, o.postcode,
  ARRAY(SELECT (ARRAY['collective_needs','legal_status','responsible_purchasing','essaimage','recognition','ambition_ess','regional_support','other'])[1 + (${i} * 31 + k * 3) % 8]
        FROM generate_series(1, ${i} % 4) k ORDER BY k),
  CASE WHEN ${i} % 5 = 0 THEN 'Nous souhaitons faire évoluer nos statuts (demande ' || ${i} || ').' END,
  ${eventStart} - interval '20 days', sha256(convert_to('${tag}-' || ${i}, 'UTF8')), '${tag}-' || ${i} || '@bench',
  ${eventStart} - interval '30 days' + ${i} * interval '1 second'`;
/** Organisation j of the pool for booking i: skewed, so that a few organisations come often. */
const orgOf = (i, pool) => `floor(${pool} * power(((${i}::bigint * 7919) % 10007) / 10007.0, 2))::int`;
const ATTENDANCE = (i) => `CASE (${i} * 7) % 10 WHEN 0 THEN 'absent' WHEN 1 THEN 'excused' WHEN 2 THEN NULL WHEN 3 THEN NULL ELSE 'present' END`;

/** The pool of organisations bookings name (the trigger puts them in the register): SIRET for two in three. */
async function createOrganisationPool(c, size, tag) {
  await c.query(
    `CREATE TEMP TABLE bench_orgs AS
     SELECT j,
            (ARRAY['Association', 'Coopérative', 'Collectif', 'Mutuelle', 'Fondation', 'Régie de quartier'])[1 + j % 6] || ' ${tag} n° ' || j AS name,
            CASE WHEN j % 3 <> 0 THEN lpad((91000000000000 + j * 10007)::text, 14, '0') END AS siret,
            (ARRAY['association', 'association', 'association', 'cooperative', 'cooperative', 'mutuelle', 'fondation', 'societe_commerciale_ess', 'other', NULL])[1 + (j * 7) % 10] AS legal_form,
            CASE WHEN j % 11 = 0 THEN NULL
                 ELSE (ARRAY['42000', '42100', '42300', '42400', '42500', '69001', '69003', '69007', '69100', '38000', '43000', '01000', '07100', '26000', '63000', '03100'])[1 + j % 16] END AS postcode
     FROM generate_series(0, $1::int - 1) j`,
    [size],
  );
  await c.query('CREATE UNIQUE INDEX ON bench_orgs (j)');
}

/** Part of the register corrected by admins: communes for some postcodes, and a few duplicates merged. */
async function correctRegister(c, tag) {
  await c.query(
    `UPDATE organisations o SET commune_code = m.code
     FROM (VALUES ('42000', '42218'), ('42100', '42218'), ('69001', '69123'), ('69003', '69123'), ('69007', '69123'),
                  ('38000', '38185'), ('42300', '42187'), ('63000', '63113')) m(postcode, code)
     WHERE o.postcode = m.postcode AND o.name LIKE $1 AND (hashtext(o.dedupe_key) % 4) <> 0`,
    [`% ${tag} n° %`],
  );
  // Ten organisations without a SIRET merged into the next one of the pool, which has one (admins' duplicates).
  await c.query(
    `UPDATE organisations o SET merged_into = t.id
     FROM bench_orgs a JOIN bench_orgs b ON b.j = a.j + 1 JOIN organisations t ON t.dedupe_key = 'siret:' || b.siret
     WHERE a.siret IS NULL AND a.j % 30 = 0 AND a.j < 300 AND o.dedupe_key = organisation_dedupe_key(NULL, a.name, a.postcode)`,
  );
}

/**
 * The busy day D: the first weekday from 3 weeks ahead with no session and no workshop. Returns
 * what the agenda must show.
 */
async function buildBusyDay(c, advisors, tag) {
  const {
    rows: [{ day }],
  } = await c.query(
    `SELECT d::date::text AS day FROM generate_series(current_date + 21, current_date + 800, interval '1 day') d
     WHERE extract(isodow FROM d) < 6
       AND NOT EXISTS (SELECT 1 FROM permanence_sessions s WHERE s.date = d::date)
       AND NOT EXISTS (SELECT 1 FROM workshops w WHERE (w.starts_at AT TIME ZONE '${TZ}')::date = d::date)
     ORDER BY d LIMIT 1`,
  );
  const {
    rows: [session],
  } = await c.query(
    `INSERT INTO permanence_sessions (date, starts_at, ends_at, time_zone, location, slot_minutes, slot_capacity, status, overridden)
     VALUES ($1, ($1::date + time '09:00') AT TIME ZONE '${TZ}', ($1::date + time '13:00') AT TIME ZONE '${TZ}', '${TZ}',
             'Maison de l’ESS, Saint-Étienne', 30, 1, 'scheduled', true)
     RETURNING id, starts_at`,
    [day],
  );
  await c.query(`INSERT INTO desks (session_id, position, advisor_id) SELECT $1, p, ($2::uuid[])[p] FROM generate_series(1, $3::int) p`, [
    session.id,
    advisors.map((a) => a.id),
    ADVISORS,
  ]);
  await c.query(
    `INSERT INTO slots (session_id, desk_id, starts_at, ends_at, capacity)
     SELECT $1, d.id, $2::timestamptz + k * interval '30 minutes', $2::timestamptz + (k + 1) * interval '30 minutes', 1
     FROM desks d CROSS JOIN generate_series(0, $3::int - 1) k WHERE d.session_id = $1`,
    [session.id, session.starts_at, SLOTS_PER_DESK],
  );
  // Six slots of eight booked at every desk: (k + position) % 4 <> 0.
  const { rowCount: slotBookings } = await c.query(
    `INSERT INTO bookings (slot_id, status, ${BOOKING_COLUMNS})
     SELECT x.id, 'confirmed', ${bookingValues('x.i', 'x.j', 'x.starts_at', `${tag}-day`)}
     FROM (SELECT sl.id, sl.starts_at, row_number() OVER (ORDER BY sl.starts_at, d.position)::int AS i,
                  ${orgOf('row_number() OVER (ORDER BY sl.starts_at, d.position)', 1200)} AS j
           FROM slots sl JOIN desks d ON d.id = sl.desk_id
           WHERE sl.session_id = $1 AND (extract(epoch FROM sl.starts_at - $2::timestamptz)::int / 1800 + d.position) % 4 <> 0) x
     JOIN bench_orgs o ON o.j = x.j`,
    [session.id, session.starts_at],
  );
  await c.query(`UPDATE slots sl SET booked = 1 FROM bookings b WHERE b.slot_id = sl.id AND sl.session_id = $1 AND b.status = 'confirmed'`, [session.id]);

  const workshops = [
    ['Atelier : choisir ses statuts (SCOP, SCIC, association)', '09:30', '12:00', 'Maison de l’ESS, Saint-Étienne'],
    ['Atelier : l’agrément ESUS pas à pas', '14:00', '17:00', 'https://visio.cress.example/atelier'],
  ].slice(0, DAY_WORKSHOPS);
  for (const [w, [title, start, end, location]] of workshops.entries()) {
    await insertWorkshop(c, {
      title,
      startsAt: `($1::date + time '${start}') AT TIME ZONE '${TZ}'`,
      endsAt: `($1::date + time '${end}') AT TIME ZONE '${TZ}'`,
      params: [day],
      location,
      capacity: DAY_CONFIRMED,
      registrations: DAY_CONFIRMED + DAY_WAITLISTED,
      first: 100_000 + w * 1000,
      tag: `${tag}-day-w${w}`,
      attendance: false,
    });
  }
  return {
    day,
    sessionId: session.id,
    slotBookings,
    perAdvisorBookings: slotBookings / ADVISORS,
  };
}

/**
 * One workshop with `registrations` registrations (numbered from `first`): the first `capacity`
 * confirmed, the rest waitlisted in order; the counters set to match. Cancelled: every registration
 * cancelled, counters 0.
 */
async function insertWorkshop(c, { title, startsAt, endsAt, params, location, capacity, registrations, first, tag, attendance, cancelled = false }) {
  const confirmed = cancelled ? 0 : Math.min(capacity, registrations);
  const waitlisted = cancelled ? 0 : registrations - confirmed;
  const {
    rows: [w],
  } = await c.query(
    `INSERT INTO workshops (title, description, starts_at, ends_at, time_zone, location, capacity, confirmed, waitlisted, waitlist_enabled,
                            registration_closes_at, status, cancel_reason)
     SELECT $${params.length + 1}, 'Banc d’essai.', s, e, '${TZ}', $${params.length + 2}, $${params.length + 3}, $${params.length + 4}, $${params.length + 5}, true,
            s, $${params.length + 6}, $${params.length + 7}
     FROM (SELECT ${startsAt} AS s, ${endsAt} AS e) t
     RETURNING id, starts_at`,
    [...params, title, location, capacity, confirmed, waitlisted, cancelled ? 'cancelled' : 'scheduled', cancelled ? 'Intervenant absent' : null],
  );
  // In order of r, so that the waitlist sequence follows it.
  await c.query(
    `INSERT INTO bookings (workshop_id, status, waitlist_seq, attendance, cancelled_at, cancelled_by, ${BOOKING_COLUMNS})
     SELECT $1, x.status, CASE WHEN x.status = 'waitlisted' THEN nextval('bookings_waitlist_seq') END,
            CASE WHEN x.status = 'confirmed' AND $6 THEN ${ATTENDANCE('x.i')} END,
            CASE WHEN x.status = 'cancelled' THEN $2::timestamptz - interval '3 days' END, CASE WHEN x.status = 'cancelled' THEN 'attendee' END,
            ${bookingValues('x.i', 'x.j', '$2::timestamptz', tag)}
     FROM (SELECT r, $4::int + r AS i, ${orgOf('($4::int + r)', 1200)} AS j,
                  CASE WHEN $5 THEN 'cancelled' WHEN r <= $3 THEN 'confirmed' ELSE 'waitlisted' END AS status
           FROM generate_series(1, $7::int) r ORDER BY r) x
     JOIN bench_orgs o ON o.j = x.j
     ORDER BY x.r`,
    [w.id, w.starts_at, capacity, first, cancelled, attendance, registrations],
  );
  return w.id;
}

/**
 * The report's year Y (last year: nothing else in the database is in it): a session every weekday
 * (every 20th cancelled), 4 desks × 8 slots; `permanenceBookings` of the held slots booked, plus
 * cancelled bookings; 100 workshops × 25 registrations (full, most with a line) and 2 cancelled ones.
 */
async function buildYear(c, { year, advisors, permanenceBookings, tag }) {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  await c.query(
    `INSERT INTO permanence_sessions (date, starts_at, ends_at, time_zone, location, slot_minutes, slot_capacity, status, status_reason, overridden)
     SELECT d, (d + time '09:00') AT TIME ZONE '${TZ}', (d + time '13:00') AT TIME ZONE '${TZ}', '${TZ}', 'Maison de l’ESS, Saint-Étienne', 30, 1,
            CASE WHEN n % 20 = 7 THEN 'cancelled' ELSE 'scheduled' END, CASE WHEN n % 20 = 7 THEN 'Salle indisponible' END, true
     FROM (SELECT d::date AS d, row_number() OVER (ORDER BY d) AS n FROM generate_series($1::date, $2::date, interval '1 day') d
           WHERE extract(isodow FROM d) < 6) x`,
    [from, to],
  );
  await c.query(
    `INSERT INTO desks (session_id, position, advisor_id)
     SELECT s.id, p, ($3::uuid[])[1 + (s.n + p) % ${ADVISORS}]
     FROM (SELECT id, row_number() OVER (ORDER BY date) AS n FROM permanence_sessions WHERE date BETWEEN $1 AND $2) s
     CROSS JOIN generate_series(1, ${DESKS_PER_YEAR_SESSION}) p`,
    [from, to, advisors.map((a) => a.id)],
  );
  await c.query(
    `INSERT INTO slots (session_id, desk_id, starts_at, ends_at, capacity, bookable)
     SELECT s.id, d.id, s.starts_at + k * interval '30 minutes', s.starts_at + (k + 1) * interval '30 minutes', 1, s.status = 'scheduled'
     FROM permanence_sessions s JOIN desks d ON d.session_id = s.id CROSS JOIN generate_series(0, ${SLOTS_PER_DESK - 1}) k
     WHERE s.date BETWEEN $1 AND $2`,
    [from, to],
  );
  const {
    rows: [{ held }],
  } = await c.query(
    `SELECT count(*)::int AS held FROM slots sl JOIN permanence_sessions s ON s.id = sl.session_id WHERE s.date BETWEEN $1 AND $2 AND sl.bookable`,
    [from, to],
  );
  if (held < permanenceBookings) throw new Error(`only ${held} bookable slots in ${year} for ${permanenceBookings} permanence bookings`);
  // Which slots are booked: a pseudo-random choice, so free slots are spread over the year.
  await c.query(
    `INSERT INTO bookings (slot_id, status, attendance, ${BOOKING_COLUMNS})
     SELECT x.id, 'confirmed', ${ATTENDANCE('x.i')}, ${bookingValues('x.i', 'x.j', 'x.starts_at', `${tag}-year`)}
     FROM (SELECT c.id, c.starts_at, c.i, ${orgOf('c.i', 1200)} AS j
           FROM (SELECT sl.id, sl.starts_at, row_number() OVER (ORDER BY md5(sl.id::text))::int AS i
                 FROM slots sl JOIN permanence_sessions s ON s.id = sl.session_id
                 WHERE s.date BETWEEN $1 AND $2 AND sl.bookable) c
           WHERE c.i <= $3) x
     JOIN bench_orgs o ON o.j = x.j`,
    [from, to, permanenceBookings],
  );
  await c.query(
    `UPDATE slots sl SET booked = 1 FROM bookings b JOIN permanence_sessions s ON s.date BETWEEN $1 AND $2
     WHERE b.slot_id = sl.id AND sl.session_id = s.id AND b.status = 'confirmed'`,
    [from, to],
  );
  // One cancelled booking on every 25th booked slot (another person, cancelled before): not counted.
  await c.query(
    `INSERT INTO bookings (slot_id, status, cancelled_at, cancelled_by, ${BOOKING_COLUMNS})
     SELECT x.id, 'cancelled', x.starts_at - interval '2 days', 'attendee', ${bookingValues('x.i', 'x.j', 'x.starts_at', `${tag}-cancelled`)}
     FROM (SELECT sl.id, sl.starts_at, 500000 + row_number() OVER (ORDER BY sl.starts_at, sl.id)::int AS i, ${orgOf('row_number() OVER (ORDER BY sl.starts_at, sl.id)', 1200)} AS j
           FROM slots sl JOIN permanence_sessions s ON s.id = sl.session_id
           WHERE s.date BETWEEN $1 AND $2 AND sl.booked = 1 AND hashtext(sl.id::text) % 25 = 0) x
     JOIN bench_orgs o ON o.j = x.j`,
    [from, to],
  );
  // Workshops: every 3.6 days from 6 January, 14:00; capacity 15–27 for 25 registrations each.
  for (let k = 0; k < YEAR_WORKSHOPS + 2; k++) {
    const cancelled = k >= YEAR_WORKSHOPS;
    const dayOffset = cancelled ? 40 + (k - YEAR_WORKSHOPS) * 150 : 5 + Math.floor((k * 355) / YEAR_WORKSHOPS);
    await insertWorkshop(c, {
      title: `Atelier ${k + 1} — ${['statuts associatifs', 'SCIC et SCOP', 'agrément ESUS', 'gouvernance partagée', 'achats responsables'][k % 5]}`,
      startsAt: `(($1::date + $2::int) + time '14:00') AT TIME ZONE '${TZ}'`,
      endsAt: `(($1::date + $2::int) + time '17:00') AT TIME ZONE '${TZ}'`,
      params: [from, dayOffset],
      location: ['Maison de l’ESS, Saint-Étienne', 'CRESS, Lyon', 'https://visio.cress.example/atelier'][k % 3],
      capacity: 15 + (k % 13),
      registrations: cancelled ? 5 : REGISTRATIONS_PER_WORKSHOP,
      first: 200_000 + k * 100,
      tag: `${tag}-year-w${k}`,
      attendance: true,
      cancelled,
    });
  }
  return { from, to };
}

/** What the report must say, counted in plain SQL over what was built (and whatever else is in the year). */
async function expectedFigures(c, { from, to }) {
  const {
    rows: [e],
  } = await c.query(
    `WITH y AS (
       SELECT b.*, 'permanence' AS kind FROM bookings b JOIN slots sl ON sl.id = b.slot_id JOIN permanence_sessions s ON s.id = sl.session_id
       WHERE s.date BETWEEN $1 AND $2
       UNION ALL
       SELECT b.*, 'atelier' FROM bookings b JOIN workshops w ON w.id = b.workshop_id
       WHERE w.starts_at >= ($1::date + time '00:00') AT TIME ZONE '${TZ}' AND w.starts_at < ($2::date + 1 + time '00:00') AT TIME ZONE '${TZ}')
     SELECT count(*) FILTER (WHERE status <> 'cancelled')::int AS bookings,
            count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
            count(*) FILTER (WHERE status = 'confirmed' AND kind = 'permanence')::int AS "slotsBooked",
            count(*) FILTER (WHERE status <> 'cancelled' AND kind = 'atelier')::int AS registrations,
            count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
            count(*) FILTER (WHERE attendance = 'present')::int AS attended,
            count(*) FILTER (WHERE attendance = 'absent')::int AS "noShows",
            count(*) FILTER (WHERE attendance = 'excused')::int AS excused,
            coalesce(sum(cardinality(topics)) FILTER (WHERE status <> 'cancelled'), 0)::int AS topics,
            count(DISTINCT organisation_id) FILTER (WHERE status <> 'cancelled')::int AS "registerEntries",
            (SELECT count(*) FROM permanence_sessions WHERE date BETWEEN $1 AND $2 AND status = 'scheduled')::int AS "permanencesHeld",
            (SELECT count(*) FROM permanence_sessions WHERE date BETWEEN $1 AND $2 AND status = 'cancelled')::int AS "permanencesCancelled",
            (SELECT count(*) FROM slots sl JOIN permanence_sessions s ON s.id = sl.session_id WHERE s.date BETWEEN $1 AND $2 AND s.status = 'scheduled')::int AS "slotsOffered",
            (SELECT count(*) FROM workshops WHERE starts_at >= ($1::date + time '00:00') AT TIME ZONE '${TZ}' AND starts_at < ($2::date + 1 + time '00:00') AT TIME ZONE '${TZ}')::int AS workshops
     FROM y`,
    [from, to],
  );
  return e;
}

// --- agenda -------------------------------------------------------------------------------------

/** Checks one parsed agenda answer against the busy day; returns the problems found. */
function checkAgenda(body, { day, perAdvisorBookings, slotBookings }, advisor) {
  const problems = [];
  const expect = (what, got, want) => {
    if (got !== want) problems.push(`${what}: ${got}, expected ${want}`);
  };
  const slots = body.items.filter((item) => item.type === 'slot');
  const workshops = body.items.filter((item) => item.type === 'workshop');
  const desks = advisor ? 1 : ADVISORS;
  const booked = advisor ? perAdvisorBookings : slotBookings;
  const registrations = DAY_WORKSHOPS * DAY_CONFIRMED;
  const waitlisted = DAY_WORKSHOPS * DAY_WAITLISTED;
  expect('date', body.date, day);
  expect('advisor', body.advisor?.id ?? null, advisor ? advisor.id : null);
  expect('items', body.items.length, desks * SLOTS_PER_DESK + DAY_WORKSHOPS);
  expect('slot items', slots.length, desks * SLOTS_PER_DESK);
  expect('workshop items', workshops.length, DAY_WORKSHOPS);
  if (advisor && slots.some((slot) => slot.advisor?.id !== advisor.id)) problems.push('a slot of another advisor’s desk');
  expect(
    'bookings on the slots',
    slots.reduce((n, slot) => n + slot.bookings.length, 0),
    booked,
  );
  expect(
    'bookings on the workshops',
    workshops.reduce((n, w) => n + w.bookings.length, 0),
    registrations + waitlisted,
  );
  const positions = workshops.flatMap((w) => w.bookings.filter((b) => b.status === 'waitlisted').map((b) => b.waitlistPosition));
  expect('waitlist positions', positions.join(','), workshops.map(() => Array.from({ length: DAY_WAITLISTED }, (_, k) => k + 1).join(',')).join(','));
  const sorted = body.items.every((item, k) => k === 0 || body.items[k - 1].startsAt <= item.startsAt);
  if (!sorted) problems.push('items not in time order');
  const want = {
    slots: desks * SLOTS_PER_DESK,
    bookedSlots: booked,
    freeSlots: desks * SLOTS_PER_DESK - booked,
    workshops: DAY_WORKSHOPS,
    registrations,
    waitlisted,
    bookings: booked + registrations,
    present: 0,
    absent: 0,
    excused: 0,
    unrecorded: booked + registrations,
  };
  for (const [key, value] of Object.entries(want)) expect(`counts.${key}`, body.counts?.[key], value);
  return problems;
}

/**
 * Agenda requests: request i goes to viewer `who(i)`; every 200 must equal that viewer's reference
 * bytes, else be parsed and checked. Returns the load result with `bad` (invalid) and `differing`.
 */
async function agendaLoad({ baseUrl, day, viewers, concurrency, rate, lead, total, pick, built, gzip = false }) {
  const bad = { count: 0, first: null };
  let differing = 0;
  const result = await (rate ? runOpenLoop : runLoad)({
    concurrency,
    rate,
    lead,
    total,
    make: (i) => ({ url: `${baseUrl}/api/agenda?date=${day}`, headers: gzip ? viewers[pick(i)].gzipHeaders : viewers[pick(i)].headers, raw: true }),
    onResponse: (i, res) => {
      if (res.status !== 200) return;
      const viewer = viewers[pick(i)];
      if (res.body.equals(gzip ? viewer.gzipReference : viewer.reference)) return;
      differing++;
      let problems;
      try {
        if (gzip && res.headers['content-encoding'] !== 'gzip') throw new Error(`content-encoding ${res.headers['content-encoding']}`);
        problems = checkAgenda(JSON.parse((gzip ? gunzipSync(res.body) : res.body).toString('utf8')), built, viewer.advisor);
      } catch (error) {
        problems = [`unparsable: ${error.message}`];
      }
      if (problems.length) {
        bad.count++;
        bad.first ??= `${viewer.label}: ${problems.join('; ')}`;
      }
    },
  });
  return { ...result, bad, differing };
}

/**
 * Rewrites one of the day's bookings every `everyMs` (the next one each time) with the values it has:
 * a new row version, so the service's kept answers of the day are stale, and the same answer bytes.
 * Returns stop(), which resolves to the number of changes made.
 */
async function startChanges(databaseUrl, day, everyMs) {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  const { rows } = await c.query(
    `SELECT b.id FROM bookings b JOIN slots sl ON sl.id = b.slot_id JOIN permanence_sessions s ON s.id = sl.session_id WHERE s.date = $1 ORDER BY b.id`,
    [day],
  );
  let made = 0;
  let failure = null;
  let running = Promise.resolve();
  const timer = setInterval(() => {
    running = c
      .query('UPDATE bookings SET attendance_note = attendance_note WHERE id = $1', [rows[made % rows.length].id])
      .then(() => made++)
      .catch((error) => (failure ??= error));
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
    await c.end();
    if (failure) throw failure;
    return made;
  };
}

// --- report -------------------------------------------------------------------------------------

async function timedGet(agent, url, headers) {
  const t0 = performance.now();
  const res = await request(agent, url, { headers, raw: true });
  return { ...res, ms: performance.now() - t0 };
}

function checkReportJson(report, expected, year) {
  const problems = [];
  const expect = (what, got, want) => {
    if (got !== want) problems.push(`${what}: ${got}, expected ${want}`);
  };
  const f = report.figures;
  expect('from', report.from, `${year}-01-01`);
  expect('to', report.to, `${year}-12-31`);
  expect('rows', report.rows.length, expected.bookings);
  for (const key of ['bookings', 'slotsBooked', 'attended', 'noShows', 'excused', 'permanencesHeld', 'permanencesCancelled', 'slotsOffered'])
    expect(`figures.${key}`, f[key], expected[key]);
  expect('figures.workshops', f.workshops.length, expected.workshops);
  expect(
    'Σ byLegalForm',
    f.byLegalForm.reduce((n, r) => n + r.bookings, 0),
    expected.bookings,
  );
  expect(
    'Σ byCommune',
    f.byCommune.reduce((n, r) => n + r.bookings, 0),
    expected.bookings,
  );
  expect(
    'Σ byTopic',
    f.byTopic.reduce((n, r) => n + r.bookings, 0),
    expected.topics,
  );
  expect(
    'Σ workshops registered + waitlisted',
    f.workshops.reduce((n, w) => n + w.registered + w.waitlisted, 0),
    expected.registrations,
  );
  expect('rows atelier', report.rows.filter((r) => r.kind === 'atelier').length, expected.registrations);
  expect('rows liste d’attente', report.rows.filter((r) => r.status === 'liste d’attente').length, expected.waitlisted);
  if (!(f.organisations > 0 && f.organisations < expected.registerEntries)) {
    problems.push(`figures.organisations ${f.organisations}: expected fewer than the ${expected.registerEntries} register entries named (some are merged)`);
  }
  if (!f.byCommune.some((r) => r.commune === 'Saint-Étienne' && r.area === 'inMetropolis') || !f.byCommune.some((r) => r.area === 'unknown'))
    problems.push('byCommune lacks the register’s communes in the metropolis or the bookings of no known commune');
  const areas = ['inMetropolis', 'outsideMetropolis', 'unknown'];
  expect(
    'Σ byArea bookings',
    areas.reduce((n, area) => n + f.byArea[area].bookings, 0),
    f.bookings,
  );
  return problems;
}

/** Opens the workbook (exceljs, as the service writes it): the bookings sheet has a row per booking. */
async function checkXlsx(bytes, expected) {
  const problems = [];
  let Workbook;
  try {
    ({ Workbook } = require(require.resolve('exceljs', { paths: [ROOT] })));
  } catch {
    return ['exceljs not found: the workbook was not opened'];
  }
  const workbook = new Workbook();
  await workbook.xlsx.load(bytes);
  const rows = workbook.getWorksheet('Rendez-vous');
  const summary = workbook.getWorksheet('Synthèse');
  if (!rows || !summary) return ['the workbook lacks the "Synthèse" or "Rendez-vous" sheet'];
  if (rows.actualRowCount !== expected.bookings + 1)
    problems.push(`"Rendez-vous" has ${rows.actualRowCount} rows, expected ${expected.bookings + 1} (header + bookings)`);
  let figure = null;
  summary.eachRow((row) => {
    if (String(row.getCell(1).value).startsWith('Réservations et inscriptions')) figure = row.getCell(2).value;
  });
  if (figure !== expected.bookings) problems.push(`"Synthèse" counts ${figure} bookings, expected ${expected.bookings}`);
  return problems;
}

// --- run ----------------------------------------------------------------------------------------

async function run(ctx) {
  const { options, db, service, admin, log } = ctx;
  const { concurrency, requests, warmup, rounds, changeMs, openRate, openRequests, reportBookings, reportRuns, reportWarmup } = options.staff;
  const baseUrl = service.baseUrl;
  const problems = [];
  const tag = `sd${randomBytes(3).toString('hex')}`;

  // Staff through the API (they must sign in): 10 advisors, and the metropolis' viewer.
  const adminHeaders = await login(baseUrl, admin);
  log(`creating ${ADVISORS} advisors and a viewer, signing them in…`);
  const advisors = [];
  for (let k = 0; k < ADVISORS; k++)
    advisors.push(
      await createUser(baseUrl, adminHeaders, { role: 'advisor', name: `Conseillère ${k + 1} (${tag})`, email: `advisor${k + 1}-${tag}@cress.test` }),
    );
  const viewerAccount = await createUser(baseUrl, adminHeaders, { role: 'viewer', name: `Métropole (${tag})`, email: `metropole-${tag}@cress.test` });
  for (const a of advisors) a.headers = await login(baseUrl, a);
  const viewerHeaders = await login(baseUrl, viewerAccount);

  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric' }).format(new Date())) - 1;
  const permanenceBookings = reportBookings - YEAR_WORKSHOPS * REGISTRATIONS_PER_WORKSHOP;
  if (permanenceBookings < 1000) throw new Error(`BENCH_REPORT_BOOKINGS must be at least ${1000 + YEAR_WORKSHOPS * REGISTRATIONS_PER_WORKSHOP}`);
  log(`building in SQL: a busy day (${ADVISORS} desks × ${SLOTS_PER_DESK} slots, ${DAY_WORKSHOPS} full workshops) and ${year} (${reportBookings} bookings)…`);
  const t0 = performance.now();
  const { built, period, expected, others } = await withClient(db.url, async (c) => {
    await c.query('BEGIN');
    await createOrganisationPool(c, 1200, tag);
    const built = await buildBusyDay(c, advisors, tag);
    const period = await buildYear(c, { year, advisors, permanenceBookings, tag });
    await correctRegister(c, tag);
    await c.query('COMMIT');
    await c.query('ANALYZE');
    await c.query('CHECKPOINT');
    const expected = await expectedFigures(c, period);
    const {
      rows: [others],
    } = await c.query(`SELECT (SELECT count(*) FROM bookings)::int AS bookings, (SELECT count(*) FROM organisations)::int AS organisations`);
    return { built, period, expected, others };
  });
  log(
    `built in ${((performance.now() - t0) / 1000).toFixed(1)} s: day ${built.day}; ${year}: ${expected.bookings} bookings (+${expected.cancelled} cancelled), ${others.bookings} bookings and ${others.organisations} organisations in the database`,
  );
  if (expected.bookings !== reportBookings) problems.push(`${expected.bookings} non-cancelled bookings in ${year}, expected ${reportBookings}`);

  // ---- 1. Agenda.
  const agent = new http.Agent({ keepAlive: false });
  const viewers = [];
  for (const a of [...advisors, null]) {
    const label = a ? `advisor ${a.name}` : 'admin, every desk';
    const res = await request(agent, `${baseUrl}/api/agenda?date=${built.day}`, { headers: a ? a.headers : adminHeaders, raw: true });
    if (res.status !== 200) throw new Error(`GET /api/agenda as ${label} answered ${res.status}: ${String(res.body.subarray(0, 300))}`);
    const found = checkAgenda(JSON.parse(res.body.toString('utf8')), built, a);
    if (found.length) problems.push(`agenda as ${label}: ${found.join('; ')}`);
    viewers.push({ label, advisor: a, headers: a ? a.headers : adminHeaders, reference: res.body });
  }
  agent.destroy();
  const adminViewer = viewers.length - 1;
  const advisorPick = (i) => i % ADVISORS;
  const adminPick = () => adminViewer;
  const sizes = { advisor: viewers[0].reference.length, admin: viewers[adminViewer].reference.length };

  log(`agenda warm-up: ${warmup} advisor + ${warmup} admin GETs, ${concurrency} clients…`);
  for (const pick of [advisorPick, adminPick]) {
    const warm = await agendaLoad({ baseUrl, day: built.day, viewers, concurrency, total: warmup, pick, built });
    if (warm.errors.length) throw new Error(`agenda warm-up failed: ${describeErrors(warm.errors)}`);
  }
  const kinds = { advisor: { pick: advisorPick, rounds: [] }, admin: { pick: adminPick, rounds: [] } };
  const stopChanges = await startChanges(db.url, built.day, changeMs);
  for (let round = 0; round < rounds; round++) {
    const count = Math.floor((requests * (round + 1)) / rounds) - Math.floor((requests * round) / rounds);
    for (const [name, kind] of Object.entries(kinds)) {
      log(`agenda round ${round + 1}/${rounds} — ${name}: ${count} GETs, ${concurrency} clients…`);
      const before = cpu.snapshot(service.child.pid);
      const r = await agendaLoad({ baseUrl, day: built.day, viewers, concurrency, total: count, pick: kind.pick, built });
      kind.rounds.push({ ...r, cpu: [before, cpu.snapshot(service.child.pid)] });
    }
  }
  // The target's measure: requests arriving at a steady rate whatever the pace of the answers, as
  // people ask — the ten advisors and the admin, the admin twice as often as each advisor, each
  // accepting gzip as browsers do.
  const openPick = (i) => (i % (ADVISORS + 2) < ADVISORS ? i % (ADVISORS + 2) : adminViewer);
  log(`agenda at ${openRate} requests/s: ${openRequests} GETs as the advisors and the admin, after ${openRate * 2} at that rate not timed…`);
  const gzipAgent = new http.Agent({ keepAlive: false });
  for (const viewer of viewers) {
    // As browsers ask (Accept-Encoding: gzip): the gzip bytes, checked once to hold the reference.
    viewer.gzipHeaders = { ...viewer.headers, 'accept-encoding': 'gzip' };
    const res = await request(gzipAgent, `${baseUrl}/api/agenda?date=${built.day}`, { headers: viewer.gzipHeaders, raw: true });
    if (res.status !== 200 || res.headers['content-encoding'] !== 'gzip')
      throw new Error(`GET /api/agenda with gzip as ${viewer.label}: ${res.status}, ${res.headers['content-encoding']}`);
    if (!gunzipSync(res.body).equals(viewer.reference)) problems.push(`the gzip answer as ${viewer.label} is not the identity answer`);
    viewer.gzipReference = res.body;
  }
  gzipAgent.destroy();
  const lead = openRate * 2;
  const openBefore = cpu.snapshot(service.child.pid);
  const open = await agendaLoad({ baseUrl, day: built.day, viewers, rate: openRate, lead, total: openRequests, pick: openPick, built, gzip: true });
  open.cpu = cpu.usage([openBefore, cpu.snapshot(service.child.pid)]);
  const changesMade = await stopChanges();
  if (open.bad.count) problems.push(`${open.bad.count} agenda answers wrong at ${openRate}/s (first: ${open.bad.first})`);
  const openBy = { advisor: [], admin: [] };
  open.latencies.forEach((value, k) => openBy[openPick(lead + k) === adminViewer ? 'admin' : 'advisor'].push(value));
  const atRate = { advisor: summarise(openBy.advisor), admin: summarise(openBy.admin) };
  // For reference: the smallest authenticated answer, as the advisors in turn, at the same concurrency.
  log(`floor: ${requests} GET /api/auth/me, ${concurrency} clients…`);
  const floor = await runLoad({
    concurrency,
    total: requests,
    make: (i) => ({ url: `${baseUrl}/api/auth/me`, headers: viewers[advisorPick(i)].headers, raw: true }),
  });
  // For comparison, one client alone: the latency of a request that does not queue behind others.
  const alone = Math.min(500, requests);
  log(`agenda, one client: ${alone} advisor + ${alone} admin GETs…`);
  const single = {};
  for (const [name, kind] of Object.entries(kinds)) {
    single[name] = await agendaLoad({ baseUrl, day: built.day, viewers, concurrency: 1, total: alone, pick: kind.pick, built });
  }
  const agenda = {};
  for (const [name, kind] of Object.entries(kinds)) {
    const elapsedMs = kind.rounds.reduce((n, r) => n + r.elapsedMs, 0);
    agenda[name] = {
      rate: (requests * 1000) / elapsedMs,
      latency: summarise(kind.rounds.flatMap((r) => Array.from(r.latencies))),
      p99s: kind.rounds.map((r) => r.latency.p99),
      rates: kind.rounds.map((r) => r.rate),
      errors: [...kind.rounds, single[name]].flatMap((r) => r.errors),
      bad: [...kind.rounds, single[name]].reduce((n, r) => n + r.bad.count, 0),
      badFirst: [...kind.rounds, single[name]].map((r) => r.bad.first).find(Boolean),
      differing: [...kind.rounds, single[name]].reduce((n, r) => n + r.differing, 0),
      cpu: cpu.usage(...kind.rounds.map((r) => r.cpu)),
    };
    if (agenda[name].bad) problems.push(`${agenda[name].bad} ${name} agenda answers wrong (first: ${agenda[name].badFirst})`);
  }

  // ---- 2. Report, one request at a time, JSON and XLSX alternately.
  const reportUrl = (format) => `${baseUrl}/api/reports/attendance?from=${period.from}&to=${period.to}&format=${format}`;
  const reportAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const reportErrors = [];
  const runs = { json: [], xlsx: [] };
  const cpuPairs = { json: [], xlsx: [] };
  let jsonReference = null;
  let xlsxSample = null;
  let jsonDiffering = 0;
  log(`report: ${reportWarmup} warm-up + ${reportRuns} measured GETs of each format over ${year}, one at a time…`);
  for (let k = 0; k < reportWarmup + reportRuns; k++) {
    for (const format of ['json', 'xlsx']) {
      const before = cpu.snapshot(service.child.pid);
      const res = await timedGet(reportAgent, reportUrl(format), viewerHeaders);
      const after = cpu.snapshot(service.child.pid);
      if (res.status !== 200) {
        reportErrors.push({ status: res.status, body: String(res.body.subarray(0, 300)) });
        continue;
      }
      const type = String(res.headers['content-type'] ?? '');
      if (format === 'json') {
        if (!type.startsWith('application/json')) problems.push(`report JSON answered ${type}`);
        if (!jsonReference) {
          const found = checkReportJson(JSON.parse(res.body.toString('utf8')), expected, year);
          if (found.length) problems.push(`report JSON: ${found.join('; ')}`);
          jsonReference = res.body;
        } else if (!res.body.equals(jsonReference)) {
          jsonDiffering++;
          const found = checkReportJson(JSON.parse(res.body.toString('utf8')), expected, year);
          if (found.length) problems.push(`report JSON (run ${k + 1}): ${found.join('; ')}`);
        }
      } else {
        if (type !== XLSX_TYPE) problems.push(`report XLSX answered ${type}`);
        if (res.body.subarray(0, 2).toString('latin1') !== 'PK') problems.push(`report XLSX run ${k + 1} is not a zip`);
        xlsxSample ??= res.body;
      }
      if (k >= reportWarmup) {
        runs[format].push({ ms: res.ms, bytes: res.body.length });
        cpuPairs[format].push([before, after]);
      }
    }
  }
  reportAgent.destroy();
  if (xlsxSample) {
    const found = await checkXlsx(xlsxSample, expected);
    if (found.length) problems.push(`report XLSX: ${found.join('; ')}`);
  }
  const report = {};
  for (const format of ['json', 'xlsx']) {
    const values = runs[format].map((r) => r.ms);
    report[format] = {
      latency: summarise(values),
      runs: values,
      bytes: runs[format].length ? runs[format][runs[format].length - 1].bytes : 0,
      cpu: cpu.usage(...cpuPairs[format]),
    };
  }

  // ---- The report.
  const agendaErrors = [...agenda.advisor.errors, ...agenda.admin.errors, ...open.errors, ...floor.errors];
  const errors = [...agendaErrors, ...reportErrors];
  const ok = problems.length === 0;
  const latency = (l) => `p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)}, max ${ms(l.max)} (mean ${ms(l.mean)})`;
  const perRound = (values, f) => values.map(f).join(' / ');
  const kib = (n) => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`);
  const reportMax = { json: report.json.latency.max, xlsx: report.xlsx.latency.max };
  const agendaLine = (name) => {
    const a = agenda[name];
    const one = single[name].latency;
    return [
      [`Agenda ${name} throughput`, `${a.rate.toFixed(0)} answers/s (rounds ${perRound(a.rates, (v) => v.toFixed(0))})`],
      [`Agenda ${name} latency`, `${latency(a.latency)}; p99 per round ${perRound(a.p99s, (v) => v.toFixed(1))} ms`],
      [`Agenda ${name} CPU use`, cpu.describe(a.cpu, ['service', 'loadGenerator', 'postgres', 'rest', 'idle'])],
      [`Agenda ${name}, one client`, `p50 ${ms(one.p50)}, p99 ${ms(one.p99)}, max ${ms(one.max)} (${alone} GETs; not a target)`],
    ];
  };
  const reportLine = (format) => {
    const r = report[format];
    return [
      [
        `Report ${format.toUpperCase()}`,
        `p50 ${ms(r.latency.p50)}, max ${ms(r.latency.max)} (min ${ms(Math.min(...r.runs))}, mean ${ms(r.latency.mean)}); ${kib(r.bytes)}`,
      ],
      [`Report ${format.toUpperCase()} runs`, r.runs.map((v) => v.toFixed(0)).join(', ') + ' ms'],
      [`Report ${format.toUpperCase()} CPU use`, cpu.describe(r.cpu, ['service', 'postgres', 'rest', 'idle'])],
    ];
  };
  return {
    name: 'staff-day',
    lines: [
      [
        'Busy day',
        `${built.day}: ${ADVISORS} desks × ${SLOTS_PER_DESK} slots (${built.slotBookings} booked) + ${DAY_WORKSHOPS} workshops × (${DAY_CONFIRMED} confirmed + ${DAY_WAITLISTED} waitlisted); ` +
          `answer ${kib(sizes.advisor)} (an advisor: ${SLOTS_PER_DESK + DAY_WORKSHOPS} items), ${kib(sizes.admin)} (admin, every desk: ${ADVISORS * SLOTS_PER_DESK + DAY_WORKSHOPS} items)`,
      ],
      [
        'Agenda requests',
        `at ${openRate}/s (the target's measure), then at capacity: ${requests} as the ${ADVISORS} advisors in turn + ${requests} as an admin (+${warmup} + ${warmup} warm-up), ${concurrency} concurrent clients sending again as soon as answered, keep-alive, ${rounds} alternating rounds; ` +
          `${changesMade} changes to the day's bookings during both (one every ${changeMs} ms); then one client alone`,
      ],
      [
        `Agenda at ${openRate} requests/s`,
        `${openRequests} GETs due evenly over ${(openRequests / openRate).toFixed(0)} s after a lead-in of 2 s at that rate (the 10 advisors and the admin, the admin twice as often), latency from when each was due; ` +
          `the generator sent at most ${ms(open.lateMs)} late`,
      ],
      [`Agenda advisor at ${openRate}/s`, `${latency(atRate.advisor)} (${atRate.advisor.count} GETs)`],
      [`Agenda admin at ${openRate}/s`, `${latency(atRate.admin)} (${atRate.admin.count} GETs)`],
      [`Agenda at ${openRate}/s CPU use`, cpu.describe(open.cpu, ['service', 'loadGenerator', 'postgres', 'rest', 'idle'])],
      ...agendaLine('advisor'),
      ...agendaLine('admin'),
      [
        'Floor: GET /api/auth/me',
        `${floor.rate.toFixed(0)} answers/s, ${latency(floor.latency)} (${requests} GETs as the advisors, ${concurrency} clients; not a target)`,
      ],
      [
        'Report period',
        `${period.from} – ${period.to}: ${expected.bookings} bookings (${expected.slotsBooked} permanence, ${expected.registrations} workshop of which ${expected.waitlisted} waitlisted; ` +
          `+${expected.cancelled} cancelled), ${expected.permanencesHeld} sessions held + ${expected.permanencesCancelled} cancelled, ${expected.slotsOffered} slots, ${expected.workshops} workshops; ` +
          `${others.bookings} bookings in the database`,
      ],
      ['Report requests', `${reportRuns} of each format (+${reportWarmup} warm-up), as a viewer, one at a time, JSON and XLSX alternately`],
      ...reportLine('json'),
      ...reportLine('xlsx'),
      ['Errors (non-200)', `${errors.length}${errors.length ? ` — ${describeErrors(errors)}` : ''}`],
      [
        'Invariants',
        ok
          ? `ok (every agenda answer = a checked reference: items, bookings, waitlist 1..${DAY_WAITLISTED}, counts${
              agenda.advisor.differing + agenda.admin.differing ? `; ${agenda.advisor.differing + agenda.admin.differing} differing bytes, each checked` : ''
            }; report rows = figures.bookings = ${expected.bookings}, figures = SQL counts, JSON answers identical${jsonDiffering ? ` but ${jsonDiffering}, checked` : ''}, XLSX has ${expected.bookings} rows)`
          : `FAILED: ${problems.join('; ')}`,
      ],
    ],
    targets: [
      { name: 'no errors', value: String(errors.length), target: '0', pass: errors.length === 0 },
      { name: 'invariants', value: ok ? 'ok' : `${problems.length} broken`, target: 'ok', pass: ok },
      { name: `agenda p99 at ${openRate}/s (advisor)`, value: ms(atRate.advisor.p99), target: '< 20 ms', pass: atRate.advisor.p99 < 20 },
      { name: `agenda p99 at ${openRate}/s (admin, every desk)`, value: ms(atRate.admin.p99), target: '< 20 ms', pass: atRate.admin.p99 < 20 },
      { name: 'report JSON, max of runs', value: ms(reportMax.json), target: '< 1000 ms', pass: reportMax.json < 1000 },
      { name: 'report XLSX, max of runs', value: ms(reportMax.xlsx), target: '< 1000 ms', pass: reportMax.xlsx < 1000 },
    ],
    markdown: {
      header: [
        'scenario',
        `agenda p99 at ${openRate}/s advisor / admin`,
        'agenda advisor/s',
        'p50',
        'p99',
        'agenda admin/s',
        'p50',
        'p99',
        'report JSON p50 / max',
        'report XLSX p50 / max',
        'errors',
        'invariants',
      ],
      row: [
        `staff-day (${concurrency} clients; ${expected.bookings} bookings/year)`,
        `${ms(atRate.advisor.p99)} / ${ms(atRate.admin.p99)}`,
        agenda.advisor.rate.toFixed(0),
        ms(agenda.advisor.latency.p50),
        ms(agenda.advisor.latency.p99),
        agenda.admin.rate.toFixed(0),
        ms(agenda.admin.latency.p50),
        ms(agenda.admin.latency.p99),
        `${ms(report.json.latency.p50)} / ${ms(report.json.latency.max)} (${kib(report.json.bytes)})`,
        `${ms(report.xlsx.latency.p50)} / ${ms(report.xlsx.latency.max)} (${kib(report.xlsx.bytes)})`,
        String(errors.length),
        ok ? 'ok' : 'FAILED',
      ],
    },
  };
}

module.exports = {
  // The year's builders, shared with the bilan scenario (bilan.js).
  createOrganisationPool,
  buildYear,
  correctRegister,
  timedGet,
  ADVISORS,
  name: 'staff-day',
  description:
    'GET /api/agenda on a busy day (10 desks × 8 slots, 2 full workshops) at 200 requests/s, then at capacity with 16 clients; GET /api/reports/attendance over a year of 10,000 bookings, JSON and XLSX',
  run,
};
