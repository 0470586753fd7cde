import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Clock } from '../common/clock';
import { RequestLoad } from '../common/request-load';
import { AppConfig } from '../config/app-config';
import { SatisfactionService } from '../satisfaction/satisfaction.service';
import { SettingsService } from '../settings/settings.service';
import { MailComposer } from './mail-composer';
import { Mailer } from './mailer';
import { MessageDetail, OutboxDeliveryRepository } from './outbox-delivery.repository';

/** A message is tried this many times (about 2 hours in all) before it is marked failed for an admin. */
export const MAX_ATTEMPTS = 8;
const BATCH = 20;
/**
 * Batches one loop round sends at most (20 messages every 2 s by default): far above what the
 * programme needs, and it keeps a burst of bookings from competing with its own requests for CPU.
 */
const BATCHES_PER_ROUND = 1;
/** Long enough for one batch; a sender that dies keeps its messages no longer than this. */
const LEASE_MS = 5 * 60_000;
/** Recording a sent message is retried at these intervals (the last one repeats), well within its lease. */
const RECORD_SENT_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000];
const RECORD_SENT_FOR_MS = LEASE_MS / 2;

/**
 * While this process is busy serving requests (requests in flight, and the event loop more than half
 * used since the last look), a round is skipped — at most this many in a row, so mail waits 30 s at
 * the most.
 */
const BUSY_UTILISATION = 0.5;
const MAX_ROUNDS_DEFERRED = 15;

/** How often an instance looks for satisfaction questions come due. */
const SATISFACTION_EVERY_MS = 60_000;

/** 30 s, 1 min, 2 min, … up to an hour between tries. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Sends the outbox. Every OUTBOX_POLL_MS it records the reminders that have come due and sends what
 * is due, claiming messages with FOR UPDATE SKIP LOCKED under a lease: several instances never send
 * one message together, and a message whose sender died is sent once its lease runs out.
 */
@Injectable()
export class OutboxSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private utilisation = performance.eventLoopUtilization();
  private deferred = 0;
  private stopping = false;
  private satisfactionCheckedAt = -Infinity;

  constructor(
    private readonly outbox: OutboxDeliveryRepository,
    private readonly composer: MailComposer,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly load: RequestLoad,
    private readonly settings: SettingsService,
    private readonly satisfaction: SatisfactionService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.outboxPollMs > 0) this.timer = setInterval(() => void this.tick(), this.config.outboxPollMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.mailer.close();
  }

  /** One round of the loop; never two at once in this process, and never throws. */
  async tick(): Promise<void> {
    if (this.running) return;
    // Requests first: a burst of bookings is served before the mail it causes.
    if (this.busy() && this.deferred < MAX_ROUNDS_DEFERRED) {
      this.deferred++;
      return;
    }
    this.deferred = 0;
    this.running = this.work().catch((error: Error) => this.logger.error(`Outbox round failed: ${error.message}`));
    await this.running;
    this.running = null;
  }

  private async work(): Promise<void> {
    await this.queueReminders();
    await this.queueSatisfactionQuestions();
    await this.drain(BATCHES_PER_ROUND, () => this.deferred < MAX_ROUNDS_DEFERRED && this.busy());
  }

  /**
   * Whether requests are waiting and kept the event loop more than half busy since the last look.
   * Without requests in flight the loop's own work (with the embedded database, its queries run in
   * this process) is no reason to wait.
   */
  private busy(): boolean {
    const { utilization } = performance.eventLoopUtilization(this.utilisation);
    this.utilisation = performance.eventLoopUtilization();
    return this.load.active > 0 && utilization > BUSY_UTILISATION;
  }

  async queueReminders(): Promise<number> {
    return this.outbox.queueReminders(this.clock.now(), (await this.settings.current()).reminderHoursBefore);
  }

  /**
   * The satisfaction questions come due (src/satisfaction/satisfaction.service.ts: the working day
   * after the event, from 09:00); looked for at most once a minute by each instance.
   */
  async queueSatisfactionQuestions(): Promise<number> {
    // How often, not when: the process' monotonic clock (the injected Clock decides what is due).
    const now = performance.now();
    if (now - this.satisfactionCheckedAt < SATISFACTION_EVERY_MS) return 0;
    this.satisfactionCheckedAt = now;
    return this.satisfaction.queueDue();
  }

  /**
   * Sends the messages due now, `batches` batches at most, stopping early when `yieldNow` says so
   * (the messages it had claimed are given back); returns how many were sent.
   */
  async drain(batches = Infinity, yieldNow: () => boolean = () => false): Promise<number> {
    let sent = 0;
    for (let batch = 0; batch < batches; batch++) {
      const now = this.clock.now();
      const ids = await this.outbox.claimDue(now, new Date(now.getTime() + LEASE_MS), BATCH);
      if (ids.length === 0) return sent;
      for (const detail of await this.outbox.details(ids)) {
        if (yieldNow()) {
          await this.outbox.release(detail.id);
          continue;
        }
        if (await this.deliver(detail)) sent++;
      }
    }
    return sent;
  }

  private async deliver(detail: MessageDetail): Promise<boolean> {
    try {
      await this.mailer.send(await this.composer.compose(detail));
    } catch (error) {
      const reason = (error as Error).message;
      const retryAt = detail.attempts >= MAX_ATTEMPTS ? null : new Date(this.clock.now().getTime() + retryDelayMs(detail.attempts));
      await this.outbox.markAttemptFailed(detail.id, reason, retryAt);
      if (retryAt) this.logger.warn(`Message ${detail.id} (${detail.kind}) not sent, try ${detail.attempts} of ${MAX_ATTEMPTS}: ${reason}`);
      else this.logger.error(`Message ${detail.id} (${detail.kind}) failed for good after ${detail.attempts} tries: ${reason}`);
      return false;
    }
    await this.recordSent(detail);
    return true;
  }

  /**
   * The message is with the mail server: whatever happens now, it must not be sent again. A database
   * that blips is asked again, while the message's lease lasts; if it never answers, the round stops
   * (sending more would only make more messages whose sending cannot be recorded) and the message
   * goes again once its lease has run out, with the same Message-ID.
   */
  private async recordSent(detail: MessageDetail): Promise<void> {
    const giveUpAt = Date.now() + RECORD_SENT_FOR_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.outbox.markSent(detail.id, this.clock.now());
        if (attempt > 0) this.logger.log(`Message ${detail.id} (${detail.kind}) recorded as sent after ${attempt + 1} tries`);
        return;
      } catch (error) {
        const delay = RECORD_SENT_DELAYS_MS[Math.min(attempt, RECORD_SENT_DELAYS_MS.length - 1)];
        if (this.stopping || Date.now() + delay > giveUpAt) {
          throw new Error(`message ${detail.id} was sent but cannot be recorded as sent (${(error as Error).message}); it will be sent again after its lease`, {
            cause: error,
          });
        }
        this.logger.warn(`Message ${detail.id} (${detail.kind}) sent, recording it failed (${(error as Error).message}): trying again`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
