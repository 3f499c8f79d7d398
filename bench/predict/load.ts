import { createRequire } from 'node:module';
import { z } from 'zod';

/** The part of autocannon's result the benches print; autocannon ships no types, so zod checks it. */
export const LoadResult = z.object({
  requests: z.object({ average: z.number(), total: z.number() }),
  latency: z.object({ p50: z.number(), p90: z.number(), p99: z.number(), average: z.number() }),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
});
export type LoadResult = z.infer<typeof LoadResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<unknown>;

/** One autocannon run (POST body replayed as is); resolves with its checked result. */
export async function load(opts: Record<string, unknown>): Promise<LoadResult> {
  return LoadResult.parse(await autocannon(opts));
}

export interface Repeated {
  /** The run with the median throughput: its req/s and percentiles are the ones to quote. */
  readonly median: LoadResult;
  readonly minRps: number;
  readonly maxRps: number;
  /** CPU milliseconds per request of each process over all runs together. */
  readonly cpuMsPerRequest: Record<string, number>;
}

/**
 * `repeats` back-to-back runs of `duration` seconds (after the caller's warm-up). This machine's
 * throughput drifts by +-15 % between identical runs, so one run is no measurement: the median
 * run is reported with the range beside it. `cpuSeconds` reads each process's CPU time so far;
 * the load generator's own (this process) is added as `autocannon`.
 */
export async function loadRepeated(opts: Record<string, unknown>, duration: number, repeats: number, cpuSeconds: () => Record<string, number>): Promise<Repeated> {
  const runs: LoadResult[] = [];
  const before = cpuSeconds();
  const loadgenBefore = process.cpuUsage();
  for (let i = 0; i < repeats; i++) runs.push(await load({ ...opts, duration }));
  const after = cpuSeconds();
  const loadgen = process.cpuUsage(loadgenBefore);
  after.autocannon = (loadgen.user + loadgen.system) / 1e6;
  const total = Math.max(1, runs.reduce((n, r) => n + r.requests.total, 0));
  const byRps = [...runs].sort((a, b) => a.requests.average - b.requests.average);
  const median = byRps[Math.floor(byRps.length / 2)];
  if (!median) throw new Error('loadRepeated needs at least one run');
  return {
    median,
    minRps: byRps[0]?.requests.average ?? 0,
    maxRps: byRps[byRps.length - 1]?.requests.average ?? 0,
    cpuMsPerRequest: Object.fromEntries(Object.entries(after).map(([k, v]) => [k, ((v - (before[k] ?? 0)) * 1000) / total])),
  };
}

/** `req/s (min-max)` then p50/p90/p99 ms, non-2xx and errors, column-aligned for the benches' tables. */
export function formatRepeated(name: string, connections: number, r: Repeated): string {
  const m = r.median;
  const range = r.minRps === r.maxRps ? '' : `(${r.minRps.toFixed(0)}-${r.maxRps.toFixed(0)})`;
  return `${name.padEnd(13)} ${String(connections).padStart(5)} ${m.requests.average.toFixed(0).padStart(7)} ${range.padEnd(11)} ${m.latency.p50.toFixed(1).padStart(7)} ${m.latency.p90.toFixed(1).padStart(7)} ${m.latency.p99.toFixed(1).padStart(7)} ${String(m.non2xx).padStart(8)} ${String(m.errors + m.timeouts).padStart(7)}`;
}
