import { relative, join } from 'node:path';
import { rmSync } from 'node:fs';
import type { Knex } from 'knex';
import type { ModelVersionMetrics, TuneTrialPayload, TuneTrialResult } from '@inkwell/contracts';
import { mnistSource, trainRecipe, type ExecutionProvider } from '@inkwell/model-artifacts';
import type { TypedQueue, JobContext } from '@inkwell/queue';
import { shouldPrune } from '@inkwell/tuning';
import { recipeFor } from '../jobs/family-recipes';
import { prunerOf } from './study-request';
import { asTrial } from './tuning-planner';
import type { TrialOutcome, TrialRow, TuningStore } from './tuning.store';
import type { TuningRunner } from './tuning-runner';
import { trialView } from './tuning-view';

export interface TuneTrialDeps {
  readonly db: Knex;
  readonly tuning: TuningStore;
  readonly runner: TuningRunner;
  readonly dataDir: string;
  readonly provider: ExecutionProvider;
  readonly gpuQueue: TypedQueue<'gpu'>;
}

class Pruned extends Error {
  constructor(readonly epoch: number) {
    super(`pruned after epoch ${epoch}`);
  }
}

/**
 * Runs one trial: the family's recipe with the study's base hyperparameters overridden by the
 * trial's, on the study's data, the artifact under `<DATA_DIR>/tuning/<study>/<trial>/<model id>/`.
 * After each epoch (nets) its validation accuracy is recorded and the study's pruning rule (median,
 * percentile or successive halving) may stop it, judged against the same visible trials its
 * proposal saw. Then the runner records the outcome and enqueues the study's next trials. A
 * failed trial is a result (the study goes on), not a failed job.
 */
export async function tuneTrialJob(deps: TuneTrialDeps, payload: TuneTrialPayload, ctx: JobContext<'gpu', 'tune-trial'>): Promise<TuneTrialResult> {
  try {
    return await runTrial(deps, payload, ctx);
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    // Whatever broke (a database or Redis hiccup), the trial must not stay `running`: its study
    // would wait for it forever.
    const error = err instanceof Error ? err.message : String(err);
    ctx.logger.error({ err }, 'tuning trial failed');
    const outcome: TrialOutcome = { status: 'failed', valAccuracy: [], value: null, prunedAtEpoch: null, artifactPath: null, testMetrics: null, error };
    await withRetries(() => deps.runner.finishTrial(payload.tuning_job_id, payload.trial_index, outcome, payload.request_id));
    return { status: 'failed', value: null };
  }
}

/** A few tries a second apart: the failures this guards against are timeouts of a busy moment. */
async function withRetries<T>(fn: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function runTrial(deps: TuneTrialDeps, payload: TuneTrialPayload, ctx: JobContext<'gpu', 'tune-trial'>): Promise<TuneTrialResult> {
  const { tuning } = deps;
  const jobId = payload.tuning_job_id;
  const trial = await tuning.startTrial(jobId, payload.trial_index);
  const job = await tuning.get(jobId);
  if (!trial || !job) return { status: 'cancelled', value: null };
  await deps.runner.emit(jobId, { type: 'trial', trial: trialView(trial) });
  const r = job.request;
  const visible = (await tuning.trials(jobId)).filter((t) => t.index < trial.index && (t.status === 'completed' || t.status === 'pruned' || t.status === 'failed')).map(asTrial);
  const outDir = join(deps.dataDir, 'tuning', jobId, String(trial.index));
  const rule = prunerOf(r);
  const pruner = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, pruner.signal]) : pruner.signal;
  const valAccuracy: number[] = [];
  let saving: Promise<void> = Promise.resolve();
  let outcome: TrialOutcome;
  try {
    const recipe = recipeFor({ jobId: trial.model_id, family: job.family, hyperparameters: { ...r.base_hyperparameters, ...trial.params }, epochs: r.epochs, seed: r.seed, maxTrainSamples: r.max_train_samples });
    const { artifact } = await trainRecipe(recipe, {
      source: mnistSource(recipe.data),
      outDir,
      modelId: trial.model_id,
      provider: deps.provider,
      signal,
      log: (m) => ctx.logger.debug(m),
      onProgress: (p) => {
        if (p.type !== 'epoch' || p.valAccuracy === undefined) return;
        valAccuracy.push(p.valAccuracy);
        const snapshot = [...valAccuracy];
        saving = saving.then(() => progress(deps, trial, snapshot)).catch((err: unknown) => ctx.logger.warn({ err }, 'could not record a trial epoch'));
        // After the last epoch there is nothing left to save, and a prune would throw away a finished result.
        if (rule === null || snapshot.length >= r.epochs) return;
        const decision = shouldPrune(visible, { index: trial.index, intermediate: snapshot }, r.method, rule);
        if (decision.prune) pruner.abort(new Pruned(decision.epoch));
      },
    });
    const m = artifact.metrics;
    const testMetrics: ModelVersionMetrics = {
      split: m.split,
      count: m.count,
      accuracy: m.accuracy,
      log_loss: m.log_loss,
      macro: m.macro,
      per_class: m.per_class.map(({ label, support, precision, recall, f1 }) => ({ label, support, precision, recall, f1 })),
      confusion: m.confusion,
    };
    const value = artifact.manifest.val_acc;
    // Classic families report no epochs: their one value is the final validation accuracy.
    outcome = { status: 'completed', valAccuracy: valAccuracy.length > 0 ? valAccuracy : [value], value, prunedAtEpoch: null, artifactPath: relative(deps.dataDir, artifact.dir), testMetrics, error: null };
  } catch (err) {
    await saving;
    rmSync(outDir, { recursive: true, force: true });
    const reason: unknown = pruner.signal.reason;
    if (reason instanceof Pruned) {
      outcome = { status: 'pruned', valAccuracy, value: null, prunedAtEpoch: reason.epoch, artifactPath: null, testMetrics: null, error: null };
    } else if ((await tuning.trial(jobId, trial.index))?.status === 'cancelled') {
      return { status: 'cancelled', value: null };
    } else if (ctx.signal?.aborted) {
      // The worker is closing: the job stalls and runs again on another worker.
      throw err;
    } else {
      outcome = { status: 'failed', valAccuracy, value: null, prunedAtEpoch: null, artifactPath: null, testMetrics: null, error: err instanceof Error ? err.message : String(err) };
    }
  }
  await saving;
  const done = outcome;
  const recorded = await withRetries(() => deps.runner.finishTrial(jobId, trial.index, done, payload.request_id));
  if (!recorded) {
    // Cancelled meanwhile (or a retry after the first try's commit): only a cancelled trial's files go.
    const now = await tuning.trial(jobId, trial.index);
    if (now?.status !== 'cancelled') return { status: outcome.status, value: outcome.value };
    if (outcome.artifactPath) rmSync(join(deps.dataDir, outcome.artifactPath), { recursive: true, force: true });
    return { status: 'cancelled', value: null };
  }
  return { status: outcome.status, value: outcome.value };
}

async function progress(deps: TuneTrialDeps, trial: TrialRow, valAccuracy: number[]): Promise<void> {
  await deps.tuning.saveEpochs(trial.job_id, trial.index, valAccuracy);
  await deps.runner.emit(trial.job_id, { type: 'trial', trial: trialView({ ...trial, val_accuracy: valAccuracy }) });
}
