import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HOLIDAY_POLICIES, HolidayPolicy } from '../calendar';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The whole configuration, read and validated once at start (see `loadConfig`). */
export class AppConfig {
  nodeEnv: string;
  port: number;
  publicUrl: string;
  /** Unset: the embedded PGlite database under `dataDir`. */
  databaseUrl: string | null;
  databasePoolSize: number;
  /** Bounds on every PostgreSQL connection, so a database that does not answer fails requests fast. */
  databaseTimeouts: DatabaseTimeouts;
  dataDir: string;
  /** Overrides where the embedded database lives (tests use `memory://`); null means `DATA_DIR/pglite`. */
  embeddedDatabaseDir: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  organizerEmail: string;
  adminEmail: string | null;
  adminPassword: string | null;
  jwtSecret: string;
  jwtTtlSeconds: number;
  holidayPolicy: HolidayPolicy;
  bookingHorizonMonths: number;
  reminderHoursBefore: number;
  /** How often the outbox is sent and reminders recorded; 0 turns the loop off (tests drive it by hand). */
  outboxPollMs: number;
  rateLimits: boolean;
  /** Months after an event before its attendee's contact data is anonymised. */
  retentionMonths: number;
  /** Origins allowed to call the API from a browser (CORS); empty: none, the default. */
  corsOrigins: string[];
  logLevel: LogLevelName;
  /** Who runs the programme: named in pages, e-mails, calendar files and the privacy notice. */
  identity: ProgrammeIdentity;
  /** SIREN of the metropolis' EPCI: its member communes are "dans la Métropole" (src/territory/). */
  metropolisEpciSiren: string;
}

/**
 * The CRESS and the metropolis as people read them. Nothing in templates names them literally:
 * they come from here (later from the settings an admin edits).
 */
export interface ProgrammeIdentity {
  /** Short name used in sentences ("la CRESS Auvergne-Rhône-Alpes"). */
  name: string;
  /** Legal name of the controller of personal data (GDPR art. 13). */
  legalName: string;
  /** Postal address, one line. */
  address: string;
  /** Where people write with questions. */
  contactEmail: string;
  /** Where people exercise their personal-data rights. */
  privacyEmail: string;
  /** The metropolis that funds the programme and receives its figures. */
  metropolisName: string;
}

/** In milliseconds. Not applied to the embedded database (in-process) nor to migrations. */
export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for one from the pool. */
  connectMs: number;
  /** PostgreSQL's statement_timeout; the client itself gives up on an answer 1 s later. */
  statementMs: number;
  /** PostgreSQL's idle_in_transaction_session_timeout: a transaction left open by a vanished client ends. */
  idleInTransactionMs: number;
}

export class ConfigError extends Error {}

/** The sender when MAIL_FROM is unset: the programme's name, quoted so a comma or quote in CRESS_NAME stays one address (RFC 5322 §3.2.4). */
export function defaultMailFrom(cressName: string, address: string): string {
  return `"${`${cressName} – Rendez-vous ESS`.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

type Env = Record<string, string | undefined>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads the environment into an `AppConfig`, or throws a `ConfigError` whose message names the
 * variable and what it expected. `.env` in the working directory is loaded first when present.
 */
export function loadConfig(env: Env = readProcessEnv()): AppConfig {
  const read = new EnvReader(env);
  const port = read.int('PORT', 3000, 1, 65535);
  const dataDir = resolve(read.string('DATA_DIR', 'var'));
  const nodeEnv = read.string('NODE_ENV', 'development');
  const identity: ProgrammeIdentity = {
    name: read.string('CRESS_NAME', 'CRESS Auvergne-Rhône-Alpes'),
    legalName: read.string('CRESS_LEGAL_NAME', 'Chambre régionale de l’économie sociale et solidaire Auvergne-Rhône-Alpes'),
    address: read.string('CRESS_ADDRESS', 'adresse postale à renseigner (CRESS_ADDRESS)'),
    contactEmail: read.email('CRESS_CONTACT_EMAIL', 'contact@cress.example'),
    privacyEmail: read.email('CRESS_PRIVACY_EMAIL', 'donnees-personnelles@cress.example'),
    metropolisName: read.string('METROPOLIS_NAME', 'Saint-Étienne Métropole'),
  };
  const organizerEmail = read.email('ORGANIZER_EMAIL', 'rendez-vous@cress.example');
  const config: AppConfig = {
    nodeEnv,
    port,
    publicUrl: read.url('PUBLIC_URL', `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl: read.optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 200),
    databaseTimeouts: {
      connectMs: read.int('DATABASE_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
      statementMs: read.int('DATABASE_STATEMENT_TIMEOUT_MS', 5_000, 100, 3_600_000),
      idleInTransactionMs: read.int('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000, 100, 3_600_000),
    },
    dataDir,
    embeddedDatabaseDir: null,
    smtpUrl: read.optionalUrl('SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: read.optional('MAIL_FROM') ?? defaultMailFrom(identity.name, organizerEmail),
    organizerEmail,
    adminEmail: read.optionalEmail('ADMIN_EMAIL'),
    adminPassword: read.optional('ADMIN_PASSWORD'),
    jwtSecret: read.optional('JWT_SECRET') ?? '',
    jwtTtlSeconds: read.int('JWT_TTL_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
    holidayPolicy: read.oneOf('HOLIDAY_POLICY', HOLIDAY_POLICIES, 'cancel'),
    bookingHorizonMonths: read.int('BOOKING_HORIZON_MONTHS', 12, 1, 240),
    reminderHoursBefore: read.int('REMINDER_HOURS_BEFORE', 48, 1, 24 * 30),
    outboxPollMs: read.int('OUTBOX_POLL_MS', 2000, 0, 600_000),
    rateLimits: read.oneOf('RATE_LIMITS', ['on', 'off'] as const, 'on') === 'on',
    retentionMonths: read.int('RETENTION_MONTHS', 24, 1, 120),
    corsOrigins: (read.optional('CORS_ORIGINS') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean)
      .map((origin) => {
        if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError(`CORS_ORIGINS: "${origin}" is not an origin like https://site.example`);
        return origin;
      }),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'log'),
    identity,
    metropolisEpciSiren: read.matching('METROPOLIS_EPCI_SIREN', /^[0-9]{9}$/, 'a 9-digit SIREN', '244200770'),
  };
  if ((config.adminEmail === null) !== (config.adminPassword === null)) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  }
  if (config.adminPassword !== null && config.adminPassword.length < 12) {
    throw new ConfigError('ADMIN_PASSWORD must have at least 12 characters');
  }
  if (nodeEnv === 'production') checkProduction(config, env);
  if (config.jwtSecret === '') {
    config.jwtSecret = persistedSecret(dataDir);
  } else if (config.jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must have at least 32 characters');
  }
  return config;
}

/**
 * In production the secrets and addresses must be chosen, not defaulted: a generated JWT secret
 * would differ between instances (every manage link broken on the other one), and a default
 * PUBLIC_URL would send people links to localhost.
 */
function checkProduction(config: AppConfig, env: Env): void {
  const secret = config.jwtSecret;
  if (secret === '') throw new ConfigError('JWT_SECRET must be set in production (32 characters or more, e.g. `openssl rand -base64 48`)');
  if (new Set(secret).size < 10 || /change|secret|example|xxxx/i.test(secret)) {
    throw new ConfigError('JWT_SECRET looks like a placeholder: use a random value (e.g. `openssl rand -base64 48`)');
  }
  if (!env.PUBLIC_URL) throw new ConfigError('PUBLIC_URL must be set in production (the address people reach the service at)');
}

function readProcessEnv(): Env {
  const dotenv = resolve('.env');
  if (existsSync(dotenv)) process.loadEnvFile(dotenv);
  return process.env;
}

/** A secret generated on first start and kept under DATA_DIR, so tokens survive restarts. */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}

class EnvReader {
  constructor(private readonly env: Env) {}

  optional(name: string): string | null {
    const value = this.env[name]?.trim();
    return value ? value : null;
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  }

  matching(name: string, pattern: RegExp, what: string, fallback: string): string {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    if (!pattern.test(raw)) throw new ConfigError(`${name} must be ${what}, got "${raw}"`);
    return raw;
  }

  url(name: string, fallback: string): string {
    return this.optionalUrl(name, ['http:', 'https:']) ?? fallback;
  }

  optionalUrl(name: string, protocols: string[]): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}//…)`);
    }
    if (!protocols.includes(url.protocol)) {
      throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    }
    return raw;
  }

  email(name: string, fallback: string): string {
    return this.optionalEmail(name) ?? fallback;
  }

  optionalEmail(name: string): string | null {
    const raw = this.optional(name);
    if (raw !== null && !EMAIL.test(raw)) throw new ConfigError(`${name} must be an e-mail address, got "${raw}"`);
    return raw;
  }
}
