import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { FreshQuery } from '../common/fresh-query';
import { AppConfig } from '../config/app-config';

/**
 * The channels the triggers notify when a statement that changes their rows commits: `public_feed`
 * (migration 1764720000000: sessions, workshops), `staff_day` and `staff_accounts` (migration
 * 1764780000000: what a day's agenda is made from; staff accounts).
 */
export const CHANGE_CHANNELS = ['public_feed', 'staff_day', 'staff_accounts'] as const;
export type ChangeChannel = (typeof CHANGE_CHANNELS)[number];
/** A round trip on the listening connection that takes longer than this counts as a lost connection. */
const ROUND_TRIP_TIMEOUT_MS = 2_000;
/** Waits between attempts to listen again. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Whether rows changed, learnt from PostgreSQL's notifications on a connection of this instance's
 * own, instead of a query on every request (a fingerprint of the public feed's or a day's rows, a
 * staff account): a version per channel, which moves whenever that channel's rows may have changed.
 *
 * A version is given only after a round trip on that connection that started after the call.
 * PostgreSQL sends a listening session the notifications of every transaction committed before a query
 * ahead of that query's answer, so a caller never gets a version older than its call — whichever
 * instance made the change. Null when not listening (the embedded database, or the connection is
 * down or slow): the caller then queries, as every request did before.
 *
 * How to use it: take the version before reading the rows, and keep it with what was made of them;
 * it is still current while a later call gives the same version (every change committed before that
 * call was notified before the rows were read).
 */
@Injectable()
export class DatabaseChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DatabaseChanges');
  private listening: { client: Client; roundTrip: FreshQuery<void> } | null = null;
  /** Moves on every notification of the channel and every time listening starts again (changes may have been missed). */
  private readonly generations = new Map<string, number>(CHANGE_CHANNELS.map((channel) => [channel, 0]));
  private failures = 0;
  private readonly dropped = new WeakSet<Client>();
  private retry: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.databaseUrl) void this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.retry) clearTimeout(this.retry);
    const current = this.listening;
    this.listening = null;
    await current?.client.end().catch(() => undefined);
  }

  /** The version of `channel`'s rows as of now or later, or null if unknown (query them). */
  async version(channel: ChangeChannel): Promise<string | null> {
    const current = this.listening;
    if (!current) return null;
    try {
      await current.roundTrip.get();
    } catch {
      this.lost(current.client);
      return null;
    }
    return this.listening === current ? `${channel}:${this.generations.get(channel)}` : null;
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.config.databaseUrl!,
      application_name: 'rendez-vous-ess (changes)',
      connectionTimeoutMillis: 5_000,
      query_timeout: ROUND_TRIP_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('notification', ({ channel }) => this.moved(channel));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(CHANGE_CHANNELS.map((channel) => `LISTEN ${channel}`).join('; '));
    } catch (error) {
      this.logger.warn(`Cannot listen for changes (${(error as Error).message}); rows are queried on every request meanwhile`);
      this.lost(client);
      return;
    }
    if (this.closing) {
      await client.end().catch(() => undefined);
      return;
    }
    for (const channel of CHANGE_CHANNELS) this.moved(channel);
    this.failures = 0;
    this.listening = {
      client,
      roundTrip: new FreshQuery(async () => {
        await client.query('SELECT 1');
      }),
    };
  }

  private moved(channel: string): void {
    const generation = this.generations.get(channel);
    if (generation !== undefined) this.generations.set(channel, generation + 1);
  }

  /** Stops using `client` (once) and listens again after a while. */
  private lost(client: Client): void {
    if (this.listening?.client === client) this.listening = null;
    if (this.dropped.has(client)) return;
    this.dropped.add(client);
    client.end().catch(() => undefined);
    if (this.closing) return;
    const delay = RETRY_DELAYS_MS[Math.min(this.failures++, RETRY_DELAYS_MS.length - 1)];
    this.retry = setTimeout(() => void this.listen(), delay);
    this.retry.unref();
  }
}
