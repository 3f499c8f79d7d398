import { z } from 'zod';
import { BenchmarkProgress, BenchmarkStatus } from './benchmark-record';

/** `gpu` / `benchmark.run`: the row (`ml.benchmarks`) holds the request; the queue only says which. */
export const BenchmarkRunPayload = z.object({ benchmark_id: z.uuid(), request_id: z.string().nullable() });
export type BenchmarkRunPayload = z.infer<typeof BenchmarkRunPayload>;

export const BenchmarkRunResult = z.object({ status: BenchmarkStatus });
export type BenchmarkRunResult = z.infer<typeof BenchmarkRunResult>;

export const BenchmarkRunProgress = BenchmarkProgress;

/** The BullMQ id of a benchmark's job: re-enqueueing the same benchmark is ignored. */
export const benchmarkJobId = (benchmarkId: string): string => `bench-${benchmarkId}`;
