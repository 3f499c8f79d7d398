import { ReadResponse } from '@inkwell/contracts';
import { type BenchImage, multipartBody } from './fixtures';
import { type Latency, sequentialLatency } from './latency';
import { type Repeated, load, loadRepeated } from './load';

export interface ReadTarget {
  /** The server's base URL; reads go to `${url}/v1/read`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface MeasuredRow {
  readonly image: string;
  readonly connections: number;
  readonly result: Repeated;
  /** At 1 connection: the same load timed per request to the microsecond (autocannon floors to whole ms). */
  readonly exact?: Latency;
}

export interface MeasureOptions {
  readonly connections: readonly number[];
  readonly duration: number;
  readonly repeats: number;
  /** CPU seconds so far of each process to account per request. */
  readonly cpuSeconds: () => Record<string, number>;
  /** Called as each row is measured, so a long bench prints as it goes. */
  readonly onRow: (row: MeasuredRow) => void;
}

/**
 * POST /v1/read of each image at each connection count: first one request that must answer 200
 * in seed 004's contract (Inkwell and the reference alike), then a 2 s warm-up, then `repeats`
 * measured runs; at 1 connection, one more run of `duration` seconds timed to the microsecond.
 */
export async function measureReads(target: ReadTarget, images: readonly BenchImage[], opts: MeasureOptions): Promise<MeasuredRow[]> {
  const rows: MeasuredRow[] = [];
  for (const img of images) {
    const { body, contentType } = multipartBody(img);
    const headers = { ...target.headers, 'content-type': contentType };
    const check = await fetch(`${target.url}/v1/read`, { method: 'POST', headers, body });
    const answer: unknown = await check.json();
    if (check.status !== 200) throw new Error(`${img.name}: ${check.status} ${JSON.stringify(answer)}`);
    ReadResponse.parse(answer);
    for (const c of opts.connections) {
      const run = { url: `${target.url}/v1/read`, method: 'POST', headers, body, connections: c, pipelining: 1 };
      await load({ ...run, duration: 2 });
      const result = await loadRepeated(run, opts.duration, opts.repeats, opts.cpuSeconds);
      const exact = c === 1 ? await sequentialLatency(run.url, headers, body, opts.duration) : undefined;
      const row = { image: img.name, connections: c, result, ...(exact ? { exact } : {}) };
      opts.onRow(row);
      rows.push(row);
    }
  }
  return rows;
}
