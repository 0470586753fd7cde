import { KeyedLimiter } from './keyed-limiter';

/** A task whose end the test decides. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe(KeyedLimiter.name, () => {
  it('runs at most `limit` tasks of one key at once, the rest in arrival order', async () => {
    const limiter = new KeyedLimiter(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const done = gates.map((g, i) =>
      limiter.run('workshop', async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    gates[1].open();
    await done[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[0].open();
    gates[2].open();
    await Promise.all([done[0], done[2]]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3].open();
    gates[4].open();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.activeKeys).toBe(0);
  });

  it('lets different keys run side by side', async () => {
    const limiter = new KeyedLimiter(1);
    const a = gate();
    const started: string[] = [];
    const first = limiter.run('a', async () => {
      started.push('a');
      await a.opened;
    });
    const second = limiter.run('b', () => {
      started.push('b');
      return Promise.resolve();
    });
    await second;
    expect(started).toEqual(['a', 'b']);
    a.open();
    await first;
  });

  it('passes its place on when a task fails, and rethrows the failure', async () => {
    const limiter = new KeyedLimiter(1);
    const failing = limiter.run('k', () => Promise.reject(new Error('refused')));
    const next = limiter.run('k', () => Promise.resolve('ran'));
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('ran');
    expect(limiter.activeKeys).toBe(0);
  });
});
