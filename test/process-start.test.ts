import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bookingRequest } from './support/factories';
import { runServiceUntilExit, ServiceProcess, startEmbeddedServiceProcess } from './support/service-process';

// Each embedded start migrates a new database in WebAssembly: tens of seconds on a busy machine.
jest.setTimeout(300_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The built service as its own process, started where it must not run: a data folder or a port in use. */
describe('the service process at start', () => {
  const processes: ServiceProcess[] = [];
  const dirs: string[] = [];

  function dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'rvess-start-'));
    dirs.push(dir);
    return dir;
  }
  async function start(dir: string): Promise<ServiceProcess> {
    const service = await startEmbeddedServiceProcess(dir);
    processes.push(service);
    return service;
  }
  async function firstSlot(service: ServiceProcess): Promise<string> {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const response = await fetch(`${service.baseUrl}/api/permanences?from=${day(0)}&to=${day(200)}`);
    const sessions = (await response.json()) as Array<{ startsAt: string; slots: Array<{ id: string }> }>;
    return sessions.filter((session) => Date.parse(session.startsAt) > Date.now() + 3_600_000)[0].slots[0].id;
  }
  const book = (service: ServiceProcess, slot: string, email: string) =>
    fetch(`${service.baseUrl}/api/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bookingRequest(slot, { attendee: { name: 'Une personne', email } })),
    });

  afterAll(async () => {
    for (const service of processes) await service.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process on an embedded database in use, naming the holder; a killed holder does not block the next start', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const slot = await firstSlot(first);
    expect((await book(first, slot, 'premiere@asso.test')).status).toBe(201);

    const second = await runServiceUntilExit({ DATA_DIR: dir, DATABASE_URL: '', PORT: String(await freePort()) }, 30_000);
    expect(second.code).toBe(1);
    const lines = second.output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`DATA_DIR ${dir} is in use by process ${first.child.pid}`);
    expect(lines[0]).toContain('stop that process first, or give this one another DATA_DIR');
    // The first process serves on, alone: the seat is still taken.
    expect((await book(first, slot, 'seconde@asso.test')).status).toBe(409);

    first.child.kill('SIGKILL');
    await first.exited;
    // Its lock is left behind, naming a process that is gone: the next start takes it over.
    expect(existsSync(join(dir, 'embedded-database.lock'))).toBe(true);
    const next = await start(dir);
    expect((await book(next, slot, 'troisieme@asso.test')).status).toBe(409);

    // A clean stop releases the folder.
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
    expect(existsSync(join(dir, 'embedded-database.lock'))).toBe(false);
  });

  it('on a port in use says so in one line naming PORT and exits non-zero, leaving its data folder free', async () => {
    const occupied: Server = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, () => resolve()));
    const port = (occupied.address() as AddressInfo).port;
    const dir = dataDir();
    try {
      const refused = await runServiceUntilExit({ DATA_DIR: dir, DATABASE_URL: '', PORT: String(port) });
      expect(refused.code).not.toBe(0);
      expect(refused.code).not.toBeNull();
      expect(refused.output.trim().split('\n')).toEqual([`PORT ${port} is already in use by another process: stop it, or set PORT to a free port`]);
    } finally {
      await new Promise<void>((resolve) => occupied.close(() => resolve()));
    }
    expect(existsSync(join(dir, 'embedded-database.lock'))).toBe(false);
  });
  it('stops with one line naming METROPOLIS_EPCI_SIREN when it is no EPCI of Etalab’s data, before touching its data folder', async () => {
    const dir = dataDir();
    const refused = await runServiceUntilExit({ DATA_DIR: dir, DATABASE_URL: '', PORT: String(await freePort()), METROPOLIS_EPCI_SIREN: '123456789' });
    expect(refused.code).toBe(1);
    expect(refused.output.trim().split('\n')).toEqual([
      "Configuration error: METROPOLIS_EPCI_SIREN 123456789 is no EPCI (métropole, communauté urbaine, d’agglomération or de communes) in @etalab/decoupage-administratif: give the SIREN of the metropolis' EPCI, e.g. 244200770 for Saint-Étienne Métropole",
    ]);
    expect(existsSync(join(dir, 'embedded-database.lock'))).toBe(false);
    const malformed = await runServiceUntilExit({ DATA_DIR: dir, DATABASE_URL: '', PORT: String(await freePort()), METROPOLIS_EPCI_SIREN: '2442' });
    expect([malformed.code, malformed.output.trim().split('\n').length]).toEqual([1, 1]);
    expect(malformed.output).toContain('METROPOLIS_EPCI_SIREN must be a 9-digit SIREN');
  });

  it('with no account and no ADMIN_EMAIL, writes one line with the setup address, the same at the next start', async () => {
    const dir = dataDir();
    const setupLine = (output: string) => output.split('\n').filter((line) => line.includes('/staff/installation?jeton='));
    const first = await startEmbeddedServiceProcess(dir, { ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    processes.push(first);
    const [line] = setupLine(first.output());
    expect(setupLine(first.output())).toHaveLength(1);
    const url = /(http:\/\/\S+\/staff\/installation\?jeton=[A-Za-z0-9_-]{43})/.exec(line)![1];
    const page = await fetch(`${first.baseUrl}${new URL(url).pathname}${new URL(url).search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Première installation');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const again = await startEmbeddedServiceProcess(dir, { ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    processes.push(again);
    // The same token (the port is another, drawn at each start).
    const token = new URL(url).searchParams.get('jeton');
    expect(setupLine(again.output()).map((text) => /jeton=([A-Za-z0-9_-]{43})/.exec(text)![1])).toEqual([token]);
  });
});
