import { FreshQuery } from './fresh-query';

/** A query whose answers the test releases one at a time. */
function controlledQuery() {
  const pending: Array<(value: number) => void> = [];
  let started = 0;
  const query = () => {
    started++;
    return new Promise<number>((resolve) => pending.push(resolve));
  };
  return { query, pending, started: () => started };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(FreshQuery.name, () => {
  it('runs one query for a caller alone', async () => {
    const q = controlledQuery();
    const fresh = new FreshQuery(q.query);
    const answer = fresh.get();
    q.pending[0](1);
    expect(await answer).toBe(1);
    expect(q.started()).toBe(1);
  });

  it('makes callers who arrive during a query wait for the next one, and share it', async () => {
    const q = controlledQuery();
    const fresh = new FreshQuery(q.query);
    const first = fresh.get();
    const late = [fresh.get(), fresh.get(), fresh.get()];
    expect(q.started()).toBe(1);
    q.pending[0](1);
    expect(await first).toBe(1);
    await tick();
    expect(q.started()).toBe(2);
    q.pending[1](2);
    expect(await Promise.all(late)).toEqual([2, 2, 2]);
  });

  it('starts afresh after a failure, and passes the failure to its callers', async () => {
    let calls = 0;
    const fresh = new FreshQuery(() => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve(calls);
    });
    await expect(fresh.get()).rejects.toThrow('down');
    expect(await fresh.get()).toBe(2);
  });
});
