'use strict';
// Where the CPU went during a measured phase (Linux /proc; "n/a" elsewhere): the service process
// (or processes, when a scenario runs several instances), this load generator, pgbench, PostgreSQL's processes, and the rest (mostly the kernel's loopback
// networking, which is not charged to any process).
const { readdirSync, readFileSync } = require('node:fs');
const os = require('node:os');

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** [own ticks, ticks of its exited and reaped children] of a process. */
function processTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After "pid (comm) ": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return [f[11] + f[12], f[13] + f[14]];
}

/** Every PostgreSQL server process we can read, plus the backends that exited (reaped by the postmaster). */
function postgresTicks() {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const [own, children] = processTicks(entry);
      total += own + children;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3] + n[4]; // idle + iowait
  return { busy: n.slice(0, 8).reduce((a, b) => a + b, 0) - idle, idle }; // user … softirq, without steal and guest
}

/** Ticks so far of the service (one pid, or several instances' pids, summed), this process, PostgreSQL and the machine. */
function snapshot(servicePids) {
  try {
    const [self, children] = processTicks(process.pid);
    const service = [].concat(servicePids).reduce((sum, pid) => sum + processTicks(pid)[0], 0);
    return { service, self, children, postgres: postgresTicks(), machine: machineTicks(), at: Date.now() };
  } catch {
    return null;
  }
}

/** Average CPU cores used, per part, over one or several [before, after] snapshot pairs. */
function usage(...pairs) {
  if (pairs.some(([before, after]) => !before || !after)) return null;
  const delta = (read) => pairs.reduce((sum, [before, after]) => sum + read(after) - read(before), 0);
  const seconds = delta((s) => s.at) / 1000;
  const cores = (read) => (delta(read) * TICK_MS) / 1000 / seconds;
  const busy = cores((s) => s.machine.busy);
  const u = {
    service: cores((s) => s.service),
    loadGenerator: cores((s) => s.self),
    pgbench: cores((s) => s.children),
    postgres: cores((s) => s.postgres),
  };
  u.rest = Math.max(0, busy - u.service - u.loadGenerator - u.pgbench - u.postgres);
  u.idle = Math.max(0, os.cpus().length - busy);
  return u;
}

function describe(u, parts = ['service', 'loadGenerator', 'pgbench', 'postgres', 'rest', 'idle']) {
  if (!u) return 'n/a';
  const names = { service: 'service', loadGenerator: 'load generator', pgbench: 'pgbench', postgres: 'PostgreSQL', rest: 'rest', idle: 'idle' };
  return `${parts.map((p) => `${names[p]} ${u[p].toFixed(2)}`).join(', ')} (cores)`;
}

module.exports = { snapshot, usage, describe };
