import { z } from 'zod';

/* Which inference engines a benchmark measures: each is a variant of the same model (issue 23). */

/**
 * `ort-cpu`: onnxruntime-node on CPU (float32); `ort-cpu-int8`: the same on an int8 dynamically
 * quantized copy Inkwell makes itself; `ort-wasm`: onnxruntime-web's WebAssembly backend run in
 * Node (what the browser runs); `cuda`, `tensorrt-fp16`: onnxruntime-node's GPU providers, only
 * where this build and machine have them (never measured on CPU under their names).
 */
export const BENCHMARK_ENGINES = ['ort-cpu', 'ort-cpu-int8', 'ort-wasm', 'cuda', 'tensorrt-fp16'] as const;
export const BenchmarkEngine = z.enum(BENCHMARK_ENGINES);
export type BenchmarkEngine = z.infer<typeof BenchmarkEngine>;

/** Engines whose CPU thread count the request sets; the others ignore `threads` (and refuse it). */
export const THREADED_ENGINES: readonly BenchmarkEngine[] = ['ort-cpu', 'ort-cpu-int8'];

/** `all`: every core the machine reports (os.availableParallelism()). */
export const BenchmarkThreads = z.union([z.int().min(1).max(256), z.literal('all')]);
export type BenchmarkThreads = z.infer<typeof BenchmarkThreads>;

/** One engine to measure. `threads` defaults to 1 for the CPU engines. */
export const BenchmarkEngineSpec = z
  .object({ engine: BenchmarkEngine, threads: BenchmarkThreads.optional() })
  .strict()
  .refine((s) => s.threads === undefined || THREADED_ENGINES.includes(s.engine), { message: 'threads applies to ort-cpu and ort-cpu-int8 only', path: ['threads'] });
export type BenchmarkEngineSpec = z.infer<typeof BenchmarkEngineSpec>;

/** The model variant an engine runs: the float32 ONNX file(s), or their int8 quantized copies. */
export const BenchmarkVariant = z.enum(['float32', 'int8']);
export type BenchmarkVariant = z.infer<typeof BenchmarkVariant>;

export const variantOf = (engine: BenchmarkEngine): BenchmarkVariant => (engine === 'ort-cpu-int8' ? 'int8' : 'float32');

/**
 * The stable name of one engine configuration in a record (`ort-cpu@1t`, `ort-cpu@allt`,
 * `ort-wasm`): constraint results, selection and reports refer to engines by it.
 */
export function engineKey(spec: BenchmarkEngineSpec): string {
  if (!THREADED_ENGINES.includes(spec.engine)) return spec.engine;
  return `${spec.engine}@${String(spec.threads ?? 1)}t`;
}
