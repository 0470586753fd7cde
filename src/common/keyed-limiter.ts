/**
 * At most `limit` tasks at a time per key in this process; the others wait their turn in arrival
 * order. Not a correctness device (PostgreSQL guards the invariants across instances): it keeps a
 * rush on one hot row from queueing dozens of connections on its lock, which PostgreSQL does not
 * serve in order and which widens the latency tail for everyone.
 */
export class KeyedLimiter {
  private readonly lanes = new Map<string, { running: number; waiting: Array<() => void> }>();

  constructor(private readonly limit: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { running: 0, waiting: [] };
      this.lanes.set(key, lane);
    }
    if (lane.running < this.limit) lane.running++;
    else await new Promise<void>((resolve) => lane.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = lane.waiting.shift();
      // The place passes straight to the next in line; a lane nobody uses any more is forgotten.
      if (next) next();
      else if (--lane.running === 0) this.lanes.delete(key);
    }
  }

  /** Keys with work running or waiting (for tests and diagnostics). */
  get activeKeys(): number {
    return this.lanes.size;
  }
}
