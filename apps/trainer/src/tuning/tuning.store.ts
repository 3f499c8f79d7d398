import type { Knex } from 'knex';
import { z } from 'zod';
import { ModelVersionMetrics, TrainFamily, TrialStatus, TuningJobStatus, TuningParamValue, TuningResult, type TuningTrialsQuery } from '@inkwell/contracts';
import { StudyRequest } from './study-request';

const Json = z.record(z.string(), z.json());

export const TuningJobRow = z.object({
  id: z.string(),
  owner_id: z.string().nullable(),
  family: TrainFamily,
  dataset_id: z.string(),
  split: Json,
  from_version_id: z.string().nullable(),
  request: StudyRequest,
  status: TuningJobStatus,
  error: z.string().nullable(),
  result: TuningResult.nullable(),
  kept_version_id: z.string().nullable(),
  discarded_at: z.date().nullable(),
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
});
export type TuningJobRow = z.infer<typeof TuningJobRow>;

export const TrialRow = z.object({
  job_id: z.string(),
  index: z.number().int(),
  params: z.record(z.string(), TuningParamValue),
  status: TrialStatus,
  val_accuracy: z.array(z.number()),
  value: z.number().nullable(),
  pruned_at_epoch: z.number().int().nullable(),
  model_id: z.string(),
  artifact_path: z.string().nullable(),
  test_metrics: ModelVersionMetrics.nullable(),
  error: z.string().nullable(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
});
export type TrialRow = z.infer<typeof TrialRow>;

/** A trial without its curves, files or scores: what the plots of a study of thousands need. */
export const TrialPoint = z.object({ index: z.number().int(), params: z.record(z.string(), TuningParamValue), status: TrialStatus, value: z.number().nullable(), pruned_at_epoch: z.number().int().nullable() });
export type TrialPoint = z.infer<typeof TrialPoint>;

export interface NewTuningJob {
  readonly id: string;
  readonly ownerId: string | null;
  readonly family: TrainFamily;
  readonly datasetId: string;
  readonly split: Record<string, unknown>;
  readonly fromVersionId: string | null;
  readonly request: StudyRequest;
}

export interface TrialOutcome {
  readonly status: 'completed' | 'pruned' | 'failed';
  readonly valAccuracy: readonly number[];
  readonly value: number | null;
  readonly prunedAtEpoch: number | null;
  readonly artifactPath: string | null;
  readonly testMetrics: ModelVersionMetrics | null;
  readonly error: string | null;
}

/** All SQL of `ml.tuning_jobs` and `ml.tuning_trials`. */
export class TuningStore {
  constructor(private readonly db: Knex) {}

  async insert(trx: Knex, j: NewTuningJob): Promise<TuningJobRow> {
    const [row] = (await trx('tuning_jobs')
      .insert({ id: j.id, owner_id: j.ownerId, family: j.family, dataset_id: j.datasetId, split: JSON.stringify(j.split), from_version_id: j.fromVersionId, request: JSON.stringify(j.request), status: 'queued' })
      .returning('*')) as unknown[];
    return TuningJobRow.parse(row);
  }

  async get(id: string, trx: Knex = this.db): Promise<TuningJobRow | null> {
    const row: unknown = await trx('tuning_jobs').where({ id }).first();
    return row ? TuningJobRow.parse(row) : null;
  }

  /** The row locked until `trx` ends: every decision about a study's trials is made under it, one at a time. */
  async lock(trx: Knex, id: string): Promise<TuningJobRow | null> {
    const row: unknown = await trx('tuning_jobs').where({ id }).forUpdate().first();
    return row ? TuningJobRow.parse(row) : null;
  }

  async list(ownerId: string | null): Promise<TuningJobRow[]> {
    const q = this.db('tuning_jobs').orderBy('created_at', 'desc').limit(200);
    if (ownerId !== null) void q.where({ owner_id: ownerId });
    const rows: unknown[] = await q;
    return rows.map((r) => TuningJobRow.parse(r));
  }

  async trials(jobId: string, trx: Knex = this.db): Promise<TrialRow[]> {
    const rows: unknown[] = await trx('tuning_trials').where({ job_id: jobId }).orderBy('index');
    return rows.map((r) => TrialRow.parse(r));
  }

  /** One page of trials in SQL (never the whole study in memory), and how many there are. */
  async trialPage(jobId: string, q: TuningTrialsQuery): Promise<{ rows: TrialRow[]; total: number }> {
    const page = this.db('tuning_trials').where({ job_id: jobId });
    // Unrated trials last in either direction; the index breaks ties so pages never overlap.
    if (q.sort === 'value') void page.orderByRaw(`value ${q.order === 'asc' ? 'asc' : 'desc'} nulls last, index asc`);
    else void page.orderBy('index', q.order);
    const [rows, [count]] = await Promise.all([page.offset(q.offset).limit(q.limit) as Promise<unknown[]>, this.db('tuning_trials').where({ job_id: jobId }).count<{ n: string }[]>({ n: '*' })]);
    return { rows: rows.map((r) => TrialRow.parse(r)), total: Number(count?.n ?? 0) };
  }

  /** Every trial's index, parameters, status and objective, in index order. */
  async points(jobId: string): Promise<TrialPoint[]> {
    const rows: unknown[] = await this.db('tuning_trials').where({ job_id: jobId }).orderBy('index').select('index', 'params', 'status', 'value', 'pruned_at_epoch');
    return rows.map((r) => TrialPoint.parse(r));
  }

  /** The best finished trial as `bestOf` ranks them (highest value, then lowest index), found by SQL. */
  async bestTrial(jobId: string): Promise<TrialRow | null> {
    const row: unknown = await this.db('tuning_trials').where({ job_id: jobId, status: 'completed' }).whereNotNull('value').whereNotNull('test_metrics').orderBy([{ column: 'value', order: 'desc' }, { column: 'index', order: 'asc' }]).first();
    return row ? TrialRow.parse(row) : null;
  }

  async trial(jobId: string, index: number, trx: Knex = this.db): Promise<TrialRow | null> {
    const row: unknown = await trx('tuning_trials').where({ job_id: jobId, index }).first();
    return row ? TrialRow.parse(row) : null;
  }

  async insertTrial(trx: Knex, jobId: string, index: number, params: Record<string, unknown>, modelId: string): Promise<void> {
    await trx('tuning_trials').insert({ job_id: jobId, index, params: JSON.stringify(params), status: 'queued', model_id: modelId });
  }

  /** Queued (or running, for a trial whose worker died) -> running, only while the study runs; null when it was cancelled or has finished. */
  async startTrial(jobId: string, index: number): Promise<TrialRow | null> {
    return this.db.transaction(async (trx) => {
      const job = await this.lock(trx, jobId);
      if (!job || (job.status !== 'queued' && job.status !== 'running')) return null;
      if (job.status === 'queued') await trx('tuning_jobs').where({ id: jobId }).update({ status: 'running', started_at: trx.fn.now() });
      const [row] = (await trx('tuning_trials').where({ job_id: jobId, index }).whereIn('status', ['queued', 'running']).update({ status: 'running', started_at: trx.fn.now() }).returning('*')) as unknown[];
      return row ? TrialRow.parse(row) : null;
    });
  }

  async saveEpochs(jobId: string, index: number, valAccuracy: readonly number[]): Promise<void> {
    await this.db('tuning_trials').where({ job_id: jobId, index, status: 'running' }).update({ val_accuracy: JSON.stringify(valAccuracy) });
  }

  /** Running -> its outcome; false when the trial was cancelled meanwhile. */
  async finishTrial(trx: Knex, jobId: string, index: number, o: TrialOutcome): Promise<boolean> {
    const n = await trx('tuning_trials')
      .where({ job_id: jobId, index, status: 'running' })
      .update({
        status: o.status,
        val_accuracy: JSON.stringify(o.valAccuracy),
        value: o.value,
        pruned_at_epoch: o.prunedAtEpoch,
        artifact_path: o.artifactPath,
        test_metrics: o.testMetrics ? JSON.stringify(o.testMetrics) : null,
        error: o.error?.slice(0, 2000) ?? null,
        finished_at: trx.fn.now(),
      });
    return n > 0;
  }

  async finishJob(trx: Knex, id: string, status: 'completed' | 'failed' | 'cancelled', error: string | null): Promise<void> {
    await trx('tuning_jobs').where({ id }).whereIn('status', ['queued', 'running']).update({ status, error, finished_at: trx.fn.now() });
  }

  /** Every queued or running trial -> cancelled; returns their indices. */
  async cancelTrials(trx: Knex, jobId: string): Promise<number[]> {
    const rows = (await trx('tuning_trials').where({ job_id: jobId }).whereIn('status', ['queued', 'running']).update({ status: 'cancelled', finished_at: trx.fn.now() }).returning('index')) as unknown[];
    return rows.map((r) => z.object({ index: z.number().int() }).parse(r).index);
  }

  async saveResult(id: string, result: TuningResult): Promise<void> {
    await this.db('tuning_jobs').where({ id }).update({ result: JSON.stringify(result) });
  }

  async markKept(trx: Knex, id: string, versionId: string): Promise<void> {
    await trx('tuning_jobs').where({ id }).update({ kept_version_id: versionId });
  }

  async markDiscarded(trx: Knex, id: string): Promise<void> {
    await trx('tuning_jobs').where({ id }).update({ discarded_at: trx.fn.now() });
  }
}
