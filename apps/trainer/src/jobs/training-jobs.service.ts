import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError, FINISHED_JOB_STATUSES, QUEUE_TABLE, TrainingJob, type Identity, type JobListQuery, type TrainFamily, type TrainingJobList, type TrainRequest } from '@inkwell/contracts';
import { BUILTIN_MNIST_NAME, MNIST_OFFICIAL_SPLIT, SplitRecord } from '@inkwell/datasets';
import { currentRequestId } from '@inkwell/logger';
import { auditRecorder, enqueueJob } from '@inkwell/outbox';
import { visibleTo as datasetVisibleTo } from '../datasets/datasets.service';
import { DatasetsStore } from '../datasets/datasets.store';
import type { ModelVersionsStore } from '../models/model-versions.store';
import { recipeFor } from './family-recipes';
import type { JobCancels } from './job-cancels';
import type { JobEvents } from './job-events';
import type { TrainingJobRow, TrainingJobsStore } from './training-jobs.store';

/** The part of FamiliesService that job creation needs. */
export interface FamilyGate {
  requireAvailable(family: TrainFamily): Promise<void>;
}

export const recordAudit = auditRecorder('trainer');

/** The split id the `gpu` payload names for the built-in dataset. */
export const MNIST_SPLIT_ID = 'mnist-official';

/** Jobs the `gpu` queue runs at once, platform-wide: a queued job waits for rounds of this many. */
const GPU_SLOTS = QUEUE_TABLE.gpu.settings.globalConcurrency;

/** What a job trains on, as its row and its `gpu` payload name it. */
interface TrainingTarget {
  readonly datasetId: string;
  readonly splitId: string;
  readonly split: Record<string, unknown>;
}

const mnistTarget = (trainLimit: number | null): TrainingTarget => ({ datasetId: BUILTIN_MNIST_NAME, splitId: MNIST_SPLIT_ID, split: { id: MNIST_SPLIT_ID, ...MNIST_OFFICIAL_SPLIT, train_limit: trainLimit } });

/** Admins see every job; anyone else only their own. Another's is "not found", never "forbidden". */
function visibleTo(job: TrainingJobRow, who: Identity): boolean {
  return who.role === 'admin' || (job.owner_id !== null && job.owner_id === who.sub);
}

/** Decides who may start and see training jobs; the run itself is the `gpu` job (train-run.job.ts). */
export class TrainingJobsService {
  constructor(
    private readonly db: Knex,
    private readonly store: TrainingJobsStore,
    private readonly versions: ModelVersionsStore,
    /** Wakes the outbox relay after a commit, so the `gpu` job leaves at once. */
    private readonly kick: () => void,
    private readonly events: JobEvents,
    private readonly cancels: JobCancels,
    private readonly datasets: DatasetsStore = new DatasetsStore(db),
    /** 409 for a family the families table does not make available (see FamiliesService). */
    private readonly families: FamilyGate = { requireAvailable: () => Promise.resolve() },
  ) {}

  /**
   * Checks the family's hyperparameters and the dataset (the built-in `mnist`, or an uploaded one
   * the caller can see that is `ready`), then writes the job row, its `gpu` job (BullMQ id = the
   * job's id) and the audit event in one transaction.
   */
  async create(who: Identity, req: TrainRequest): Promise<TrainingJob> {
    await this.families.requireAvailable(req.family);
    const id = randomUUID();
    const maxTrainSamples = req.max_train_samples ?? null;
    recipeFor({ jobId: id, family: req.family, hyperparameters: req.hyperparameters, epochs: req.epochs, seed: req.seed, maxTrainSamples });
    const requestId = currentRequestId() ?? null;
    const row = await this.db.transaction(async (trx) => {
      const target = await this.target(trx, who, req.dataset_id, maxTrainSamples);
      const created = await this.store.insert(trx, { id, ownerId: who.sub, datasetId: target.datasetId, split: target.split, family: req.family, hyperparameters: req.hyperparameters, epochs: req.epochs, seed: req.seed, maxTrainSamples });
      await enqueueJob(
        trx,
        'gpu',
        'train',
        { job_id: id, dataset_id: target.datasetId, split_id: target.splitId, family: req.family, hyperparameters: req.hyperparameters, epochs: req.epochs, seed: req.seed, request_id: requestId },
        { request_id: requestId, actor_id: who.sub },
        { jobId: id },
      );
      await recordAudit(trx, { action: 'training.start', actor: who, target: { type: 'training_job', id }, details: { family: req.family, dataset_id: target.datasetId, split_id: target.splitId, epochs: req.epochs } });
      return created;
    });
    this.kick();
    return this.view(row);
  }

  /**
   * The built-in's official split, or an uploaded dataset's stored split record. The dataset row
   * stays share-locked until `trx` ends, so a delete (which locks it for update and refuses while
   * a job uses the dataset) cannot slip between this check and the job's insert.
   */
  private async target(trx: Knex, who: Identity, datasetId: string, trainLimit: number | null): Promise<TrainingTarget> {
    if (datasetId === BUILTIN_MNIST_NAME) return mnistTarget(trainLimit);
    const notFound = new AppError('not_found', 'No such dataset', { dataset_id: datasetId });
    // Uploaded datasets have uuids; anything else names none (and must not reach a uuid column).
    if (!z.uuid().safeParse(datasetId).success) throw notFound;
    const d = await this.datasets.lock(trx, datasetId, 'share');
    if (!d || !datasetVisibleTo(d, who)) throw notFound;
    if (d.view.built_in && d.view.name === BUILTIN_MNIST_NAME) return mnistTarget(trainLimit);
    if (d.view.status !== 'ready') {
      const why = d.view.status === 'validating' ? 'is still validating' : 'is invalid (see its report)';
      throw new AppError('conflict', `The dataset ${why}: status ${d.view.status}; only a ready dataset can be trained on`, { dataset_id: datasetId, status: d.view.status });
    }
    const split = SplitRecord.safeParse(d.view.split);
    // A ready dataset always has both; a row without them is damaged, not the caller's mistake.
    if (!split.success || !d.normalized) throw new Error(`dataset ${datasetId} is ready but has no stored split or normalized copy`);
    const record = split.data;
    return { datasetId: d.view.id, splitId: record.index_hash, split: { id: record.index_hash, ...record, train_limit: trainLimit } };
  }

  /**
   * Cancels a queued or running job (the owner's or any for an admin): the row says `cancelled`
   * with the audit event in one transaction, then the queue drops a waiting job and the process
   * running it aborts the training (within a step). 409 once it has finished.
   */
  async cancel(who: Identity, id: string): Promise<TrainingJob> {
    const job = await this.visible(who, id);
    if (FINISHED_JOB_STATUSES.includes(job.status)) throw new AppError('conflict', `The job has already ${job.status === 'completed' ? 'completed' : job.status === 'failed' ? 'failed' : 'been cancelled'}`, { status: job.status });
    const cancelled = await this.db.transaction(async (trx) => {
      const changed = await this.store.markFinishedWithout(trx, id, 'cancelled', `cancelled by ${who.email ?? who.sub ?? 'unknown'}`);
      if (changed) await recordAudit(trx, { action: 'training.cancel', actor: who, target: { type: 'training_job', id } });
      return changed;
    });
    this.kick();
    // It finished between the read and the update: say how.
    if (!cancelled) return this.get(who, id);
    await this.cancels.request(id);
    await this.events.append(id, { type: 'status', status: 'cancelled', error: null, model_version_id: null });
    return this.get(who, id);
  }

  async get(who: Identity, id: string): Promise<TrainingJob> {
    return this.view(await this.visible(who, id));
  }

  /** The row, or 404 when it does not exist or is another engineer's. */
  async visible(who: Identity, id: string): Promise<TrainingJobRow> {
    const row = await this.store.get(id);
    if (!row || !visibleTo(row, who)) throw new AppError('not_found', 'No such job');
    return row;
  }

  async list(who: Identity, filter: JobListQuery): Promise<TrainingJobList> {
    const rows = await this.store.list(who.role === 'admin' ? null : (who.sub ?? ''), filter);
    return { items: await Promise.all(rows.map((r) => this.view(r))) };
  }

  /**
   * The API view. While queued: the position and an ETA, the mean duration of recent jobs times
   * the rounds until this one has finished. The `gpu` queue runs GPU_SLOTS at once; the running
   * jobs and those ahead of this one fill the slots first, so with R running and this one at
   * position P it starts after floor((R + P - 1) / GPU_SLOTS) rounds and runs one more. (Counting
   * the slots as always full said twice the mean for the only job of an idle queue.)
   */
  async view(row: TrainingJobRow): Promise<TrainingJob> {
    const position = await this.store.queuePosition(row);
    const [mean, running] = position === null ? [null, 0] : await Promise.all([this.store.recentMeanDurationS(), this.store.countRunning()]);
    const version = row.model_version_id ? await this.versions.get(row.model_version_id) : null;
    return TrainingJob.parse({
      ...row,
      created_at: row.created_at.toISOString(),
      started_at: row.started_at?.toISOString() ?? null,
      finished_at: row.finished_at?.toISOString() ?? null,
      queue_position: position,
      eta_s: position !== null && mean !== null ? mean * (Math.floor((running + position - 1) / GPU_SLOTS) + 1) : null,
      model_version: version,
    });
  }
}
