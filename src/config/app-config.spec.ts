import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
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
      retentionMonths: 24,
      logLevel: 'log',
      adminEmail: null,
    });
  });

  it('sends as the configured CRESS when MAIL_FROM is unset, one address even with a comma or quote in the name', () => {
    const config = loadConfig({ DATA_DIR: dataDir, CRESS_NAME: 'CRESS "Occitanie", Pyrénées', ORGANIZER_EMAIL: 'rdv@cress-occitanie.test' });
    expect(addressparser(config.mailFrom)).toEqual([{ name: 'CRESS "Occitanie", Pyrénées – Rendez-vous ESS', address: 'rdv@cress-occitanie.test' }]);
    expect(loadConfig({ DATA_DIR: dataDir, CRESS_NAME: 'CRESS Occitanie', MAIL_FROM: 'Accueil <accueil@cress.test>' }).mailFrom).toBe(
      'Accueil <accueil@cress.test>',
    );
  });

  it('generates a JWT secret once and keeps it under DATA_DIR', () => {
    const first = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first);
  });

  it('starts in production with a real secret and address, and never writes a generated secret there', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://rdv.cress.example/',
      JWT_SECRET: 'q3J9vX2mZ8kL1pR7tW4yB6nC0dF5gH2jK9sA3eU8',
    });
    expect(config.publicUrl).toBe('https://rdv.cress.example');
    expect(config.jwtSecret).toBe('q3J9vX2mZ8kL1pR7tW4yB6nC0dF5gH2jK9sA3eU8');
    expect(() => readFileSync(join(dataDir, 'jwt-secret'))).toThrow();
  });

  it('reads the retention period and the allowed CORS origins', () => {
    const config = loadConfig({ DATA_DIR: dataDir, RETENTION_MONTHS: '36', CORS_ORIGINS: 'https://a.example, https://b.example:8443' });
    expect(config.retentionMonths).toBe(36);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(loadConfig({ DATA_DIR: dataDir }).corsOrigins).toEqual([]);
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
    [{ RETENTION_MONTHS: '0' }, /RETENTION_MONTHS must be a whole number from 1 to 120/],
    [{ CORS_ORIGINS: 'https://ok.example, *' }, /CORS_ORIGINS: "\*" is not an origin/],
    [{ NODE_ENV: 'production', PUBLIC_URL: 'https://rdv.cress.example' }, /JWT_SECRET must be set in production/],
    [
      { NODE_ENV: 'production', PUBLIC_URL: 'https://rdv.cress.example', JWT_SECRET: 'change-me-change-me-change-me-change-me' },
      /JWT_SECRET looks like a placeholder/,
    ],
    [{ NODE_ENV: 'production', PUBLIC_URL: 'https://rdv.cress.example', JWT_SECRET: 'a'.repeat(40) }, /JWT_SECRET looks like a placeholder/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'q3J9vX2mZ8kL1pR7tW4yB6nC0dF5gH2jK9sA3eU8' }, /PUBLIC_URL must be set in production/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir, ...env })).toThrow(message);
  });
});
