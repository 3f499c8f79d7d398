import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Knex } from 'knex';
import { AppError, FINISHED_TUNING_STATUSES, TRAIN_FAMILIES, TRIAL_STATUSES, TrainFamily, tuneTrialJobId, type Identity, type SearchSpace, type TrialStatus, type TuneVersionRequest, type TuningJob, type TuningJobList, type TuningRequest, type TuningSpaces, type TuningSummary, type TuningTrialPage, type TuningTrialsQuery } from '@inkwell/contracts';
import { BUILTIN_MNIST_NAME, MNIST_OFFICIAL_SPLIT } from '@inkwell/datasets';
import { currentRequestId } from '@inkwell/logger';
import { createSampler, geneticGenerations } from '@inkwell/tuning';
import { DEFAULT_SEARCH_SPACES } from '../families/search-spaces';
import { recipeFor } from '../jobs/family-recipes';
import type { JobCancels } from '../jobs/job-cancels';
import { MNIST_SPLIT_ID, recordAudit, type FamilyGate } from '../jobs/training-jobs.service';
import type { TrainingJobsStore } from '../jobs/training-jobs.store';
import type { ModelVersionsStore } from '../models/model-versions.store';
import { MNIST_TEST_SET } from '../models/test-sets';
import { pruningToStore, type StudyRequest } from './study-request';
import type { TuningRunner } from './tuning-runner';
import type { TuningJobRow, TuningStore } from './tuning.store';
import { bestOf, jobView, studyView, trialView } from './tuning-view';

/** Admins see every study; anyone else only their own. Another's is "not found", never "forbidden". */
const visibleTo = (job: TuningJobRow, who: Identity): boolean => who.role === 'admin' || (job.owner_id !== null && job.owner_id === who.sub);

export interface TuningServiceDeps {
  readonly db: Knex;
  readonly store: TuningStore;
  readonly runner: TuningRunner;
  readonly versions: ModelVersionsStore;
  readonly trainingStore: TrainingJobsStore;
  readonly cancels: JobCancels;
  readonly families: FamilyGate;
  readonly dataDir: string;
}

/** Decides who may start, see, cancel, keep and discard studies; trials run as `gpu` jobs (tune-trial.job.ts). */
export class TuningService {
  constructor(private readonly d: TuningServiceDeps) {}

  async create(who: Identity, req: TuningRequest): Promise<TuningJob> {
    return this.start(who, { family: req.family, datasetId: req.dataset_id, fromVersionId: null, study: { ...studyOf(req), base_hyperparameters: req.base_hyperparameters, space: req.space ?? DEFAULT_SEARCH_SPACES[req.family] } });
  }

  /** From a trained version: its family, dataset and hyperparameters; the result compares with it. */
  async tuneVersion(who: Identity, versionId: string, req: TuneVersionRequest): Promise<TuningJob> {
    const v = await this.d.versions.find(versionId);
    if (!v || v.view.status === 'deleted') throw new AppError('not_found', `No such model version: ${versionId}`);
    const family = TrainFamily.safeParse(v.view.family);
    if (!family.success || v.view.test_set !== MNIST_TEST_SET) throw new AppError('conflict', 'Only a version of a trainable family tested on mnist can be tuned from', { family: v.view.family, test_set: v.view.test_set });
    return this.start(who, { family: family.data, datasetId: BUILTIN_MNIST_NAME, fromVersionId: v.view.id, study: { ...studyOf(req), base_hyperparameters: v.view.hyperparameters, space: req.space ?? DEFAULT_SEARCH_SPACES[family.data] } });
  }

  private async start(who: Identity, s: { family: TrainFamily; datasetId: string; fromVersionId: string | null; study: StudyRequest }): Promise<TuningJob> {
    await this.d.families.requireAvailable(s.family);
    // Trials read MNIST's files directly; uploaded datasets are not wired into trials yet.
    if (s.datasetId !== BUILTIN_MNIST_NAME) throw new AppError('conflict', 'Tuning runs on the built-in mnist dataset only, for now', { dataset_id: s.datasetId });
    const id = randomUUID();
    // The space and method (400 naming what is wrong), and every point's hyperparameters: a study whose
    // trials the family refuses fails here, not one trial at a time.
    const sampler = createSampler(s.study.space, s.study.method, s.study.seed, s.study.budget.trials);
    const first = sampler.propose(0, []);
    if (first) recipeFor({ jobId: id, family: s.family, hyperparameters: { ...s.study.base_hyperparameters, ...first }, epochs: s.study.epochs, seed: s.study.seed, maxTrainSamples: s.study.max_train_samples });
    const requestId = currentRequestId() ?? null;
    const split = { id: MNIST_SPLIT_ID, ...MNIST_OFFICIAL_SPLIT, train_limit: s.study.max_train_samples };
    const { row, step } = await this.d.db.transaction(async (trx) => {
      const created = await this.d.store.insert(trx, { id, ownerId: who.sub, family: s.family, datasetId: s.datasetId, split, fromVersionId: s.fromVersionId, request: s.study });
      const begun = await this.d.runner.begin(trx, created, requestId);
      await recordAudit(trx, { action: 'tuning.start', actor: who, target: { type: 'tuning_job', id }, details: { family: s.family, method: s.study.method.kind, trials: s.study.budget.trials, from_version_id: s.fromVersionId } });
      return { row: created, step: begun };
    });
    await this.d.runner.announce(id, step);
    return this.view(row.id);
  }

  async get(who: Identity, id: string): Promise<TuningJob> {
    await this.visible(who, id);
    return this.view(id);
  }

  async visible(who: Identity, id: string): Promise<TuningJobRow> {
    const row = await this.d.store.get(id);
    if (!row || !visibleTo(row, who)) throw new AppError('not_found', 'No such tuning job');
    return row;
  }

  async list(who: Identity): Promise<TuningJobList> {
    const rows = await this.d.store.list(who.role === 'admin' ? null : (who.sub ?? ''));
    // The best trial by SQL: a study of thousands of trials costs one row here, not all of them.
    const items = await Promise.all(rows.map(async (r) => studyView(r, await this.d.store.bestTrial(r.id))));
    return { items };
  }

  /** One page of trials, sorted in SQL. */
  async trialPage(who: Identity, id: string, q: TuningTrialsQuery): Promise<TuningTrialPage> {
    await this.visible(who, id);
    const { rows, total } = await this.d.store.trialPage(id, q);
    return { items: rows.map(trialView), total, offset: q.offset, limit: q.limit };
  }

  /** The study without trial rows, counts per state, every trial as columns for the plots, and a genetic study's generations. */
  async summary(who: Identity, id: string): Promise<TuningSummary> {
    const job = await this.visible(who, id);
    const [points, best] = await Promise.all([this.d.store.points(id), this.d.store.bestTrial(id)]);
    const counts = Object.fromEntries(TRIAL_STATUSES.map((s) => [s, 0])) as Record<TrialStatus, number>;
    for (const p of points) counts[p.status] += 1;
    const names = Object.keys(job.request.space);
    const params = Object.fromEntries(names.map((n) => [n, points.map((p) => p.params[n] ?? null)]));
    const method = job.request.method;
    const generations =
      method.kind === 'genetic' ? geneticGenerations(method, points.map((p) => ({ index: p.index, params: p.params, value: p.status === 'completed' ? p.value : null, pruned_at_epoch: p.pruned_at_epoch }))) : null;
    return { study: studyView(job, best), counts, columns: { index: points.map((p) => p.index), status: points.map((p) => p.status), value: points.map((p) => p.value), params }, generations };
  }

  /** Each family's default space, for a form that starts from it. */
  spaces(): TuningSpaces {
    // A family registered without a default space (none yet) is left out rather than sent without one.
    return { items: TRAIN_FAMILIES.flatMap((family) => {
      const space = (DEFAULT_SEARCH_SPACES as Partial<Record<TrainFamily, SearchSpace>>)[family];
      return space ? [{ family, space }] : [];
    }) };
  }

  /**
   * The study and its queued and running trials say `cancelled` (one transaction, with the audit
   * event); then each trial's `gpu` job leaves the queue, or is aborted by the process running it
   * (within a training step).
   */
  async cancel(who: Identity, id: string): Promise<TuningJob> {
    const job = await this.visible(who, id);
    if (FINISHED_TUNING_STATUSES.includes(job.status)) throw new AppError('conflict', `The tuning job has already finished (${job.status})`, { status: job.status });
    const cancelled = await this.d.db.transaction(async (trx) => {
      const locked = await this.d.store.lock(trx, id);
      if (!locked || FINISHED_TUNING_STATUSES.includes(locked.status)) return null;
      const indices = await this.d.store.cancelTrials(trx, id);
      await this.d.store.finishJob(trx, id, 'cancelled', `cancelled by ${who.email ?? who.sub ?? 'unknown'}`);
      await recordAudit(trx, { action: 'tuning.cancel', actor: who, target: { type: 'tuning_job', id }, details: { trials_cancelled: indices.length } });
      return indices;
    });
    if (cancelled) {
      await Promise.all(cancelled.map((i) => this.d.cancels.request(tuneTrialJobId(id, i))));
      for (const t of await this.d.store.trials(id)) if (cancelled.includes(t.index)) await this.d.runner.emit(id, { type: 'trial', trial: trialView(t) });
      await this.d.runner.emit(id, { type: 'status', status: 'cancelled', error: null });
    }
    return this.view(id);
  }

  /**
   * Registers the best trial's model as a trained version: a completed `training_jobs` row stands for
   * the trial (a version is always a job's), its folder moves under `models/`, and the registry's
   * own insert path (ModelVersionsStore.insertOnce) reads its evaluation from there.
   */
  async keep(who: Identity, id: string): Promise<TuningJob> {
    await this.visible(who, id);
    await this.d.db.transaction(async (trx) => {
      const job = await this.d.store.lock(trx, id);
      if (!job) throw new AppError('not_found', 'No such tuning job');
      if (job.status !== 'completed') throw new AppError('conflict', `Only a completed study can be kept (this one is ${job.status})`, { status: job.status });
      if (job.kept_version_id) throw new AppError('conflict', 'The study\'s best model is already kept', { kept_version_id: job.kept_version_id });
      if (job.discarded_at) throw new AppError('conflict', 'The study was discarded: its models are gone');
      const trials = await this.d.store.trials(id, trx);
      const best = bestOf(job, trials);
      const row = best ? trials.find((t) => t.index === best.trial) : undefined;
      if (!best || !row?.artifact_path) throw new AppError('conflict', 'The study has no completed trial to keep');
      const r = job.request;
      const trainingJobId = randomUUID();
      await this.d.trainingStore.insert(trx, { id: trainingJobId, ownerId: job.owner_id, datasetId: job.dataset_id, split: job.split, family: job.family, hyperparameters: best.hyperparameters, epochs: r.epochs, seed: r.seed, maxTrainSamples: r.max_train_samples });
      await trx('training_jobs').where({ id: trainingJobId }).update({ status: 'completed', started_at: row.started_at, finished_at: row.finished_at, model_version_id: row.model_id });
      const from = join(this.d.dataDir, row.artifact_path);
      const to = join(this.d.dataDir, 'models', row.model_id);
      mkdirSync(dirname(to), { recursive: true });
      renameSync(from, to);
      try {
        await this.d.versions.insertOnce(trx, { id: row.model_id, jobId: trainingJobId, family: job.family, datasetId: job.dataset_id, split: job.split, testSet: MNIST_TEST_SET, artifactPath: relative(this.d.dataDir, to), metrics: best.test_metrics });
        await this.d.store.markKept(trx, id, row.model_id);
        await recordAudit(trx, { action: 'tuning.keep', actor: who, target: { type: 'tuning_job', id }, details: { model_version_id: row.model_id, trial: row.index, val_accuracy: row.value } });
      } catch (err) {
        // The transaction rolls back: the folder goes back where the trial left it.
        renameSync(to, from);
        throw err;
      }
    });
    return this.view(id);
  }

  /** Deletes the trials' model files (a kept one has moved to `models/` and stays); the rows stay as the record. */
  async discard(who: Identity, id: string): Promise<TuningJob> {
    const job = await this.visible(who, id);
    if (!FINISHED_TUNING_STATUSES.includes(job.status)) throw new AppError('conflict', 'Cancel the study before discarding it', { status: job.status });
    await this.d.db.transaction(async (trx) => {
      await this.d.store.markDiscarded(trx, id);
      await recordAudit(trx, { action: 'tuning.discard', actor: who, target: { type: 'tuning_job', id } });
    });
    rmSync(join(this.d.dataDir, 'tuning', id), { recursive: true, force: true });
    return this.view(id);
  }

  private async view(id: string): Promise<TuningJob> {
    const row = await this.d.store.get(id);
    if (!row) throw new AppError('not_found', 'No such tuning job');
    return jobView(row, await this.d.store.trials(id));
  }
}

function studyOf(req: TuneVersionRequest): Omit<StudyRequest, 'base_hyperparameters' | 'space'> {
  return { method: req.method, budget: req.budget, objective: req.objective, seed: req.seed, epochs: req.epochs, max_train_samples: req.max_train_samples ?? null, pruning: pruningToStore(req.pruning) };
}
