'use strict';
// Runs pgbench with a custom script and reads its summary.
const { execFile, execFileSync } = require('node:child_process');
const { readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { summarise } = require('./load');

function pgbenchVersion() {
  try {
    return execFileSync('pgbench', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('pgbench not found: install it (Debian: apt-get install -y postgresql-15 or postgresql-contrib, which ship it)');
  }
}

/**
 * Runs `script` (pgbench script text) against the database at `url` with `clients` clients,
 * `transactions` transactions each. `defines` are -D variables (per client, kept across transactions).
 */
function runPgbench({ url, script, name, dir, clients, threads, transactions, mode = 'extended', defines = {} }) {
  const file = path.join(dir, `${name}.pgbench.sql`);
  writeFileSync(file, script);
  const logPrefix = path.join(dir, `${name}.pgbench-log`);
  const args = [
    '-n',
    '-M',
    mode,
    '-c',
    String(clients),
    '-j',
    String(threads),
    '-t',
    String(transactions),
    '-r',
    '-l',
    `--log-prefix=${logPrefix}`,
    '-f',
    file,
  ];
  for (const [key, value] of Object.entries(defines)) args.push('-D', `${key}=${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile('pgbench', args, { encoding: 'utf8', maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      if (error) return reject(new Error(`pgbench failed (${error.message.split('\n')[0]}):\n${output}`));
      const number = (re) => {
        const m = output.match(re);
        return m ? Number(m[1]) : NaN;
      };
      const result = {
        command: `pgbench ${args.slice(0, -1).join(' ').replace(`-l --log-prefix=${logPrefix} `, '').replace(file, path.basename(file))} <db>`,
        tps: number(/tps = ([\d.]+) \(without initial connection time\)/),
        latencyAvgMs: number(/latency average = ([\d.]+) ms/),
        processed: number(/number of transactions actually processed: (\d+)/),
        failed: number(/number of failed transactions: (\d+)/) || 0,
        latencies: transactionLatencies(logPrefix),
        output,
      };
      result.latency = summarise(result.latencies);
      if (!(result.tps > 0) || result.processed !== clients * transactions || result.failed > 0) {
        return reject(new Error(`pgbench did not complete every transaction:\n${output}`));
      }
      resolve(result);
    });
  });
}

/** Per-transaction latencies (ms) from pgbench's -l logs (removed once read): "client tx latency_us script epoch epoch_us". */
function transactionLatencies(prefix) {
  const dir = path.dirname(prefix);
  const base = path.basename(prefix);
  const values = [];
  for (const file of readdirSync(dir).filter((f) => f.startsWith(`${base}.`))) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const latencyUs = Number(line.split(' ')[2]);
      if (line && Number.isFinite(latencyUs)) values.push(latencyUs / 1000);
    }
    rmSync(path.join(dir, file));
  }
  return values;
}

module.exports = { pgbenchVersion, runPgbench };
