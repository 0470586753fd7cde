#!/usr/bin/env node
'use strict';
// Builds the service (`nest build`: SWC, no type checking, see `npm run typecheck`) only when dist/ is
// missing or older than a source or build setting, so that `npm start` and the tests that start the
// built service do not pay for a build when nothing changed.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const SOURCES = ['src', 'migrations', '.swcrc', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json'];
const STAMP = path.join('dist', '.built');

/** Newest modification time (ms) under `file`; a folder's own time counts, so a deleted source is a change. */
function newestMtime(file) {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

/** Builds `root` when needed; returns whether it built. */
function ensureBuilt(root = path.join(__dirname, '..')) {
  const stamp = path.join(root, STAMP);
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map((source) => newestMtime(path.join(root, source))));
  if (built && built >= sources) return false;
  console.log(`${built ? 'dist/ is older than the sources' : 'dist/ is not built'}: building (nest build)…`);
  const started = new Date();
  execFileSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js', { paths: [root] }), 'build'], { cwd: root, stdio: 'inherit' });
  // Written after a complete build only (a failed build is tried again), dated from its start (a
  // source saved during the build makes the next start build again).
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
  return true;
}

module.exports = { ensureBuilt };

if (require.main === module) ensureBuilt();
