import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import type { Knex } from 'knex';
import type { ModelVersionMetrics, TrainJobPayload, TrainJobProgress, TrainJobResult } from '@inkwell/contracts';
import type { Progress } from '@inkwell/ml';
import { BUILTIN_MNIST_NAME, datasetDataSource, SplitRecord } from '@inkwell/datasets';
import { type DataSource, type ExecutionProvider, mnistSource, type Recipe, trainRecipe } from '@inkwell/model-artifacts';
import type { JobContext } from '@inkwell/queue';
import type { DatasetsStore } from '../datasets/datasets.store';
import type { ModelVersionsStore } from '../models/model-versions.store';
import type { BlobStore } from '../storage/blob-store';
import { recipeFor } from './family-recipes';
import type { JobEvents } from './job-events';
import { recordAudit } from './training-jobs.service';
import type { TrainingJobRow, TrainingJobsStore } from './training-jobs.store';

export interface TrainRunDeps {
  readonly db: Knex;
  readonly store: TrainingJobsStore;
  readonly versions: ModelVersionsStore;
  readonly events: JobEvents;
  readonly dataDir: string;
  readonly provider: ExecutionProvider;
  /** Uploaded datasets: the row names the normalized copy's blobs, the store gives their paths. */
  readonly datasets: DatasetsStore;
  readonly blobs: BlobStore;
}

/**
 * The digits a job trains on and the recipe as the artifact records it. MNIST: the recipe's own
 * data block. An uploaded dataset: its normalized copy cut by the split record the job names
 * (redrawn and checked against its hash), and the recipe's data block naming the dataset and that
 * split, so the manifest and the recipe hash say what the model was trained on.
 */
async function dataFor(deps: TrainRunDeps, job: TrainingJobRow, recipe: Recipe): Promise<{ recipe: Recipe; source: DataSource }> {
  if (job.dataset_id === BUILTIN_MNIST_NAME) return { recipe, source: mnistSource(recipe.data) };
  const split = SplitRecord.parse(job.split);
  // Deleting a dataset is refused while a job uses it, so this is a damaged row, not a race.
  const d = await deps.datasets.get(job.dataset_id);
  if (!d?.normalized) throw new UnrecoverableError(`dataset ${job.dataset_id} is gone or has no normalized copy`);
  const normalized = { images: await deps.blobs.path(d.normalized.images), labels: await deps.blobs.path(d.normalized.labels) };
  const limit = job.max_train_samples === null ? '' : `, first ${job.max_train_samples} training digits`;
  return {
    recipe: { ...recipe, data: { ...recipe.data, source: 'dataset', dataset: { id: job.dataset_id, splitHash: split.index_hash } } },
    source: datasetDataSource({ name: `dataset ${d.view.name} (${job.dataset_id}, split ${split.index_hash.slice(0, 12)}${limit})`, normalized, split, trainLimit: job.max_train_samples }),
  };
}

/**
 * The key of the digits a version was scored on: compare runs McNemar only between versions with
 * the same key. MNIST's official test file whatever the training limit; an uploaded dataset's test
 * part is fixed by its split record's hash.
 */
function testSetOf(job: TrainingJobRow): string {
  return job.dataset_id === BUILTIN_MNIST_NAME ? 'mnist:test' : `${job.dataset_id}:${SplitRecord.parse(job.split).index_hash}`;
}

/** Step reports closer together than this are dropped (epoch ends always go out): SSE clients need a few a second, not hundreds. */
const PROGRESS_EVERY_MS = 250;

/**
 * Runs one training job: the job's recipe on its dataset, checkpointing every epoch under
 * `<DATA_DIR>/checkpoints/<job>/` (a job picked up again after its worker died resumes there),
 * progress to the job row, the queue and the job's event stream, then the artifact under
 * `<DATA_DIR>/models/<version>/` and, in one transaction, the model version, the job's completion
 * and the audit event. A job that already has a version returns it: exactly one per job.
 */
export async function trainRunJob(deps: TrainRunDeps, payload: TrainJobPayload, ctx: JobContext<'gpu', 'train'>): Promise<TrainJobResult> {
  const { store, events } = deps;
  const jobId = payload.job_id;
  const job = await store.markRunning(jobId);
  if (!job) {
    const done = await store.get(jobId);
    if (done?.model_version_id) return { model_version_id: done.model_version_id };
    throw new UnrecoverableError(`training job ${jobId} is ${done?.status ?? 'missing'}; not run`);
  }
  await events.append(jobId, { type: 'status', status: 'running', error: null, model_version_id: null });
  const checkpointDir = join(deps.dataDir, 'checkpoints', jobId);
  const modelsDir = join(deps.dataDir, 'models');
  const versionId = randomUUID();
  const reporter = progressReporter(deps, jobId, job.epochs, ctx);
  let artifactDir: string | null = null;
  try {
    const { recipe, source } = await dataFor(deps, job, recipeFor({ jobId, family: job.family, hyperparameters: job.hyperparameters, epochs: job.epochs, seed: job.seed, maxTrainSamples: job.max_train_samples }));
    const { artifact } = await trainRecipe(recipe, {
      source,
      outDir: modelsDir,
      modelId: versionId,
      checkpointDir,
      provider: deps.provider,
      signal: ctx.signal,
      onProgress: reporter.onProgress,
      log: (message) => ctx.logger.info(message),
    });
    artifactDir = artifact.dir;
    await reporter.flush();
    const m = artifact.metrics;
    const metrics: ModelVersionMetrics = {
      split: m.split,
      count: m.count,
      accuracy: m.accuracy,
      log_loss: m.log_loss,
      macro: m.macro,
      per_class: m.per_class.map(({ label, support, precision, recall, f1 }) => ({ label, support, precision, recall, f1 })),
      confusion: m.confusion,
    };
    const version = await deps.db.transaction(async (trx) => {
      const v = await deps.versions.insertOnce(trx, { id: versionId, jobId, family: job.family, datasetId: job.dataset_id, split: job.split, testSet: testSetOf(job), artifactPath: relative(deps.dataDir, artifact.dir), metrics });
      // Cancelled while finishing: the transaction rolls back, no version is kept.
      if (v.id === versionId && !(await store.markCompleted(trx, jobId, v.id))) throw new UnrecoverableError(`training job ${jobId} was cancelled`);
      if (v.id === versionId) {
        await recordAudit(trx, { action: 'training.complete', actor: { kind: 'system' }, target: { type: 'training_job', id: jobId }, details: { model_version_id: v.id, accuracy: metrics.accuracy } });
      }
      return v;
    });
    // Another run of this job got there first: its version stands, this one's files go.
    if (version.id !== versionId) rmSync(artifact.dir, { recursive: true, force: true });
    rmSync(checkpointDir, { recursive: true, force: true });
    await events.append(jobId, { type: 'status', status: 'completed', error: null, model_version_id: version.id });
    return { model_version_id: version.id };
  } catch (err) {
    await reporter.flush();
    if (artifactDir) rmSync(artifactDir, { recursive: true, force: true });
    const message = err instanceof Error ? err.message : String(err);
    // The queue makes one attempt (a stall is not one): whatever throws here has failed the job,
    // unless it was cancelled (the row already says so, and the abort is what threw).
    const changed = await deps.db.transaction(async (trx) => {
      const marked = await store.markFinishedWithout(trx, jobId, 'failed', message);
      if (marked) await recordAudit(trx, { action: 'training.fail', outcome: 'failure', actor: { kind: 'system' }, target: { type: 'training_job', id: jobId }, details: { error: message } });
      return marked;
    });
    if (changed) await events.append(jobId, { type: 'status', status: 'failed', error: message, model_version_id: null });
    throw err;
  }
}

/**
 * Turns the engine's progress callbacks (synchronous) into job progress: throttled, written in
 * order to the row, the queue and the event stream; `flush` waits for the writes still under way.
 */
function progressReporter(deps: TrainRunDeps, jobId: string, epochs: number, ctx: JobContext<'gpu', 'train'>): { onProgress: (p: Progress) => void; flush: () => Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  let lastSent = 0;
  let last: { epoch: number; step: number; loss: number; accuracy: number; lr: number; samplesPerSec: number; stepsPerEpoch: number } | null = null;
  const started = Date.now();
  const send = (progress: TrainJobProgress): void => {
    chain = chain
      .then(async () => {
        await ctx.progress(progress);
        await deps.store.saveProgress(jobId, progress);
        await deps.events.append(jobId, { type: 'progress', ...progress });
      })
      .catch((err: unknown) => ctx.logger.warn({ err }, 'could not report training progress'));
  };
  return {
    onProgress: (p) => {
      if (p.type === 'log') {
        ctx.logger.info(p.message);
        return;
      }
      const now = Date.now();
      if (p.type === 'step') {
        last = { ...p };
        if (now - lastSent < PROGRESS_EVERY_MS) return;
      }
      if (!last) return;
      lastSent = now;
      const done = (last.epoch - 1) * last.stepsPerEpoch + last.step;
      const total = last.stepsPerEpoch * Math.max(epochs, last.epoch);
      const elapsed = (now - started) / 1000;
      send({
        epoch: last.epoch,
        step: last.step,
        loss: Number.isFinite(last.loss) ? last.loss : null,
        accuracy: Number.isFinite(last.accuracy) ? Math.min(1, Math.max(0, last.accuracy)) : null,
        learning_rate: Number.isFinite(last.lr) && last.lr >= 0 ? last.lr : null,
        samples_per_s: Number.isFinite(last.samplesPerSec) ? Math.max(0, last.samplesPerSec) : 0,
        eta_s: done > 0 && total >= done ? (elapsed / done) * (total - done) : null,
      });
    },
    flush: () => chain,
  };
}
