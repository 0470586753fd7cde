import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

type Pending = { resolve: (svgs: string[]) => void; reject: (error: Error) => void };

/** An idle worker is stopped after this long: its memory (about 60 MB with vega) goes back to the system. */
const IDLE_MS = 5 * 60_000;

/**
 * Renders Vega-Lite specifications to SVG in one worker thread (chart-worker.mjs), started on first
 * use and kept while used (stopped after IDLE_MS without a request): loading vega takes about half a
 * second, a year's nine charts then about 0.1 s, none of it on the event loop that answers requests.
 * Its heap is capped, so that the bilan does not double the service's memory. A worker that dies
 * fails what it was rendering and is started again for the next request.
 */
@Injectable()
export class ChartRenderer implements OnModuleDestroy {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idle: NodeJS.Timeout | null = null;

  render(specs: object[]): Promise<string[]> {
    if (specs.length === 0) return Promise.resolve([]);
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    return new Promise<string[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, specs });
    }).finally(() => this.stopWhenIdle());
  }

  private stopWhenIdle(): void {
    if (this.pending.size > 0 || !this.worker) return;
    const worker = this.worker;
    this.idle = setTimeout(() => {
      if (this.worker !== worker || this.pending.size > 0) return;
      this.worker = null;
      void worker.terminate();
    }, IDLE_MS);
    this.idle.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(workerFile(), { resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } });
    // An idle worker does not keep the process alive (a stopping service or a test run ends).
    worker.unref();
    worker.on('message', ({ id, svgs, error }: { id: number; svgs?: string[]; error?: string }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (!waiting) return;
      if (svgs) waiting.resolve(svgs);
      else waiting.reject(new Error(`Chart rendering failed: ${error}`));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`Chart worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}

/** Next to this module: src/bilan under Jest, dist/src/bilan once built (nest-cli.json copies it). */
function workerFile(): string {
  const file = join(__dirname, 'chart-worker.mjs');
  if (!existsSync(file)) throw new Error(`Chart worker missing: ${file} (nest-cli.json's assets copy it at build)`);
  return file;
}
