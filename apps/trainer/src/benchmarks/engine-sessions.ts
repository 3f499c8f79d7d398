import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { variantOf, type BenchmarkEngine, type BenchmarkEngineSpec } from '@inkwell/contracts';
import type { Normalization } from '@inkwell/ml-data';
import { NO_SPINNING } from '@inkwell/onnx';

/** One member of the benchmarked set: its ONNX bytes (float32, or the int8 copy) and its manifest's I/O. */
export interface MemberModel {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly inputName: string;
  readonly outputName: string;
  readonly normalization: Normalization;
}

/**
 * One engine configuration, ready to run: a session per member. `run` takes one normalized input
 * per member ([n, 1, 28, 28]) and answers the members' probabilities averaged, as inference serves
 * an ensemble, so a measured latency is the whole set's.
 */
export interface EngineRunner {
  run(inputs: readonly Float32Array[], n: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Raised while building an engine the machine cannot run: the engine is listed `available: false` with this reason. */
export class EngineUnavailable extends Error {}

const firstLine = (e: unknown): string => String(e instanceof Error ? e.message : e).split('\n')[0] ?? 'unknown error';

export const threadsOf = (spec: BenchmarkEngineSpec): number | null => {
  if (spec.engine !== 'ort-cpu' && spec.engine !== 'ort-cpu-int8') return null;
  const t = spec.threads ?? 1;
  return t === 'all' ? availableParallelism() : t;
};

interface Session {
  run(feeds: Record<string, ort.Tensor | ortWeb.Tensor>): Promise<Record<string, { readonly data: unknown; readonly dims: readonly number[] }>>;
  release(): Promise<void>;
}

const GPU_PROVIDER: Partial<Record<BenchmarkEngine, 'cuda' | 'tensorrt'>> = { cuda: 'cuda', 'tensorrt-fp16': 'tensorrt' };

/**
 * Whether this onnxruntime-node build and machine have the GPU engine: its backend must be
 * listed and a session must be created on that provider alone (no CPU fallback), so a GPU engine
 * is never measured on the CPU under its name.
 */
async function gpuSession(engine: BenchmarkEngine, bytes: Uint8Array): Promise<ort.InferenceSession> {
  const provider = GPU_PROVIDER[engine];
  if (!provider) throw new Error(`${engine} is not a GPU engine`);
  const listed = ort.listSupportedBackends().find((b) => b.name === provider);
  if (!listed) throw new EngineUnavailable(`onnxruntime-node ${ort.env.versions.common} on this platform has no ${provider} execution provider`);
  // onnxruntime-node's provider options carry no FP16 switch; the TensorRT provider reads this one
  // from the environment when the session is created. Restored after, so no later session inherits it.
  const fp16Before = process.env['ORT_TENSORRT_FP16_ENABLE'];
  if (engine === 'tensorrt-fp16') process.env['ORT_TENSORRT_FP16_ENABLE'] = '1';
  try {
    return await ort.InferenceSession.create(bytes, { executionProviders: [provider], graphOptimizationLevel: 'all', logSeverityLevel: 4 });
  } catch (e) {
    throw new EngineUnavailable(`${provider} execution provider could not start (${listed.bundled ? 'bundled' : 'not bundled with onnxruntime-node; needs its CUDA/TensorRT libraries installed'}): ${firstLine(e)}`);
  } finally {
    if (fp16Before === undefined) delete process.env['ORT_TENSORRT_FP16_ENABLE'];
    else process.env['ORT_TENSORRT_FP16_ENABLE'] = fp16Before;
  }
}

async function createSession(spec: BenchmarkEngineSpec, bytes: Uint8Array): Promise<Session> {
  switch (spec.engine) {
    case 'ort-cpu':
    case 'ort-cpu-int8':
      // Without spinning, as inference serves (see NO_SPINNING): an ensemble's pools would otherwise fight for the cores.
      return ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', executionMode: 'sequential', interOpNumThreads: 1, intraOpNumThreads: threadsOf(spec) ?? 1, extra: NO_SPINNING });
    case 'ort-wasm':
      // One thread: what the browser gets without cross-origin isolation (the web app's case).
      ortWeb.env.wasm.numThreads = 1;
      return ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    case 'cuda':
    case 'tensorrt-fp16':
      return gpuSession(spec.engine, bytes);
  }
}

/** Builds the engine's sessions over every member (the int8 engine expects the int8 copies). */
export async function buildEngine(spec: BenchmarkEngineSpec, members: readonly MemberModel[]): Promise<EngineRunner> {
  const sessions: Session[] = [];
  try {
    for (const m of members) sessions.push(await createSession(spec, m.bytes));
  } catch (e) {
    await Promise.all(sessions.map((s) => s.release()));
    throw e;
  }
  const web = spec.engine === 'ort-wasm';
  return {
    async run(inputs, n) {
      const mean = new Float32Array(n * 10);
      for (let i = 0; i < members.length; i++) {
        const m = members[i] as MemberModel;
        const data = inputs[i] as Float32Array;
        const tensor = web ? new ortWeb.Tensor('float32', data, [n, 1, 28, 28]) : new ort.Tensor('float32', data, [n, 1, 28, 28]);
        const out = await (sessions[i] as Session).run({ [m.inputName]: tensor });
        const p = out[m.outputName]?.data;
        if (!(p instanceof Float32Array) || p.length !== n * 10) throw new Error(`${m.name}: output '${m.outputName}' is not float32 [N, 10]`);
        for (let k = 0; k < mean.length; k++) mean[k] = (mean[k] as number) + (p[k] as number);
      }
      for (let k = 0; k < mean.length; k++) mean[k] = (mean[k] as number) / members.length;
      return mean;
    },
    async release() {
      await Promise.all(sessions.map((s) => s.release()));
    },
  };
}

export { variantOf };
