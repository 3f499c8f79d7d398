import { describe, expect, it } from 'vitest';
import { Argon2Pool } from './argon2-pool';

/** A unit of work the test finishes by hand, to see what the pool lets run. */
const gate = () => {
  let open: () => void = () => undefined;
  const done = new Promise<void>((r) => (open = r));
  return { done, open };
};

describe('argon2 pool', () => {
  it('never runs more than its concurrency, refuses beyond its queue at once, and lets sign-ins go first', async () => {
    const pool = new Argon2Pool({ concurrency: 2, queueMax: 3 });
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const job = (name: string, g: { done: Promise<void> }) => async () => {
      running++;
      most = Math.max(most, running);
      order.push(name);
      await g.done;
      running--;
    };
    const gates = Array.from({ length: 5 }, gate);
    const [g0, g1, g2, g3, g4] = gates as [ReturnType<typeof gate>, ReturnType<typeof gate>, ReturnType<typeof gate>, ReturnType<typeof gate>, ReturnType<typeof gate>];
    const runs = [
      pool.run('other', job('change-1', g0)),
      pool.run('other', job('change-2', g1)),
      pool.run('other', job('change-3', g2)),
      pool.run('other', job('change-4', g3)),
      pool.run('sign-in', job('sign-in', g4)),
    ];
    await expect(pool.run('other', job('change-5', gate()))).rejects.toMatchObject({ code: 'service_unavailable', headers: { 'Retry-After': '1' } });
    expect(order).toEqual(['change-1', 'change-2']);
    g0.open();
    await runs[0];
    // The queued sign-in takes the first free slot, ahead of the changes that waited longer.
    await expect.poll(() => order.length).toBe(3);
    expect(order[2]).toBe('sign-in');
    for (const g of gates) g.open();
    await Promise.all(runs);
    expect(most).toBe(2);
    expect(order).toHaveLength(5);
  });
});
