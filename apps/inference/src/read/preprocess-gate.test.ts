import { describe, expect, it } from 'vitest';
import { isAppError } from '@inkwell/contracts';
import { PreprocessGate } from './preprocess-gate';

/** A job that runs until released, recording when it started. */
function job(log: string[], name: string): { run: () => Promise<string>; finish: () => void } {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((r) => (finish = r));
  return {
    run: async () => {
      log.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('PreprocessGate', () => {
  it('runs at most `limit` jobs at once and starts the rest in arrival order', async () => {
    const gate = new PreprocessGate(2);
    const log: string[] = [];
    const jobs = ['a', 'b', 'c', 'd'].map((n) => job(log, n));
    const results = jobs.map((j) => gate.run(j.run, new AbortController().signal));
    await tick();
    expect(log).toEqual(['a', 'b']);
    expect(gate.queued).toBe(2);
    jobs[1]?.finish();
    await tick();
    expect(log).toEqual(['a', 'b', 'c']);
    jobs[0]?.finish();
    jobs[2]?.finish();
    jobs[3]?.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.queued).toBe(0);
    // Places were all returned: two new jobs start at once.
    const more = [job(log, 'e'), job(log, 'f')];
    const running = more.map((j) => gate.run(j.run, new AbortController().signal));
    await tick();
    expect(log.slice(-2)).toEqual(['e', 'f']);
    for (const j of more) j.finish();
    await Promise.all(running);
  });

  it('starts urgent work (a single read) ahead of waiting batch items, in order among themselves', async () => {
    const gate = new PreprocessGate(1);
    const log: string[] = [];
    const jobs = new Map(['first', 'batch-1', 'batch-2', 'read-1', 'read-2'].map((n) => [n, job(log, n)]));
    const signal = new AbortController().signal;
    // Arrival order: first (runs at once), two batch items, then two single reads.
    const results = [...jobs].map(([name, j]) => gate.run(j.run, signal, name.startsWith('read')));
    await tick();
    expect(gate.queued).toBe(4);
    for (const name of ['first', 'read-1', 'read-2', 'batch-1', 'batch-2']) {
      jobs.get(name)?.finish();
      await tick();
    }
    expect(await Promise.all(results)).toEqual(['first', 'batch-1', 'batch-2', 'read-1', 'read-2']);
    expect(log).toEqual(['first', 'read-1', 'read-2', 'batch-1', 'batch-2']);
    expect(gate.queued).toBe(0);
  });

  it('gives up the turn of a request whose deadline passes while it waits, with the deadline error', async () => {
    const gate = new PreprocessGate(1);
    const log: string[] = [];
    const first = job(log, 'first');
    const running = gate.run(first.run, new AbortController().signal);
    const deadline = new AbortController();
    const late = gate.run(job(log, 'late').run, deadline.signal);
    const next = job(log, 'next');
    const after = gate.run(next.run, new AbortController().signal);
    deadline.abort();
    const err: unknown = await late.catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('timeout');
    first.finish();
    next.finish();
    expect(await Promise.all([running, after])).toEqual(['first', 'next']);
    expect(log).toEqual(['first', 'next']); // the late job never ran
  });

  it('returns the place when the job fails', async () => {
    const gate = new PreprocessGate(1);
    await expect(gate.run(() => Promise.reject(new Error('bad image')), new AbortController().signal)).rejects.toThrow('bad image');
    expect(await gate.run(() => Promise.resolve('ok'), new AbortController().signal)).toBe('ok');
  });
});
