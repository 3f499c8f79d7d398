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
import { buildEngine, EngineUnavailable, threadsOf, type EngineRunner, type MemberModel } from './engine-sessions';
import { selectEngine } from './engine-selection';
import { int8Members } from './int8-variant';
import { machineProbe } from './machine-probe';
import { combineForks } from './combine-forks';
import { batchInputs, MAX_CELL_RUNS, variantAccuracy, type CellMeasurement, type CellPlan } from './measure-cell';
import { measureInFork } from './measure-in-fork';

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
 * `gpu` / `benchmark.run`: first each requested engine is prepared (the int8 copy made, sessions
 * built and timed, accuracy on the test split); then the cells are measured in `forks` rounds, each
 * round measuring every engine's share of every batch size in a new process per engine (see
 * `forks` in BenchmarkRequest); an engine's cells are combined, saved and announced after its last
 * round; then constraints and the selection. An engine this machine lacks is recorded
 * `available: false` with the reason; an engine that breaks while measuring is recorded with its
 * error and the benchmark goes on.
 */
export async function benchmarkRunJob(deps: BenchmarkRunDeps, payload: BenchmarkRunPayload, ctx: JobContext<'gpu', 'benchmark.run'>): Promise<BenchmarkRunResult> {
  const id = payload.benchmark_id;
  const emit = (e: BenchmarkEvent) => deps.events.append(id, e);
  const row = await deps.store.get(id);
  if (!row || row.status === 'completed' || row.status === 'failed') return { status: row?.status ?? 'failed' };
  const req = row.request;
  let progress: BenchmarkProgress = { cells_done: 0, cells_total: req.engines.length * req.batch_sizes.length * req.forks, current_engine: null, current_batch_size: null };
  let machine = machineInfo();
  if (!(await deps.store.start(id, machine, progress))) return { status: row.status };
  await emit({ type: 'status', status: 'running', error: null });
  const report = async (p: Partial<BenchmarkProgress>): Promise<void> => {
    progress = { ...progress, ...p };
    await Promise.all([deps.store.saveProgress(id, progress), ctx.progress(progress), emit({ type: 'progress', progress })]);
  };
  try {
    const members = await loadMembers(deps, row.model_version_ids);
    const set = await deps.testSets.digits(row.test_set);
    if (!set) throw new Error(`the test set ${row.test_set} is not available`);
    const prepared: PreparedEngine[] = [];
    for (const spec of req.engines) prepared.push(await prepareEngine(spec, members, set, row.test_set, report, ctx));
    const engines: BenchmarkEngineResult[] = [];
    const finish = async (e: PreparedEngine): Promise<void> => {
      engines.push(e.result);
      await deps.store.saveEngines(id, engines, progress);
      await emit({ type: 'engine', engine: withoutSamples(e.result) });
    };
    const advance = (cells: number): Promise<void> => report({ cells_done: progress.cells_done + cells });
    for (let fork = 0; fork < req.forks; fork++) {
      machine = { ...machine, speed_probe: [...(machine.speed_probe ?? []), machineProbe()] };
      await deps.store.saveMachine(id, machine);
      for (const e of prepared) {
        if (e.measuring) await measureFork(e, fork, req, set, { report, advance }, ctx);
        else await advance(req.batch_sizes.length);
        if (fork === req.forks - 1) await finish(e);
      }
    }
    await report({ current_engine: null, current_batch_size: null });
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

/** An engine between its preparation and its last fork: what it runs and what is known so far. */
interface PreparedEngine {
  readonly spec: BenchmarkEngineSpec;
  readonly variant: readonly MemberModel[];
  result: BenchmarkEngineResult;
  /** False once the engine is unavailable or broke: its remaining forks are skipped. */
  measuring: boolean;
  /** Each batch size's measurements so far, one per fork, in request order. */
  readonly parts: CellMeasurement[][];
}

async function prepareEngine(
  spec: BenchmarkEngineSpec,
  members: readonly MemberModel[],
  set: DigitSet,
  testSet: string,
  report: (p: Partial<BenchmarkProgress>) => Promise<void>,
  ctx: JobContext<'gpu', 'benchmark.run'>,
): Promise<PreparedEngine> {
  const base: BenchmarkEngineResult = { key: engineKey(spec), engine: spec.engine, threads: threadsOf(spec), variant: variantOf(spec.engine), available: true, unavailable_reason: null, setup_ms: null, accuracy: null, quantization: null, error: null, cells: [] };
  await report({ current_engine: base.key, current_batch_size: null });
  const t0 = performance.now();
  let runner: EngineRunner | undefined;
  let result = base;
  let variant = members;
  try {
    if (spec.engine === 'ort-cpu-int8') {
      const q = int8Members(members);
      variant = q.members;
      result = { ...result, quantization: q.summary };
    }
    runner = await buildEngine(spec, variant);
    result = { ...result, setup_ms: performance.now() - t0 };
    result = { ...result, accuracy: { test_set: testSet, count: set.count, accuracy: await variantAccuracy(runner, variant, set, ctx.signal) } };
    return { spec, variant, result, measuring: true, parts: [] };
  } catch (e) {
    if (ctx.signal?.aborted) throw e;
    if (e instanceof EngineUnavailable) return { spec, variant, result: { ...base, available: false, unavailable_reason: e.message }, measuring: false, parts: [] };
    ctx.logger.warn({ err: e, engine: base.key }, 'benchmark engine failed');
    return { spec, variant, result: { ...result, error: firstLine(e), cells: [] }, measuring: false, parts: [] };
  } finally {
    await runner?.release();
  }
}

/** Fork `fork`'s share of a cell: `iterations` split as evenly as whole runs allow, or the duration split evenly. */
function forkPlan(req: BenchmarkRequest, fork: number): CellPlan {
  if (req.duration_s !== undefined) return { warmup: req.warmup_iterations, iterations: 1, durationS: req.duration_s / req.forks, maxRuns: Math.floor(MAX_CELL_RUNS / req.forks) };
  return { warmup: req.warmup_iterations, iterations: Math.floor(req.iterations / req.forks) + (fork < req.iterations % req.forks ? 1 : 0) };
}

/** One fork of one engine, in a process of its own (see measureInFork): its share of every batch size; after the last fork, the cells combined. */
async function measureFork(
  e: PreparedEngine,
  fork: number,
  req: BenchmarkRequest,
  set: DigitSet,
  progress: { report: (p: Partial<BenchmarkProgress>) => Promise<void>; advance: (cells: number) => Promise<void> },
  ctx: JobContext<'gpu', 'benchmark.run'>,
): Promise<void> {
  const plan = forkPlan(req, fork);
  let done = 0;
  try {
    // Fewer runs than forks: the later forks have none to make.
    if (plan.durationS !== undefined || plan.iterations > 0) {
      await progress.report({ current_engine: e.result.key, current_batch_size: req.batch_sizes[0] ?? null });
      const cells = req.batch_sizes.map((batch) => ({ batch, inputs: batchInputs(set, e.variant, batch) }));
      await measureInFork({ spec: e.spec, variant: e.variant, cells, plan }, async (i, m) => {
        (e.parts[i] ??= []).push(m);
        done++;
        await progress.advance(1);
        const next = req.batch_sizes[i + 1];
        if (next !== undefined) await progress.report({ current_batch_size: next });
      }, ctx.signal);
    } else {
      await progress.advance(req.batch_sizes.length);
    }
    if (fork === req.forks - 1) e.result = { ...e.result, cells: req.batch_sizes.map((batch, i) => combineForks(batch, e.parts[i] ?? [], e.spec.engine)) };
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    ctx.logger.warn({ err, engine: e.result.key }, 'benchmark engine failed');
    e.result = { ...e.result, error: firstLine(err), cells: [] };
    e.measuring = false;
    await progress.advance(req.batch_sizes.length - done);
  }
}
