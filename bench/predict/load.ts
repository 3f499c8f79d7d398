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
