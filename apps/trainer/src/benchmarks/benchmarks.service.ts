import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError, benchmarkJobId, type BenchmarkApplyRequest, type BenchmarkList, type BenchmarkRecord, type BenchmarkRequest, type Identity, type ModelVersion } from '@inkwell/contracts';
import { currentRequestId } from '@inkwell/logger';
import { auditRecorder, enqueueJob } from '@inkwell/outbox';
import type { ActivationsStore } from '../activations/activations.store';
import type { ModelVersionsStore } from '../models/model-versions.store';
import type { BenchmarkRow, BenchmarksStore } from './benchmarks.store';

const recordAudit = auditRecorder('trainer');

export interface BenchmarksServiceDeps {
  readonly db: Knex;
  readonly store: BenchmarksStore;
  readonly versions: ModelVersionsStore;
  readonly activations: ActivationsStore;
  /** Wakes the outbox relay after a commit, so the `gpu` job leaves at once. */
  readonly kick: () => void;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

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
        progress: { cells_done: 0, cells_total: req.engines.length * req.batch_sizes.length, current_engine: null, current_batch_size: null },
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
   * Not implemented yet: making the selected engine and variant what inference runs needs the
   * active set to carry engine settings (threads, the int8 file) through the registry and
   * inference's model manager to honour them. Until then this says so instead of pretending.
   */
  async apply(_who: Identity, id: string, _body: BenchmarkApplyRequest): Promise<BenchmarkRecord> {
    const row = await this.row(id);
    throw new AppError('conflict', 'Applying a benchmark\'s selection is not implemented yet: inference keeps its engine settings', { not_implemented: true, selected: row.selection?.selected?.engine_key ?? null });
  }

  async list(): Promise<BenchmarkList> {
    const rows = await this.d.store.list();
    return { items: rows.map((r) => { const { engines: _e, constraints: _c, ...rest } = recordOf(r, false); return rest; }) };
  }
}
