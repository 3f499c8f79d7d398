import type { Knex } from 'knex';
import { z } from 'zod';
import { BenchmarkApplied, BenchmarkEngineResult, BenchmarkMachine, BenchmarkProgress, BenchmarkRecord, BenchmarkSelection, ConstraintEvaluation, type BenchmarkRequest } from '@inkwell/contracts';

/** A stored benchmark: the API's record, with PostgreSQL's timestamps as dates. */
export const BenchmarkRow = BenchmarkRecord.extend({
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
});
export type BenchmarkRow = z.infer<typeof BenchmarkRow>;

export interface NewBenchmark {
  readonly id: string;
  readonly ownerId: string | null;
  readonly request: BenchmarkRequest;
  readonly versionIds: readonly string[];
  readonly names: readonly string[];
  readonly testSet: string;
  readonly progress: BenchmarkProgress;
}

/** Columns of the listing: everything but the per-engine tables (and their raw samples). */
const LIST_COLUMNS = ['id', 'owner_id', 'status', 'error', 'request', 'model_version_ids', 'model_names', 'test_set', 'machine', 'progress', 'selection', 'applied', 'created_at', 'started_at', 'finished_at'];

/** All SQL of `ml.benchmarks`. */
export class BenchmarksStore {
  constructor(private readonly db: Knex) {}

  async insert(trx: Knex, b: NewBenchmark): Promise<BenchmarkRow> {
    const [row] = (await trx('benchmarks')
      .insert({ id: b.id, owner_id: b.ownerId, status: 'queued', request: JSON.stringify(b.request), model_version_ids: JSON.stringify(b.versionIds), model_names: JSON.stringify(b.names), test_set: b.testSet, progress: JSON.stringify(b.progress) })
      .returning('*')) as unknown[];
    return BenchmarkRow.parse(row);
  }

  async get(id: string, trx: Knex = this.db): Promise<BenchmarkRow | null> {
    const row: unknown = await trx('benchmarks').where({ id }).first();
    return row ? BenchmarkRow.parse(row) : null;
  }

  async lock(trx: Knex, id: string): Promise<BenchmarkRow | null> {
    const row: unknown = await trx('benchmarks').where({ id }).forUpdate().first();
    return row ? BenchmarkRow.parse(row) : null;
  }

  async list(): Promise<BenchmarkRow[]> {
    const rows: unknown[] = await this.db('benchmarks').orderBy('created_at', 'desc').orderBy('id').limit(200).select(LIST_COLUMNS);
    return rows.map((r) => BenchmarkRow.parse({ ...(r as object), engines: [], constraints: [] }));
  }

  /** Queued (or running, for a benchmark whose worker died) -> running, starting over; false when it already finished. */
  async start(id: string, machine: BenchmarkMachine, progress: BenchmarkProgress): Promise<boolean> {
    const n = await this.db('benchmarks')
      .where({ id })
      .whereIn('status', ['queued', 'running'])
      .update({ status: 'running', started_at: this.db.fn.now(), machine: JSON.stringify(machine), progress: JSON.stringify(progress), engines: '[]', constraints: '[]', selection: null });
    return n > 0;
  }

  async saveEngines(id: string, engines: readonly BenchmarkEngineResult[], progress: BenchmarkProgress): Promise<void> {
    await this.db('benchmarks').where({ id, status: 'running' }).update({ engines: JSON.stringify(engines), progress: JSON.stringify(progress) });
  }

  async saveMachine(id: string, machine: BenchmarkMachine): Promise<void> {
    await this.db('benchmarks').where({ id, status: 'running' }).update({ machine: JSON.stringify(machine) });
  }

  async saveProgress(id: string, progress: BenchmarkProgress): Promise<void> {
    await this.db('benchmarks').where({ id, status: 'running' }).update({ progress: JSON.stringify(progress) });
  }

  async complete(id: string, constraints: readonly ConstraintEvaluation[], selection: BenchmarkSelection, progress: BenchmarkProgress): Promise<void> {
    await this.db('benchmarks')
      .where({ id })
      .update({ status: 'completed', constraints: JSON.stringify(constraints), selection: JSON.stringify(selection), progress: JSON.stringify(progress), finished_at: this.db.fn.now() });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.db('benchmarks').where({ id }).whereNot({ status: 'completed' }).update({ status: 'failed', error, finished_at: this.db.fn.now() });
  }

  async markApplied(trx: Knex, id: string, applied: BenchmarkApplied): Promise<void> {
    await trx('benchmarks').where({ id }).update({ applied: JSON.stringify(applied) });
  }
}
