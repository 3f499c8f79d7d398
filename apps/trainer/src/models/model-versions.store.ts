import { join } from 'node:path';
import type { Knex } from 'knex';
import { z } from 'zod';
import {
  ModelEvaluation,
  ModelListQuery,
  ModelMetrics,
  ModelSource,
  ModelStatus,
  ModelVersion,
  ModelVersionMetrics,
  ModelVersionView,
  TrainFamily,
} from '@inkwell/contracts';
import { enqueueJob } from '@inkwell/outbox';
import { readRegistryArtifact } from './registry-artifact';

const JobRow = z.object({
  id: z.string(),
  job_id: z.string(),
  family: TrainFamily,
  dataset_id: z.string(),
  split: z.record(z.string(), z.json()),
  artifact_path: z.string(),
  metrics: ModelVersionMetrics,
  created_at: z.date(),
});

/** The training-jobs API's view of a job's version (GET /api/jobs/{id}). */
const toJobView = (raw: unknown): ModelVersionView => {
  const r = JobRow.parse(raw);
  return ModelVersionView.parse({ ...r, created_at: r.created_at.toISOString() });
};

const RegistryRow = z.object({
  id: z.string(),
  name: z.string(),
  source: ModelSource,
  family: z.string(),
  hyperparameters: z.record(z.string(), z.json()),
  seed: z.number().int().nullable(),
  dataset_id: z.string(),
  split: z.record(z.string(), z.json()),
  test_set: z.string(),
  job_id: z.string().nullable(),
  artifact_path: z.string(),
  // bigint arrives as a string from pg.
  size_bytes: z.union([z.string(), z.number()]).nullable().transform((v) => (v === null ? null : Number(v))),
  sha256: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.date(),
  status: ModelStatus,
  status_reason: z.string().nullable(),
  active: z.boolean(),
  accuracy: z.number().nullable(),
  evaluation: ModelEvaluation.nullable(),
});
type RegistryRow = z.infer<typeof RegistryRow>;

/** Every column but the predictions (10 kB a row): lists and views never need them. */
const REGISTRY_COLUMNS = [
  'id', 'name', 'source', 'family', 'hyperparameters', 'seed', 'dataset_id', 'split', 'test_set', 'job_id', 'artifact_path',
  'size_bytes', 'sha256', 'created_by', 'created_at', 'status', 'status_reason', 'active', 'accuracy', 'evaluation',
] as const;

/** The metrics route's view of an evaluation. */
export function metricsOf(evaluation: ModelEvaluation, testSet: string): ModelMetrics {
  const e = evaluation;
  return {
    split: e.split,
    test_set: testSet,
    count: e.count,
    accuracy: e.accuracy,
    log_loss: e.log_loss,
    ece: e.ece,
    reliability: e.reliability,
    per_class: e.per_class.map(({ label, support, precision, recall, f1 }) => ({ label, support, precision, recall, f1 })),
    macro: e.macro,
    weighted: e.weighted,
  };
}

const toVersion = (r: RegistryRow): ModelVersion => ({
  id: r.id,
  name: r.name,
  source: r.source,
  family: r.family,
  hyperparameters: r.hyperparameters,
  seed: r.seed,
  dataset_id: r.dataset_id,
  split: r.split,
  test_set: r.test_set,
  job_id: r.job_id,
  artifact_path: r.artifact_path,
  size_bytes: r.size_bytes,
  sha256: r.sha256,
  created_by: r.created_by,
  created_at: r.created_at.toISOString(),
  status: r.status,
  status_reason: r.status_reason,
  active: r.active,
  accuracy: r.accuracy,
  metrics: r.evaluation ? metricsOf(r.evaluation, r.test_set) : null,
});

/** A version as the registry holds it: the public view plus the stored evaluation. */
export interface StoredVersion {
  readonly view: ModelVersion;
  readonly evaluation: ModelEvaluation | null;
}

export interface NewModelVersion {
  readonly id: string;
  readonly jobId: string;
  readonly family: TrainFamily;
  readonly datasetId: string;
  readonly split: Record<string, unknown>;
  readonly artifactPath: string;
  readonly metrics: ModelVersionMetrics;
  /** The digits it was scored on: `mnist:test`, or `<dataset id>:<split hash>` (compare pairs by it). */
  readonly testSet: string;
}

/** A version that comes without a job (`builtin`, `imported` or `preset`); it is scored on its test set after insertion. */
export interface NewUntrainedVersion {
  readonly id: string;
  readonly source: 'builtin' | 'imported' | 'preset';
  readonly name: string;
  readonly family: string;
  readonly hyperparameters: Record<string, unknown>;
  readonly seed: number | null;
  readonly datasetId: string;
  readonly split: Record<string, unknown>;
  readonly testSet: string;
  /** Relative to the trainer's data directory. */
  readonly artifactPath: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  /** Null: the system. */
  readonly createdBy: string | null;
}

/**
 * All SQL of `ml.model_versions`, the model registry: trained versions (one per finished training
 * job), the shipped defaults (`builtin`) and imported ones. `dataDir` locates artifact folders
 * (paths in the table are relative to it); without it a trained version's evaluation is not read
 * from its folder but computed by an `evaluate-model` job.
 */
export class ModelVersionsStore {
  constructor(
    private readonly db: Knex,
    private readonly options: { readonly dataDir?: string } = {},
  ) {}

  /**
   * Inserts a trained version unless the job already has one (a resumed job that finished twice);
   * returns the job's version either way, so the caller can tell whether its own row won. The
   * registry fields come from the job row (owner, hyperparameters, seed) and the artifact folder
   * (sha256, size, and the test-split evaluation and predictions the trainer wrote there); when the
   * folder lacks those, an `evaluate-model` job computes them.
   */
  async insertOnce(trx: Knex, v: NewModelVersion): Promise<ModelVersionView> {
    const job: unknown = await trx('training_jobs').where({ id: v.jobId }).first('owner_id', 'hyperparameters', 'seed');
    const jobFields = z.object({ owner_id: z.string().nullable(), hyperparameters: z.record(z.string(), z.json()), seed: z.number().int() }).nullable().parse(job ?? null);
    const artifact = this.options.dataDir ? await readRegistryArtifact(join(this.options.dataDir, v.artifactPath)) : null;
    const evaluation = artifact?.evaluation ?? null;
    const inserted: unknown[] = await trx('model_versions')
      .insert({
        id: v.id,
        job_id: v.jobId,
        source: 'trained',
        name: v.id,
        family: v.family,
        hyperparameters: JSON.stringify(jobFields?.hyperparameters ?? {}),
        seed: jobFields?.seed ?? null,
        dataset_id: v.datasetId,
        split: JSON.stringify(v.split),
        test_set: v.testSet,
        artifact_path: v.artifactPath,
        size_bytes: artifact?.sizeBytes ?? null,
        sha256: artifact?.sha256 ?? null,
        created_by: jobFields?.owner_id ?? null,
        metrics: JSON.stringify(v.metrics),
        status: evaluation ? 'ready' : 'evaluating',
        accuracy: evaluation?.accuracy ?? v.metrics.accuracy,
        evaluation: evaluation ? JSON.stringify(evaluation) : null,
        test_predictions: artifact?.predictions ? Buffer.from(artifact.predictions) : null,
      })
      .onConflict('job_id')
      .ignore()
      .returning('id');
    if (inserted.length > 0 && !evaluation) await enqueueEvaluation(trx, v.id);
    const row: unknown = await trx('model_versions').where({ job_id: v.jobId }).first();
    return toJobView(row);
  }

  /**
   * Inserts a builtin, imported or preset version as `evaluating` and enqueues its evaluation, in the
   * caller's transaction. A builtin or preset whose model.onnx is already registered is not inserted
   * again (false): the unique index settles two trainers starting together.
   */
  async insertUntrained(trx: Knex, v: NewUntrainedVersion): Promise<boolean> {
    const query = trx('model_versions').insert({
      id: v.id,
      job_id: null,
      source: v.source,
      name: v.name,
      family: v.family,
      hyperparameters: JSON.stringify(v.hyperparameters),
      seed: v.seed,
      dataset_id: v.datasetId,
      split: JSON.stringify(v.split),
      test_set: v.testSet,
      artifact_path: v.artifactPath,
      size_bytes: v.sizeBytes,
      sha256: v.sha256,
      created_by: v.createdBy,
      metrics: null,
      status: 'evaluating',
    });
    const onePerFile = v.source === 'builtin' ? `(sha256) where source = 'builtin'` : v.source === 'preset' ? `(sha256) where source = 'preset' and status <> 'deleted'` : null;
    const inserted: unknown[] = onePerFile ? await query.onConflict(trx.raw(onePerFile)).ignore().returning('id') : await query.returning('id');
    if (inserted.length === 0) return false;
    await enqueueEvaluation(trx, v.id);
    return true;
  }

  /** The preset version of this model.onnx (a preset's seeded weights), if registered and not deleted. */
  async findPreset(sha256: string): Promise<StoredVersion | null> {
    const row: unknown = await this.db('model_versions').where({ source: 'preset', sha256 }).whereNot('status', 'deleted').first(...REGISTRY_COLUMNS);
    if (!row) return null;
    const r = RegistryRow.parse(row);
    return { view: toVersion(r), evaluation: r.evaluation };
  }

  /** The newest live version holding a preset's untrained weights, by the preset's name. */
  async presetVersion(name: string): Promise<ModelVersion | null> {
    const row: unknown = await this.db('model_versions').where({ source: 'preset', name }).whereNot('status', 'deleted').orderBy('created_at', 'desc').first(...REGISTRY_COLUMNS);
    return row ? toVersion(RegistryRow.parse(row)) : null;
  }

  /** The builtin version of this model.onnx, if registered. */
  async findBuiltin(sha256: string): Promise<{ id: string } | null> {
    const row: unknown = await this.db('model_versions').where({ source: 'builtin', sha256 }).first('id');
    return row ? z.object({ id: z.string() }).parse(row) : null;
  }

  /** The training-jobs API's view of a version. */
  async get(id: string, trx: Knex = this.db): Promise<ModelVersionView | null> {
    const row: unknown = await trx('model_versions').where({ id }).first();
    return row ? toJobView(row) : null;
  }

  /** A version as the registry shows it, with its stored evaluation. */
  async find(id: string, trx: Knex = this.db): Promise<StoredVersion | null> {
    const row: unknown = await trx('model_versions').where({ id }).first(...REGISTRY_COLUMNS);
    if (!row) return null;
    const r = RegistryRow.parse(row);
    return { view: toVersion(r), evaluation: r.evaluation };
  }

  /** One page of versions; without a status filter, deleted ones are left out. Ties sort by id, so pages never overlap. */
  async list(q: ModelListQuery): Promise<{ items: ModelVersion[]; total: number }> {
    const filtered = this.db('model_versions').where((b) => {
      if (q.status) void b.where('status', q.status);
      else void b.whereNot('status', 'deleted');
      if (q.family) void b.where('family', q.family);
      if (q.source) void b.where('source', q.source);
      if (q.active !== undefined) void b.where('active', q.active);
    });
    const count: unknown = await filtered.clone().count({ n: '*' }).first();
    const total = Number(z.object({ n: z.union([z.string(), z.number()]) }).parse(count).n);
    const rows: unknown[] = await filtered
      .clone()
      .select(...REGISTRY_COLUMNS)
      .orderByRaw(`${q.sort === 'accuracy' ? 'accuracy' : 'created_at'} ${q.order} nulls last, id ${q.order}`)
      .limit(q.page_size)
      .offset((q.page - 1) * q.page_size);
    return { items: rows.map((row) => toVersion(RegistryRow.parse(row))), total };
  }

  /**
   * The predicted digit of each image of the version's test set (in the set's order), for
   * comparing two versions on the same test set; null until the version is evaluated.
   */
  async testPredictions(id: string): Promise<{ testSet: string; predictions: Uint8Array } | null> {
    const row: unknown = await this.db('model_versions').where({ id, status: 'ready' }).first('test_set', 'test_predictions');
    const r = z.object({ test_set: z.string(), test_predictions: z.instanceof(Buffer).nullable() }).nullable().parse(row ?? null);
    return r?.test_predictions ? { testSet: r.test_set, predictions: new Uint8Array(r.test_predictions) } : null;
  }

  /** Stores a finished evaluation; only a version still `evaluating` takes it (a retry after success changes nothing). */
  async finishEvaluation(id: string, evaluation: ModelEvaluation, predictions: Uint8Array): Promise<boolean> {
    const n = await this.db('model_versions')
      .where({ id, status: 'evaluating' })
      .update({ status: 'ready', status_reason: null, evaluation: JSON.stringify(evaluation), accuracy: evaluation.accuracy, test_predictions: Buffer.from(predictions) });
    return n > 0;
  }

  async failEvaluation(id: string, reason: string): Promise<void> {
    await this.db('model_versions').where({ id, status: 'evaluating' }).update({ status: 'failed', status_reason: reason.slice(0, 2000) });
  }
}

function enqueueEvaluation(trx: Knex, id: string): Promise<string> {
  // One job per version: the job id keeps a re-enqueue from scoring it twice.
  return enqueueJob(trx, 'cpu', 'evaluate-model', { model_version_id: id, request_id: null }, { request_id: null, actor_id: null }, { jobId: `evaluate-model-${id}` });
}
