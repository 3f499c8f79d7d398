import type { Knex } from 'knex';
import { z } from 'zod';
import { ModelVersionMetrics, ModelVersionView, TrainFamily } from '@inkwell/contracts';

const Row = z.object({
  id: z.string(),
  job_id: z.string(),
  family: TrainFamily,
  dataset_id: z.string(),
  split: z.record(z.string(), z.json()),
  artifact_path: z.string(),
  metrics: ModelVersionMetrics,
  created_at: z.date(),
});

const toView = (raw: unknown): ModelVersionView => {
  const r = Row.parse(raw);
  return ModelVersionView.parse({ ...r, created_at: r.created_at.toISOString() });
};

export interface NewModelVersion {
  readonly id: string;
  readonly jobId: string;
  readonly family: TrainFamily;
  readonly datasetId: string;
  readonly split: Record<string, unknown>;
  readonly artifactPath: string;
  readonly metrics: ModelVersionMetrics;
}

/** All SQL of `ml.model_versions`: one row per finished training job. */
export class ModelVersionsStore {
  constructor(private readonly db: Knex) {}

  /**
   * Inserts the version unless the job already has one (a resumed job that finished twice); returns
   * the job's version either way, so the caller can tell whether its own row won.
   */
  async insertOnce(trx: Knex, v: NewModelVersion): Promise<ModelVersionView> {
    await trx('model_versions')
      .insert({ id: v.id, job_id: v.jobId, family: v.family, dataset_id: v.datasetId, split: JSON.stringify(v.split), artifact_path: v.artifactPath, metrics: JSON.stringify(v.metrics) })
      .onConflict('job_id')
      .ignore();
    const row: unknown = await trx('model_versions').where({ job_id: v.jobId }).first();
    return toView(row);
  }

  async get(id: string, trx: Knex = this.db): Promise<ModelVersionView | null> {
    const row: unknown = await trx('model_versions').where({ id }).first();
    return row ? toView(row) : null;
  }
}
