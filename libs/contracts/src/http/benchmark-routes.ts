import { z } from 'zod';
import { BenchmarkApplyRequest, BenchmarkGetQuery, BenchmarkIdParams, BenchmarkList, BenchmarkRecord } from '../benchmarks/benchmark-record';
import { BenchmarkRequest } from '../benchmarks/benchmark-request';
import { ErrorBody } from './errors';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType) => ({ description, ...(schema ? { schema } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

export const BENCHMARK_ROUTES = defineRoutes([
  {
    method: 'post', path: '/api/benchmarks', service: 'trainer', access: 'engineer', tag: 'benchmarks',
    summary: 'Benchmark a model version (or `active`: the set inference serves, an ensemble measured as it runs, probabilities averaged) on several engines (ort-cpu at chosen thread counts, ort-cpu-int8, ort-wasm, cuda, tensorrt-fp16) and batch sizes, as a `benchmark.run` job on the `gpu` queue (the two training slots); constraints are checked per engine x batch size and an engine is selected with reasons. Engines this machine lacks are listed `available: false` with the reason, never measured on CPU under their names',
    body: BenchmarkRequest,
    responses: { 202: ok('Queued', BenchmarkRecord), 400: err('validation_failed'), 404: err('not_found: no such model version (or nothing is active)'), 409: err('conflict: the version is not ready (evaluating, failed, deleted)') },
  },
  { method: 'get', path: '/api/benchmarks', service: 'trainer', access: 'viewer', tag: 'benchmarks', summary: 'Benchmarks, newest first (without their per-engine tables)', responses: { 200: ok('The benchmarks', BenchmarkList) } },
  {
    method: 'get', path: '/api/benchmarks/{id}', service: 'trainer', access: 'viewer', tag: 'benchmarks',
    summary: 'One benchmark: progress, per engine x batch size latency (mean, p50, p95, p99, max; nearest-rank percentiles), throughput, CPU %, peak RSS, GPU use, each variant\'s test accuracy, warmup apart, constraint checks, the selection and its reasoning; `samples=true` adds the raw samples',
    params: BenchmarkIdParams,
    query: BenchmarkGetQuery,
    responses: { 200: ok('The benchmark', BenchmarkRecord), 404: err('not_found') },
  },
  {
    method: 'get', path: '/api/benchmarks/{id}/events', service: 'trainer', access: 'viewer', tag: 'benchmarks',
    summary: 'Live progress as server-sent events (`progress`, `engine` as each engine finishes, then a final `status`); resumable with `Last-Event-ID`',
    params: BenchmarkIdParams,
    responses: { 200: { description: 'An event stream; each `data:` line is a BenchmarkEvent', contentType: 'text/event-stream' }, 404: err('not_found') },
  },
  {
    method: 'post', path: '/api/benchmarks/{id}/apply', service: 'trainer', access: 'admin', tag: 'benchmarks',
    summary: 'Make the selected engine and variant what inference runs for the benchmarked version (or ensemble): an `apply` activation in the registry, with the promotion\'s gate judged on the selected variant\'s measured test accuracy (`force` with a `reason` overrides it), in the activation history (who, when, engine, variant, threads, benchmark id) and undone by `POST /api/models/rollback` (back to the previous versions and engine settings). An int8 selection writes each member\'s `model.int8.onnx` (the same deterministic quantizer, its SHA-256 recorded; inference refuses a file that differs); every replica then loads it with the selected intra-op threads, and `/v1/read` and `/v1/models/active` name the engine in `engine`. Only ort-cpu and ort-cpu-int8 are applied: ort-wasm (the browser\'s engine), cuda and tensorrt-fp16 (set per deployment by INFERENCE_EXECUTION_PROVIDER) answer 409 `engine_not_servable`',
    params: BenchmarkIdParams,
    body: BenchmarkApplyRequest,
    responses: {
      200: ok('The benchmark, with `applied` (the activation id, who, when)', BenchmarkRecord),
      400: err('validation_failed: e.g. `force` without a `reason`'),
      404: err('not_found'),
      409: err('conflict, `details.reason`: `not_completed`, `nothing_selected` (no engine met the constraints), `engine_not_servable` (ort-wasm, cuda, tensorrt-fp16), `no_accuracy`, `version_gone` (a benchmarked version was deleted), `variant_changed` (the int8 copy made now differs from the one benchmarked), `already_serving` (this set on this engine serves now), `gate_refused` (details.gate), or a version that is not ready or not tested on mnist:test'),
    },
  },
] as const);
