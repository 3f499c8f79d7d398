import type { Knex } from 'knex';
import { z } from 'zod';
import { TrainFamily, TrainingJobStatus, TrainJobProgress, type JobListQuery } from '@inkwell/contracts';

const Json = z.record(z.string(), z.json());

/** A `training_jobs` row as the service works with it (dates still dates). */
export const TrainingJobRow = z.object({
  id: z.string(),
  owner_id: z.string().nullable(),
  dataset_id: z.string(),
  split: Json,
  family: TrainFamily,
  hyperparameters: Json,
  epochs: z.number().int(),
  seed: z.number().int(),
  max_train_samples: z.number().int().nullable(),
  status: TrainingJobStatus,
  progress: TrainJobProgress.nullable(),
  error: z.string().nullable(),
  model_version_id: z.string().nullable(),
  attempts: z.number().int(),
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
});
export type TrainingJobRow = z.infer<typeof TrainingJobRow>;

export interface NewTrainingJob {
  readonly id: string;
  readonly ownerId: string | null;
  readonly datasetId: string;
  readonly split: Record<string, unknown>;
  readonly family: TrainFamily;
  readonly hyperparameters: Record<string, unknown>;
  readonly epochs: number;
  readonly seed: number;
  readonly maxTrainSamples: number | null;
}

/** Durations of this many recent completed jobs make the queue's ETA. */
const ETA_SAMPLE = 20;

/** All SQL of `ml.training_jobs`. */
export class TrainingJobsStore {
  constructor(private readonly db: Knex) {}

  async insert(trx: Knex, j: NewTrainingJob): Promise<TrainingJobRow> {
    const [row] = (await trx('training_jobs')
      .insert({
        id: j.id,
        owner_id: j.ownerId,
        dataset_id: j.datasetId,
        split: JSON.stringify(j.split),
        family: j.family,
        hyperparameters: JSON.stringify(j.hyperparameters),
        epochs: j.epochs,
        seed: j.seed,
        max_train_samples: j.maxTrainSamples,
        status: 'queued',
      })
      .returning('*')) as unknown[];
    return TrainingJobRow.parse(row);
  }

  async get(id: string, trx: Knex = this.db): Promise<TrainingJobRow | null> {
    const row: unknown = await trx('training_jobs').where({ id }).first();
    return row ? TrainingJobRow.parse(row) : null;
  }

  /**
   * Newest first; `ownerId` null: everyone's. `filter.owner` narrows further: for an engineer
   * naming someone else, both conditions hold for no row, so the list is empty.
   */
  async list(ownerId: string | null, filter: JobListQuery): Promise<TrainingJobRow[]> {
    const q = this.db('training_jobs').orderBy('created_at', 'desc').limit(500);
    if (ownerId !== null) void q.where({ owner_id: ownerId });
    if (filter.owner) void q.where('owner_id', filter.owner);
    if (filter.status) void q.where({ status: filter.status });
    if (filter.family) void q.where({ family: filter.family });
    const rows: unknown[] = await q;
    return rows.map((r) => TrainingJobRow.parse(r));
  }

  /**
   * Marks the job running for one more attempt; null when it has already finished (a duplicate
   * delivery after completion, or cancelled while queued), so the caller does not run it again.
   */
  async markRunning(id: string): Promise<TrainingJobRow | null> {
    const [row] = (await this.db('training_jobs')
      .where({ id })
      .whereIn('status', ['queued', 'running'])
      .update({ status: 'running', started_at: this.db.raw('coalesce(started_at, now())'), attempts: this.db.raw('attempts + 1') })
      .returning('*')) as unknown[];
    return row ? TrainingJobRow.parse(row) : null;
  }

  async saveProgress(id: string, progress: TrainJobProgress): Promise<void> {
    await this.db('training_jobs').where({ id, status: 'running' }).update({ progress: JSON.stringify(progress) });
  }

  /** False when the job is no longer running (cancelled meanwhile): then it must not complete. */
  async markCompleted(trx: Knex, id: string, modelVersionId: string): Promise<boolean> {
    const n = await trx('training_jobs').where({ id, status: 'running' }).update({ status: 'completed', model_version_id: modelVersionId, error: null, finished_at: trx.fn.now() });
    return n > 0;
  }

  /** Failed (or cancelled); the last progress stays. Only a job not already finished changes. */
  async markFinishedWithout(trx: Knex, id: string, status: 'failed' | 'cancelled', error: string): Promise<boolean> {
    const n = await trx('training_jobs').where({ id }).whereIn('status', ['queued', 'running']).update({ status, error, finished_at: trx.fn.now() });
    return n > 0;
  }

  /** 1-based place among queued jobs (oldest first), or null when not queued. */
  async queuePosition(job: TrainingJobRow): Promise<number | null> {
    if (job.status !== 'queued') return null;
    const row: unknown = await this.db('training_jobs').where({ status: 'queued' }).where('created_at', '<', job.created_at).count({ n: '*' }).first();
    return z.object({ n: z.coerce.number() }).parse(row).n + 1;
  }

  /** Mean seconds from start to finish of recent completed jobs; null before any. */
  async recentMeanDurationS(): Promise<number | null> {
    const row: unknown = await this.db
      .from(this.db('training_jobs').where({ status: 'completed' }).whereNotNull('started_at').orderBy('finished_at', 'desc').limit(ETA_SAMPLE).select(this.db.raw('extract(epoch from finished_at - started_at) as s')).as('recent'))
      .avg({ mean: 's' })
      .first();
    const mean = z.object({ mean: z.union([z.string(), z.number()]).nullable() }).parse(row).mean;
    return mean === null ? null : Number(mean);
  }

  async countRunning(): Promise<number> {
    const row: unknown = await this.db('training_jobs').where({ status: 'running' }).count({ n: '*' }).first();
    return z.object({ n: z.coerce.number() }).parse(row).n;
  }
}
