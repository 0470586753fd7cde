'use strict';
// The bench report: machine, per-scenario figures (with the service's resident memory), targets
// with PASS/FAIL, and README tables.
const os = require('node:os');
const { mb, describeMemory } = require('./memory');

function machine({ postgres, pgbench }) {
  const cpus = os.cpus();
  return [
    ['Date', new Date().toISOString()],
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
function printReport({ options, postgres, pgbench, results }) {
  const env = machine({ postgres, pgbench });
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
  out.push('', `Overall: ${ok ? 'PASS' : 'FAIL'}`, '', 'Markdown (README.md):', '');
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

function ms(value) {
  return `${value.toFixed(1)} ms`;
}

/** Non-2xx answers counted by status, with the first one's body. */
function describeErrors(errors) {
  const byStatus = {};
  for (const e of errors) byStatus[e.status] = (byStatus[e.status] || 0) + 1;
  const summary = Object.entries(byStatus).map(([status, n]) => `${n}× ${status}`).join(', ');
  return `${summary}; first: ${errors[0].status} ${errors[0].body}`;
}

module.exports = { printReport, ms, describeErrors };
