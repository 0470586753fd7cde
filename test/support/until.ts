/** Waits until `condition` holds, checking every 100 ms; fails after `ms` saying what never happened. */
export async function until(condition: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < ms; ) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still not ${what} after ${ms / 1000} s`);
}
