import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { FreshQuery } from '../common/fresh-query';
import { AppConfig } from '../config/app-config';

/** The channel the triggers of migration 1764720000000 notify. */
const CHANNEL = 'public_feed';
/** A round trip on the listening connection that takes longer than this counts as a lost connection. */
const ROUND_TRIP_TIMEOUT_MS = 2_000;
/** Waits between attempts to listen again. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Whether the rows of the public feed changed, learnt from PostgreSQL's notifications on a connection
 * of this instance's own, instead of a fingerprint query over every row on each poll.
 *
 * A version is given only after a round trip on that connection that started after the call.
 * PostgreSQL sends a listening session the notifications of every transaction committed before a query
 * ahead of that query's answer, so a caller never gets a version older than its call — whichever
 * instance made the change. Null when not listening (the embedded database, or the connection is
 * down or slow): the caller then asks for the fingerprint, as every request did before.
 */
@Injectable()
export class PublicFeedChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PublicFeedChanges');
  private listening: { client: Client; roundTrip: FreshQuery<void> } | null = null;
  /** Moves on every notification and every time listening starts again (changes may have been missed). */
  private generation = 0;
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

  /** The feed rows' version as of now or later, or null if unknown (ask the fingerprint). */
  async version(): Promise<string | null> {
    const current = this.listening;
    if (!current) return null;
    try {
      await current.roundTrip.get();
    } catch {
      this.lost(current.client);
      return null;
    }
    return this.listening === current ? `changes:${this.generation}` : null;
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.config.databaseUrl!,
      application_name: 'rendez-vous-ess (public feed changes)',
      connectionTimeoutMillis: 5_000,
      query_timeout: ROUND_TRIP_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('notification', () => this.generation++);
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.logger.warn(`Cannot listen for public feed changes (${(error as Error).message}); the feed is checked by its fingerprint meanwhile`);
      this.lost(client);
      return;
    }
    if (this.closing) {
      await client.end().catch(() => undefined);
      return;
    }
    this.generation++;
    this.failures = 0;
    this.listening = {
      client,
      roundTrip: new FreshQuery(async () => {
        await client.query('SELECT 1');
      }),
    };
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
