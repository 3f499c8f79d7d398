import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { AppError, benchmarkJobId, ServableEngine, type ActivationEngine, type BenchmarkApplyRequest, type BenchmarkEngine, type BenchmarkList, type BenchmarkRecord, type BenchmarkRequest, type Identity, type ModelVersion, type QuantizationSummary } from '@inkwell/contracts';
import { currentRequestId } from '@inkwell/logger';
import { auditRecorder, enqueueJob } from '@inkwell/outbox';
import { servedFolder, type ActivationsService } from '../activations/activations.service';
import type { ActivationsStore } from '../activations/activations.store';
import { quantizeInt8Copies, writeInt8Copies, type Int8Copy } from '../activations/int8-copies';
import type { ModelVersionsStore } from '../models/model-versions.store';
import type { BenchmarkRow, BenchmarksStore } from './benchmarks.store';

const recordAudit = auditRecorder('trainer');

export interface BenchmarksServiceDeps {
  readonly db: Knex;
  readonly store: BenchmarksStore;
  readonly versions: ModelVersionsStore;
  readonly activations: ActivationsStore;
  /** The registry: an apply is an activation, with the promotion's gate and history. */
  readonly registry: ActivationsService;
  /** Version folders are `<dataDir>/<artifact_path>`; the int8 copies are written beside their model.onnx. */
  readonly dataDir: string;
  /** Wakes the outbox relay after a commit, so the `gpu` job leaves at once. */
  readonly kick: () => void;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Why an engine a benchmark can select is not one inference can be told to run. */
const NOT_SERVABLE: Partial<Record<BenchmarkEngine, string>> = {
  'ort-wasm': 'ort-wasm is what the browser runs (onnxruntime-web\'s WebAssembly backend); the server runs onnxruntime-node, which computes the same on native code, so apply does not serve WASM: benchmark ort-cpu to choose a server engine',
  cuda: 'cuda is chosen per deployment (INFERENCE_EXECUTION_PROVIDER on a machine with the CUDA libraries), not by apply',
  'tensorrt-fp16': 'tensorrt-fp16 is chosen per deployment (INFERENCE_EXECUTION_PROVIDER on a machine with TensorRT), not by apply',
};

/** A 409 whose `details.reason` is a stable code a client can branch on. */
const refused = (reason: string, message: string, details: Record<string, unknown> = {}): AppError => new AppError('conflict', message, { reason, ...details });

/**
 * Refuses int8 copies made now that are not the files the benchmark measured (the quantizer or a
 * model file changed since): its accuracy is not theirs. Member by member by SHA-256; a benchmark
 * recorded before the hashes were is compared by total size.
 */
function checkSameInt8(copies: readonly Int8Copy[], measured: QuantizationSummary | null): void {
  if (!measured) return;
  const now = copies.map((c) => c.sha256);
  if (measured.member_sha256) {
    const changed = now.flatMap((sha, i) => (measured.member_sha256?.[i] === sha ? [] : [i]));
    if (changed.length === 0 && now.length === measured.member_sha256.length) return;
    throw refused('variant_changed', 'The int8 copies made now differ from the ones benchmarked: benchmark again', { members: changed });
  }
  const written = copies.reduce((n, c) => n + c.data.length, 0);
  if (written !== measured.size_bytes_after) {
    throw refused('variant_changed', `The int8 copies made now (${written} bytes) differ from the ones benchmarked (${measured.size_bytes_after} bytes): benchmark again`);
  }
}

/** The record as the API shows it; raw samples only when asked for (they are most of its bytes). */
export function recordOf(row: BenchmarkRow, samples: boolean): BenchmarkRecord {
  return {
    id: row.id,
    owner_id: row.owner_id,
    status: row.status,
    error: row.error,
    request: row.request,
    model_version_ids: row.model_version_ids,
    model_names: row.model_names,
    test_set: row.test_set,
    machine: row.machine,
    progress: row.progress,
    engines: samples ? row.engines : row.engines.map((e) => ({ ...e, cells: e.cells.map(({ samples_ms: _s, ...c }) => c) })),
    constraints: row.constraints,
    selection: row.selection,
    applied: row.applied,
    created_at: row.created_at.toISOString(),
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
  };
}

/**
 * Starts benchmarks (the versions are resolved now: `active` means the set serving at this
 * moment, whatever is promoted while the job waits) and shows them. Every signed-in user may read
 * every benchmark: they describe models, not anyone's data.
 */
export class BenchmarksService {
  constructor(private readonly d: BenchmarksServiceDeps) {}

  async create(who: Identity, req: BenchmarkRequest): Promise<BenchmarkRecord> {
    const versionIds = await this.resolve(req.model_version_id);
    const members: ModelVersion[] = [];
    for (const vid of versionIds) {
      const v = await this.d.versions.find(vid);
      if (!v || v.view.status === 'deleted') throw new AppError('not_found', `No such model version: ${vid}`);
      // Evaluating is fine (the benchmark scores its variants itself); a file that could not be scored is not.
      if (v.view.status === 'failed') throw new AppError('conflict', `The model version ${vid} failed its evaluation: its file cannot be run`, { status: v.view.status });
      members.push(v.view);
    }
    const testSets = new Set(members.map((m) => m.test_set));
    const [testSet] = testSets;
    if (testSets.size !== 1 || testSet === undefined) throw new AppError('conflict', `The ensemble's versions were tested on different test sets (${[...testSets].join(', ')})`);
    const id = randomUUID();
    const requestId = currentRequestId() ?? null;
    const row = await this.d.db.transaction(async (trx) => {
      const created = await this.d.store.insert(trx, {
        id, ownerId: who.sub, request: req, versionIds, names: members.map((m) => m.name), testSet,
        progress: { cells_done: 0, cells_total: req.engines.length * req.batch_sizes.length * req.forks, current_engine: null, current_batch_size: null },
      });
      await enqueueJob(trx, 'gpu', 'benchmark.run', { benchmark_id: id, request_id: requestId }, { request_id: requestId, actor_id: who.sub }, { jobId: benchmarkJobId(id) });
      await recordAudit(trx, { action: 'benchmark.start', actor: who, target: { type: 'benchmark', id }, details: { model_version_ids: versionIds, engines: req.engines.length, batch_sizes: req.batch_sizes } });
      return created;
    });
    this.d.kick();
    return recordOf(row, false);
  }

  /** A version id, or the versions serving now (in serving order). */
  private async resolve(ref: BenchmarkRequest['model_version_id']): Promise<string[]> {
    if (ref !== 'active') return [ref];
    const latest = await this.d.activations.latest();
    if (!latest) throw new AppError('not_found', 'Nothing is active: promote a version, or name one');
    return [...latest.view.to_ids];
  }

  async get(id: string, samples = false): Promise<BenchmarkRecord> {
    return recordOf(await this.row(id), samples);
  }

  async row(id: string): Promise<BenchmarkRow> {
    const row = await this.d.store.get(id);
    if (!row) throw new AppError('not_found', 'No such benchmark');
    return row;
  }

  /**
   * Makes the selection what inference runs: the benchmarked versions, on the selected engine's
   * variant (the int8 copies written now by the quantizer the benchmark measured) and thread
   * count, as an `apply` activation through the registry's promotion gate, judged on the accuracy
   * the benchmark measured for that variant.
   */
  async apply(who: Identity, id: string, body: BenchmarkApplyRequest): Promise<BenchmarkRecord> {
    const row = await this.row(id);
    if (row.status !== 'completed') throw refused('not_completed', `The benchmark is ${row.status}: only a completed benchmark's selection can be applied`, { status: row.status });
    const chosen = row.selection?.selected ?? null;
    if (!chosen) throw refused('nothing_selected', `The benchmark selected no engine, so there is nothing to apply: ${row.selection?.summary ?? 'no selection'}`);
    const engine = ServableEngine.safeParse(chosen.engine);
    if (!engine.success) throw refused('engine_not_servable', `Cannot apply ${chosen.engine_key}: ${NOT_SERVABLE[chosen.engine] ?? 'inference cannot run it'}`, { engine: chosen.engine });
    const result = row.engines.find((e) => e.key === chosen.engine_key);
    const accuracy = result?.accuracy?.accuracy;
    if (accuracy === undefined) throw refused('no_accuracy', `The benchmark has no test accuracy for ${chosen.engine_key}: the promotion gate cannot judge it`);
    const members: ModelVersion[] = [];
    for (const vid of row.model_version_ids) {
      const v = await this.d.versions.find(vid);
      if (!v || v.view.status === 'deleted') throw refused('version_gone', `The benchmarked version ${vid} was deleted: benchmark the versions to serve`, { version_id: vid });
      servedFolder(v.view);
      members.push(v.view);
    }
    // In memory: the files are written only once the activation's checks pass (a refusal leaves them as they were).
    const copies = chosen.variant === 'int8' ? await quantizeInt8Copies(members.map((m) => join(this.d.dataDir, m.artifact_path))) : [];
    if (chosen.variant === 'int8') checkSameInt8(copies, result?.quantization ?? null);
    const settings: ActivationEngine = { engine: engine.data, variant: chosen.variant, threads: chosen.threads ?? 1, benchmark_id: row.id, files: copies.map(({ file, sha256 }) => ({ file, sha256 })) };
    await this.d.registry.applyEngine(who, {
      versionIds: row.model_version_ids, engine: settings, accuracy, force: body.force, reason: body.reason ?? null,
      onActivated: async (trx, activation) => {
        // The record first: a failing write then undoes it with the activation.
        await this.d.store.markApplied(trx, row.id, { activation_id: activation.id, applied_by: who.sub, applied_at: activation.created_at });
        await writeInt8Copies(copies);
      },
    });
    return this.get(id);
  }

  async list(): Promise<BenchmarkList> {
    const rows = await this.d.store.list();
    return { items: rows.map((r) => { const { engines: _e, constraints: _c, ...rest } = recordOf(r, false); return rest; }) };
  }
}
