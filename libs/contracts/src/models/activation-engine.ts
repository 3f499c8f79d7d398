import { z } from 'zod';
import { BenchmarkVariant } from '../benchmarks/benchmark-engines';

/* Which engine inference runs a set on, as a benchmark's apply chose it (issue 23, FR5.4). */

/**
 * The engines inference can be told to run: onnxruntime-node on the CPU, on the float32 files or
 * on their int8 copies. `ort-wasm` (the browser's engine; on a server it is the same arithmetic,
 * slower), `cuda` and `tensorrt-fp16` (chosen per deployment by INFERENCE_PROVIDER) are not applied:
 * apply refuses them with 409 and the reason.
 */
export const SERVABLE_ENGINES = ['ort-cpu', 'ort-cpu-int8'] as const;
export const ServableEngine = z.enum(SERVABLE_ENGINES);
export type ServableEngine = z.infer<typeof ServableEngine>;

/** The int8 copy's name beside a version's `model.onnx` (made by the trainer's quantizer when applied). */
export const INT8_MODEL_FILE = 'model.int8.onnx';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256');

/**
 * An activation's engine settings (null on an activation: the service's configured defaults, the
 * float32 files). `files` holds, for the int8 variant, each member's quantized file in serving
 * order with its SHA-256, which inference checks before loading; it is empty for float32.
 */
export const ActivationEngine = z.object({
  engine: ServableEngine,
  variant: BenchmarkVariant,
  /** Intra-op threads of every session (per inference worker). */
  threads: z.int().min(1).max(256),
  /** The benchmark whose selection this is. */
  benchmark_id: z.uuid(),
  files: z.array(z.object({ file: z.literal(INT8_MODEL_FILE), sha256: Sha256 })),
});
export type ActivationEngine = z.infer<typeof ActivationEngine>;

/**
 * What answered a read (`/v1/read`, `/v1/models/active`): the engine, the variant of the model
 * files and the intra-op threads per session. `benchmark_id`: the benchmark whose apply set it;
 * null when the service runs its configured defaults.
 */
export const ServingEngine = z.object({
  /** `ort-cpu`, `ort-cpu-int8`, or the GPU provider the deployment configured (`cuda`, `tensorrt`). */
  name: z.string(),
  variant: BenchmarkVariant,
  threads: z.int().nonnegative(),
  benchmark_id: z.uuid().nullable(),
});
export type ServingEngine = z.infer<typeof ServingEngine>;
