import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'rvess-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gives the documented defaults, with the embedded database when DATABASE_URL is unset', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: null,
      holidayPolicy: 'cancel',
      bookingHorizonMonths: 12,
      reminderHoursBefore: 48,
      rateLimits: true,
      logLevel: 'log',
      adminEmail: null,
    });
  });

  it('generates a JWT secret once and keeps it under DATA_DIR', () => {
    const first = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number from 1 to 65535/],
    [{ HOLIDAY_POLICY: 'skip' }, /HOLIDAY_POLICY must be one of cancel, previous_week, next_week/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    [{ BOOKING_HORIZON_MONTHS: '0' }, /BOOKING_HORIZON_MONTHS/],
    [{ ADMIN_EMAIL: 'admin@cress.test' }, /ADMIN_EMAIL and ADMIN_PASSWORD go together/],
    [{ ADMIN_EMAIL: 'admin@cress.test', ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD must have at least 12 characters/],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long-enough-password' }, /ADMIN_EMAIL must be an e-mail address/],
    [{ JWT_SECRET: 'too-short' }, /JWT_SECRET must have at least 32 characters/],
    [{ RATE_LIMITS: 'maybe' }, /RATE_LIMITS must be one of on, off/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir, ...env })).toThrow(message);
  });
});
