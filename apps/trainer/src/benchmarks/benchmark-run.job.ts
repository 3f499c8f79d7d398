import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { engineKey, ModelManifest, variantOf, type BenchmarkEngineResult, type BenchmarkEngineSpec, type BenchmarkEvent, type BenchmarkMachine, type BenchmarkProgress, type BenchmarkRequest, type BenchmarkRunPayload, type BenchmarkRunResult } from '@inkwell/contracts';
import type { DigitSet } from '@inkwell/ml-data';
import { MANIFEST_FILE, MODEL_FILE } from '@inkwell/model-artifacts';
import type { JobContext } from '@inkwell/queue';
import type { ModelVersionsStore } from '../models/model-versions.store';
import type { TestSets } from '../models/test-sets';
import type { BenchmarkEvents } from './benchmark-events';
import type { BenchmarksStore } from './benchmarks.store';
import { evaluateConstraints } from './constraint-check';
import { buildEngine, EngineUnavailable, threadsOf, type MemberModel } from './engine-sessions';
import { selectEngine } from './engine-selection';
import { int8Members } from './int8-variant';
import { latencyStats, throughputOf } from './latency-stats';
import { batchInputs, measureCell, variantAccuracy } from './measure-cell';

export interface BenchmarkRunDeps {
  readonly store: BenchmarksStore;
  readonly events: BenchmarkEvents;
  readonly versions: ModelVersionsStore;
  readonly testSets: TestSets;
  readonly dataDir: string;
}

const firstLine = (e: unknown): string => String(e instanceof Error ? e.message : e).split('\n')[0] ?? 'unknown error';

export function machineInfo(): BenchmarkMachine {
  return { cpu_model: cpus()[0]?.model.trim() ?? 'unknown', cores: availableParallelism(), platform: `${process.platform}-${process.arch}`, node: process.version, onnxruntime: ort.env.versions.common, total_mem_mb: Math.round(totalmem() / (1024 * 1024)) };
}

/** The members' float32 files and I/O settings, in serving order (an ensemble is run whole). */
async function loadMembers(deps: BenchmarkRunDeps, ids: readonly string[]): Promise<MemberModel[]> {
  const out: MemberModel[] = [];
  for (const id of ids) {
    const v = await deps.versions.find(id);
    if (!v) throw new Error(`model version ${id} no longer exists`);
    const dir = join(deps.dataDir, v.view.artifact_path);
    const manifest = ModelManifest.safeParse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => '{}')));
    const io = manifest.success ? manifest.data : { input_name: 'image', output_name: 'probs', normalization: { mean: 0.1307, std: 0.3081 } };
    out.push({ name: v.view.name, bytes: new Uint8Array(await readFile(join(dir, MODEL_FILE))), inputName: io.input_name, outputName: io.output_name, normalization: io.normalization });
  }
  return out;
}

/** The engine's result without raw samples: what events carry (the row keeps them). */
const withoutSamples = (e: BenchmarkEngineResult): BenchmarkEngineResult => ({ ...e, cells: e.cells.map(({ samples_ms: _s, ...c }) => c) });

/**
 * `gpu` / `benchmark.run`: each requested engine in turn (sessions built, the int8 copy made,
 * accuracy on the test split), then every batch size (warmup, measured runs); results are saved
 * and announced engine by engine; then constraints and the selection. An engine this machine
 * lacks is recorded `available: false` with the reason; an engine that breaks while measuring is
 * recorded with its error and the benchmark goes on.
 */
export async function benchmarkRunJob(deps: BenchmarkRunDeps, payload: BenchmarkRunPayload, ctx: JobContext<'gpu', 'benchmark.run'>): Promise<BenchmarkRunResult> {
  const id = payload.benchmark_id;
  const emit = (e: BenchmarkEvent) => deps.events.append(id, e);
  const row = await deps.store.get(id);
  if (!row || row.status === 'completed' || row.status === 'failed') return { status: row?.status ?? 'failed' };
  const req = row.request;
  let progress: BenchmarkProgress = { cells_done: 0, cells_total: req.engines.length * req.batch_sizes.length, current_engine: null, current_batch_size: null };
  if (!(await deps.store.start(id, machineInfo(), progress))) return { status: row.status };
  await emit({ type: 'status', status: 'running', error: null });
  try {
    const members = await loadMembers(deps, row.model_version_ids);
    const set = await deps.testSets.digits(row.test_set);
    if (!set) throw new Error(`the test set ${row.test_set} is not available`);
    const engines: BenchmarkEngineResult[] = [];
    for (const spec of req.engines) {
      const result = await runEngine(spec, req, members, set, row.test_set, async (p) => {
        progress = { ...progress, ...p };
        await Promise.all([deps.store.saveProgress(id, progress), ctx.progress(progress), emit({ type: 'progress', progress })]);
      }, ctx);
      engines.push(result);
      progress = { ...progress, cells_done: engines.length * req.batch_sizes.length, current_engine: null, current_batch_size: null };
      await deps.store.saveEngines(id, engines, progress);
      await emit({ type: 'engine', engine: withoutSamples(result) });
      await emit({ type: 'progress', progress });
    }
    const evaluations = evaluateConstraints(engines, req.constraints);
    const selection = selectEngine(engines, evaluations, req.constraints, req.rank_by);
    await deps.store.complete(id, evaluations, selection, progress);
    await emit({ type: 'status', status: 'completed', error: null });
    ctx.logger.info({ benchmark_id: id, selected: selection.selected?.engine_key ?? null }, 'benchmark completed');
    return { status: 'completed' };
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    const error = firstLine(err);
    ctx.logger.error({ err, benchmark_id: id }, 'benchmark failed');
    await deps.store.fail(id, error);
    await emit({ type: 'status', status: 'failed', error });
    return { status: 'failed' };
  }
}

async function runEngine(
  spec: BenchmarkEngineSpec,
  req: BenchmarkRequest,
  members: readonly MemberModel[],
  set: DigitSet,
  testSet: string,
  report: (p: Partial<BenchmarkProgress>) => Promise<void>,
  ctx: JobContext<'gpu', 'benchmark.run'>,
): Promise<BenchmarkEngineResult> {
  const base: BenchmarkEngineResult = { key: engineKey(spec), engine: spec.engine, threads: threadsOf(spec), variant: variantOf(spec.engine), available: true, unavailable_reason: null, setup_ms: null, accuracy: null, quantization: null, error: null, cells: [] };
  await report({ current_engine: base.key, current_batch_size: null });
  const t0 = performance.now();
  let runner;
  let result = base;
  try {
    let variant = members;
    if (spec.engine === 'ort-cpu-int8') {
      const q = int8Members(members);
      variant = q.members;
      result = { ...result, quantization: q.summary };
    }
    runner = await buildEngine(spec, variant);
    result = { ...result, setup_ms: performance.now() - t0 };
    result = { ...result, accuracy: { test_set: testSet, count: set.count, accuracy: await variantAccuracy(runner, variant, set, ctx.signal) } };
    for (const batch of req.batch_sizes) {
      await report({ current_engine: base.key, current_batch_size: batch });
      const m = await measureCell(runner, batchInputs(set, variant, batch), batch, { warmup: req.warmup_iterations, iterations: req.iterations, durationS: req.duration_s }, ctx.signal);
      result = {
        ...result,
        cells: [...result.cells, { batch_size: batch, iterations: m.samplesMs.length, latency: latencyStats(m.samplesMs), throughput: throughputOf(m.samplesMs, batch), cpu_pct: m.cpuPct, peak_rss_mb: m.peakRssMb, gpu: spec.engine === 'cuda' || spec.engine === 'tensorrt-fp16' ? { util_pct: null, mem_mb: null } : null, warmup: { iterations: req.warmup_iterations, total_ms: m.warmupMs }, samples_ms: m.samplesMs }],
      };
    }
    return result;
  } catch (e) {
    if (ctx.signal?.aborted) throw e;
    if (e instanceof EngineUnavailable) return { ...base, available: false, unavailable_reason: e.message };
    ctx.logger.warn({ err: e, engine: base.key }, 'benchmark engine failed');
    return { ...result, error: firstLine(e), cells: [] };
  } finally {
    await runner?.release();
  }
}
