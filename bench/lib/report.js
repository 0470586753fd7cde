'use strict';
// The bench report: machine, per-scenario figures (with the service's resident memory), targets
// with PASS/FAIL, and markdown tables; and the same as a JSON file under bench/results/, one per run,
// so that bench/README.md's table of the latest results can be checked against a file.
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { mb, describeMemory } = require('./memory');

const RESULTS_DIR = path.join(__dirname, '..', 'results');

function machine({ postgres, pgbench, date }) {
  const cpus = os.cpus();
  return [
    ['Date', date.toISOString()],
    ['CPU', `${cpus[0].model.trim()} × ${cpus.length} cores`],
    ['Memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['OS', `${os.type()} ${os.release()} (${os.arch()})`],
    ['Node', process.version],
    ['PostgreSQL', `${postgres} (${pgbench})`],
  ];
}

function table(rows) {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

/** Prints the report; returns true when every target of every scenario passed. */
function printReport({ options, postgres, pgbench, results, date = new Date() }) {
  const env = machine({ postgres, pgbench, date });
  const out = ['', '=== Rendez-vous ESS — benchmark ===', table(env)];
  out.push(table([['Service', `pool ${options.poolSize}, LOG_LEVEL=${options.logLevel}, RATE_LIMITS=off`]]));
  let ok = true;
  for (const result of results) {
    const memory = (result.memory ?? []).map((m) => [`RSS (${m.label})`, describeMemory(m)]);
    out.push('', `--- ${result.name} ---`, table([...result.lines, ...memory]), '', '  Targets:');
    for (const t of result.targets) {
      ok &&= t.pass;
      out.push(`    ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value} (target ${t.target})`);
    }
  }
  out.push('', `Overall: ${ok ? 'PASS' : 'FAIL'}`, '', 'Markdown (bench/README.md):', '');
  const cpus = os.cpus();
  out.push(
    `Measured ${env[0][1].slice(0, 10)} on ${cpus[0].model.trim()} (${cpus.length} cores, ${env[2][1]}), Node ${process.version}, PostgreSQL ${postgres}, ` +
      `service, load generator and PostgreSQL on the same machine, concurrent keep-alive clients as given per scenario (\`npm run bench\`).`,
    '',
  );
  for (const result of results) {
    const { header, row } = result.markdown;
    out.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, `| ${row.join(' | ')} |`, '');
  }
  out.push(...memoryTable(results));
  console.log(out.join('\n'));
  return ok;
}

/** Resident memory per scenario and process, as a README table: peak, at the end, and the target when there is one. */
function memoryTable(results) {
  const rows = [];
  for (const result of results) {
    for (const m of result.memory ?? []) {
      const target = result.targets.find((t) => t.name === `peak RSS (${m.label})`);
      rows.push([result.name, m.label, mb(m.peak), mb(m.last), target ? `${target.target} ${target.pass ? '✔' : '✘'}` : '—']);
    }
  }
  if (!rows.length) return [];
  const header = ['scenario', 'process', 'peak RSS', 'RSS at the end', 'target'];
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), ''];
}

/**
 * Writes the run as bench/results/<date>-<scenarios>.json: when, on what machine, with which service
 * settings, and per scenario its figures (the report's lines), its markdown row, each service
 * process's memory and every target with its verdict. Returns the file's path.
 */
function writeResults({ options, postgres, pgbench, results, date, dir = RESULTS_DIR }) {
  const cpus = os.cpus();
  const run = {
    date: date.toISOString(),
    machine: {
      cpu: cpus[0].model.trim(),
      cores: cpus.length,
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      os: `${os.type()} ${os.release()} (${os.arch()})`,
      node: process.version,
      postgres,
      pgbench,
    },
    service: { poolSize: options.poolSize, logLevel: options.logLevel, outboxPollMs: options.outboxPollMs, rateLimits: 'off' },
    pass: results.every((r) => r.targets.every((t) => t.pass)),
    scenarios: results.map((r) => ({
      name: r.name,
      pass: r.targets.every((t) => t.pass),
      figures: Object.fromEntries(r.lines),
      table: r.markdown ? Object.fromEntries(r.markdown.header.map((h, i) => [h, r.markdown.row[i]])) : null,
      memory: (r.memory ?? []).map((m) => ({ process: m.label, peakMB: toMB(m.peak), endMB: toMB(m.last), samples: m.samples })),
      targets: r.targets.map((t) => ({ name: t.name, value: t.value, target: t.target, pass: t.pass })),
    })),
  };
  mkdirSync(dir, { recursive: true });
  const stamp = run.date.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const file = path.join(dir, `${stamp}-${results.map((r) => r.name).join('+')}.json`);
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  return file;
}

function toMB(bytes) {
  return bytes === null || bytes === undefined ? null : Number((bytes / 1e6).toFixed(1));
}

function ms(value) {
  return `${value.toFixed(1)} ms`;
}

/** Non-2xx answers counted by status, with the first one's body. */
function describeErrors(errors) {
  const byStatus = {};
  for (const e of errors) byStatus[e.status] = (byStatus[e.status] || 0) + 1;
  const summary = Object.entries(byStatus)
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ');
  return `${summary}; first: ${errors[0].status} ${errors[0].body}`;
}

module.exports = { printReport, writeResults, ms, describeErrors };
