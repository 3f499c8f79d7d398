import { describe, expect, it } from 'vitest';
import { type BatchExecutor, DynamicBatcher } from './dynamic-batcher';

/** An executor with `slots` workers whose runs finish when the test says so; row r answers probs filled with its first pixel. */
class HeldExecutor implements BatchExecutor<string> {
  readonly runs: number[] = [];
  private readonly pending: (() => void)[] = [];
  private busy = 0;
  constructor(private readonly slots: number) {}
  get idle(): number {
    return this.slots - this.busy;
  }
  run(pixels: Float32Array, rows: number): Promise<{ probs: Float32Array; tag: string }> {
    this.busy++;
    this.runs.push(rows);
    return new Promise((resolve) => {
      this.pending.push(() => {
        this.busy--;
        const probs = new Float32Array(rows * 10);
        for (let r = 0; r < rows; r++) probs.fill(pixels[r * 784] ?? 0, r * 10, r * 10 + 10);
        resolve({ probs, tag: 'set' });
      });
    });
  }
  finishAll(): void {
    for (const f of this.pending.splice(0)) f();
  }
}

const image = (value: number, rows = 1) => new Float32Array(784 * rows).fill(value);
const tick = () => new Promise((r) => setImmediate(r));
/** Lets completions, their `finally` and the batcher's next pump run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await tick();
};

describe('DynamicBatcher', () => {
  it('runs requests that arrive while the workers are busy together, each getting its own rows back', async () => {
    const ex = new HeldExecutor(1);
    const b = new DynamicBatcher(ex, { maxRows: 64, maxWaitUs: 0 });
    const signal = new AbortController().signal;
    const first = b.infer(image(1), 1, signal);
    await tick();
    const rest = [2, 3, 4, 5].map((v) => b.infer(image(v, 2), 2, signal));
    await tick();
    expect(ex.runs).toEqual([1]); // the others wait for the busy worker
    ex.finishAll();
    await first;
    await settle();
    expect(ex.runs).toEqual([1, 8]); // then leave as one batch of 4 requests x 2 rows
    ex.finishAll();
    const answers = await Promise.all(rest);
    expect(answers.map((a) => [a.probs.length, a.probs[0], a.probs[19]])).toEqual([
      [20, 2, 2],
      [20, 3, 3],
      [20, 4, 4],
      [20, 5, 5],
    ]);
  });

  it('never puts more than maxRows rows in one run', async () => {
    const ex = new HeldExecutor(1);
    const b = new DynamicBatcher(ex, { maxRows: 4, maxWaitUs: 0 });
    const signal = new AbortController().signal;
    const blocker = b.infer(image(0), 1, signal);
    await tick();
    const all = Array.from({ length: 6 }, (_, i) => b.infer(image(i), 3, signal));
    for (let i = 0; i < 8; i++) {
      ex.finishAll();
      await settle();
    }
    await Promise.all([blocker, ...all]);
    expect(ex.runs).toEqual([1, 3, 3, 3, 3, 3, 3]);
  });

  it('waits up to maxWaitUs for company while a worker is free', async () => {
    const ex = new HeldExecutor(2);
    const b = new DynamicBatcher(ex, { maxRows: 64, maxWaitUs: 20_000 });
    const signal = new AbortController().signal;
    const a = b.infer(image(1), 1, signal);
    await new Promise((r) => setTimeout(r, 5));
    const c = b.infer(image(2), 1, signal);
    await new Promise((r) => setTimeout(r, 40));
    expect(ex.runs).toEqual([2]);
    ex.finishAll();
    await Promise.all([a, c]);
  });

  it('lets patient requests (a batch job) wait for company, and sends them at once when an impatient one (a single read) arrives', async () => {
    const ex = new HeldExecutor(2);
    const b = new DynamicBatcher(ex, { maxRows: 64, maxWaitUs: 0 });
    const signal = new AbortController().signal;
    const patient = [1, 2, 3].map((v) => b.infer(image(v), 1, signal, 60_000));
    await new Promise((r) => setTimeout(r, 20));
    expect(ex.runs).toEqual([]); // a worker is free, yet they wait for more
    const single = b.infer(image(9), 1, signal);
    await settle();
    expect(ex.runs).toEqual([4]); // the single read does not wait: it leaves with them
    ex.finishAll();
    expect((await single).probs[0]).toBe(9);
    expect((await Promise.all(patient)).map((a) => a.probs[0])).toEqual([1, 2, 3]);
    // Alone, patient requests leave once their patience is out, or once a run is full.
    const late = b.infer(image(4), 1, signal, 5_000);
    await new Promise((r) => setTimeout(r, 30));
    expect(ex.runs).toEqual([4, 1]);
    const full = Array.from({ length: 64 }, (_, i) => b.infer(image(i), 1, signal, 60_000_000));
    await settle();
    expect(ex.runs).toEqual([4, 1, 64]);
    ex.finishAll();
    await Promise.all([late, ...full]);
  });

  it('puts a single read in the next run ahead of a batch job\'s queued rows', async () => {
    const ex = new HeldExecutor(1);
    const b = new DynamicBatcher(ex, { maxRows: 64, maxWaitUs: 0 });
    const signal = (): AbortSignal => new AbortController().signal;
    const first = Array.from({ length: 64 }, (_, i) => b.infer(image(i), 1, signal(), 60_000_000));
    await settle();
    expect(ex.runs).toEqual([64]);
    const queued = Array.from({ length: 64 }, (_, i) => b.infer(image(100 + i), 1, signal(), 60_000_000));
    const single = b.infer(image(7), 1, signal());
    let answered = false;
    void single.then(() => (answered = true));
    ex.finishAll();
    await settle();
    expect(ex.runs).toEqual([64, 64]); // the single read and 63 of the queued rows
    ex.finishAll();
    await settle();
    expect(answered).toBe(true);
    expect((await single).probs[0]).toBe(7);
    expect(b.depth).toBe(1); // the last queued row waits for company, as patient rows do
    const rest = b.infer(image(1), 1, signal(), 0);
    await settle();
    ex.finishAll();
    const answers = await Promise.all([...first, ...queued, rest]);
    expect(answers.slice(64, 128).map((a) => a.probs[0])).toEqual(Array.from({ length: 64 }, (_, i) => 100 + i));
  });

  it('drops a request whose deadline passes while it is queued, with the deadline\'s reason', async () => {
    const ex = new HeldExecutor(1);
    const b = new DynamicBatcher(ex, { maxRows: 64, maxWaitUs: 0 });
    const blocker = b.infer(image(1), 1, new AbortController().signal);
    await tick();
    const deadline = new AbortController();
    const late = b.infer(image(2), 1, deadline.signal);
    deadline.abort(new Error('deadline'));
    await expect(late).rejects.toThrow('deadline');
    expect(b.depth).toBe(0);
    ex.finishAll();
    await blocker;
    await settle();
    expect(ex.runs).toEqual([1]); // the dropped request never ran
  });

  it('runs a batch again, once, when its worker died, and fails it on every other error', async () => {
    class Dying implements BatchExecutor<string> {
      readonly runs: number[] = [];
      constructor(private readonly failures: unknown[]) {}
      get idle(): number {
        return 1;
      }
      run(pixels: Float32Array, rows: number): Promise<{ probs: Float32Array; tag: string }> {
        this.runs.push(rows);
        const failure = this.failures.shift();
        if (failure !== undefined) return Promise.reject(failure);
        const probs = new Float32Array(rows * 10);
        for (let r = 0; r < rows; r++) probs.fill(pixels[r * 784] ?? 0, r * 10, r * 10 + 10);
        return Promise.resolve({ probs, tag: 'set' });
      }
      retryable(err: unknown): boolean {
        return err === 'worker died';
      }
    }
    const once = new DynamicBatcher(new Dying(['worker died']), { maxRows: 64, maxWaitUs: 0 });
    const answers = await Promise.all([1, 2, 3].map((v) => once.infer(image(v), 1, new AbortController().signal)));
    expect(answers.map((a) => a.probs[0])).toEqual([1, 2, 3]);

    const twice = new DynamicBatcher(new Dying(['worker died', 'worker died']), { maxRows: 64, maxWaitUs: 0 });
    await expect(twice.infer(image(1), 1, new AbortController().signal)).rejects.toBe('worker died');

    const broken = new Dying([new Error('model exploded')]);
    const other = new DynamicBatcher(broken, { maxRows: 64, maxWaitUs: 0 });
    await expect(other.infer(image(1), 1, new AbortController().signal)).rejects.toThrow('model exploded');
    expect(broken.runs).toEqual([1]);
  });
});
