/**
 * Shares one query among concurrent callers without ever giving a caller a result older than its
 * call: a caller arriving while a query runs waits for the next one, which starts when that one ends
 * and serves everybody who arrived meanwhile. At most one query runs and one waits.
 */
export class FreshQuery<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly query: () => Promise<T>) {}

  get(): Promise<T> {
    if (!this.running) return this.start();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<T> {
    const run = this.query();
    this.running = run;
    const clear = () => {
      if (this.running === run) this.running = null;
    };
    run.then(clear, clear);
    return run;
  }
}
