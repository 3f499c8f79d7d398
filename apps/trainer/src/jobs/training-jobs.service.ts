import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError, FINISHED_JOB_STATUSES, TrainingJob, type Identity, type JobListQuery, type TrainingJobList, type TrainRequest } from '@inkwell/contracts';
import { BUILTIN_MNIST_NAME, MNIST_OFFICIAL_SPLIT } from '@inkwell/datasets';
import { currentRequestId } from '@inkwell/logger';
import { auditRecorder, enqueueJob } from '@inkwell/outbox';
import type { ModelVersionsStore } from '../models/model-versions.store';
import { recipeFor } from './family-recipes';
import type { JobCancels } from './job-cancels';
import type { JobEvents } from './job-events';
import type { TrainingJobRow, TrainingJobsStore } from './training-jobs.store';

export const recordAudit = auditRecorder('trainer');

/** The split id the `gpu` payload names for the built-in dataset. */
export const MNIST_SPLIT_ID = 'mnist-official';

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
  ) {}

  /**
   * Checks the family's hyperparameters, then writes the job row, its `gpu` job (BullMQ id = the
   * job's id) and the audit event in one transaction.
   */
  async create(who: Identity, req: TrainRequest): Promise<TrainingJob> {
    // Uploaded datasets need their normalized digits and split record wired to a DataSource; until
    // then only the built-in can be trained on.
    if (req.dataset_id !== BUILTIN_MNIST_NAME) throw new AppError('conflict', `Only the built-in dataset "${BUILTIN_MNIST_NAME}" can be trained on so far`, { dataset_id: req.dataset_id });
    const id = randomUUID();
    const maxTrainSamples = req.max_train_samples ?? null;
    recipeFor({ jobId: id, family: req.family, hyperparameters: req.hyperparameters, epochs: req.epochs, seed: req.seed, maxTrainSamples });
    const split = { id: MNIST_SPLIT_ID, ...MNIST_OFFICIAL_SPLIT, train_limit: maxTrainSamples };
    const requestId = currentRequestId() ?? null;
    const row = await this.db.transaction(async (trx) => {
      const created = await this.store.insert(trx, { id, ownerId: who.sub, datasetId: req.dataset_id, split, family: req.family, hyperparameters: req.hyperparameters, epochs: req.epochs, seed: req.seed, maxTrainSamples });
      await enqueueJob(
        trx,
        'gpu',
        'train',
        { job_id: id, dataset_id: req.dataset_id, split_id: MNIST_SPLIT_ID, family: req.family, hyperparameters: req.hyperparameters, epochs: req.epochs, seed: req.seed, request_id: requestId },
        { request_id: requestId, actor_id: who.sub },
        { jobId: id },
      );
      await recordAudit(trx, { action: 'training.start', actor: who, target: { type: 'training_job', id }, details: { family: req.family, dataset_id: req.dataset_id, epochs: req.epochs } });
      return created;
    });
    this.kick();
    return this.view(row);
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
   * the rounds of two (the `gpu` queue's slots) until this one has finished.
   */
  async view(row: TrainingJobRow): Promise<TrainingJob> {
    const position = await this.store.queuePosition(row);
    const mean = position === null ? null : await this.store.recentMeanDurationS();
    const version = row.model_version_id ? await this.versions.get(row.model_version_id) : null;
    return TrainingJob.parse({
      ...row,
      created_at: row.created_at.toISOString(),
      started_at: row.started_at?.toISOString() ?? null,
      finished_at: row.finished_at?.toISOString() ?? null,
      queue_position: position,
      eta_s: position !== null && mean !== null ? mean * Math.ceil(position / 2) + mean : null,
      model_version: version,
    });
  }
}
