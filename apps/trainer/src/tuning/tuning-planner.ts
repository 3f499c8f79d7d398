import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { tuneTrialJobId } from '@inkwell/contracts';
import { enqueueJob } from '@inkwell/outbox';
import type { TypedQueue } from '@inkwell/queue';
import { createSampler, visibleTrialCount, type Trial } from '@inkwell/tuning';
import type { TrialRow, TuningJobRow, TuningStore } from './tuning.store';

/*
 * Which trials run when. Two rules, written down here because they are the point:
 *
 * FAIR SHARE. The `gpu` queue has two slots for everyone (training jobs, benchmarks, trials). A
 * study never enqueues its whole budget: it keeps at most two trials queued or running, and only
 * ONE while any other `gpu` job is waiting. Each next trial is enqueued when one of its own
 * finishes, behind whatever was submitted meanwhile (the queue is FIFO). So a training job
 * submitted after a study starts no later than the study's third trial: the study's two first
 * trials hold the slots, the first to finish frees one, and with the training job waiting the
 * study does not refill it.
 *
 * REPRODUCIBLE. Trial k's parameters (and its pruning decisions) depend only on the results of
 * trials 0..n-1, n = visibleTrialCount(method, k) (@inkwell/tuning's visibility rule: k - 2 for
 * grid/random/bayesian, the start of k's generation for genetic). Trial k is only created once
 * all of those have finished, so one trial at a time and two at a time propose the same sequence,
 * whatever order trials finish in.
 */

/** Trials of one study in flight at once when nothing else waits: the queue's two slots. */
const MAX_IN_FLIGHT = 2;
/** While another `gpu` job waits: leave it the other slot. */
const MAX_IN_FLIGHT_WHEN_OTHERS_WAIT = 1;
const FINISHED = new Set(['completed', 'pruned', 'failed']);

/** Whether a `gpu` job other than this study's trials waits for a slot (read before the study's lock is taken). */
export async function othersWaiting(gpu: TypedQueue<'gpu'>, studyId: string): Promise<boolean> {
  const own = `tune-${studyId}-`;
  const waiting = await gpu.queue.getJobs(['waiting', 'prioritized'], 0, 200);
  return waiting.some((j) => !(j.id ?? '').startsWith(own));
}

/** A finished trial as the sampler and the pruner see it (failed and pruned ones have no value). */
export function asTrial(t: TrialRow): Trial {
  return { index: t.index, params: t.params, value: t.status === 'completed' ? t.value : null, pruned_at_epoch: t.pruned_at_epoch, intermediate: t.val_accuracy };
}

export function samplerFor(job: TuningJobRow) {
  const r = job.request;
  return createSampler(r.space, r.method, r.seed, r.budget.trials);
}

export interface Advance {
  /** Trials created (and their `gpu` jobs written to the outbox) by this call. */
  readonly queued: readonly TrialRow[];
  /** Set when the study has just finished: no trial left to run and none in flight. */
  readonly finished: 'completed' | 'failed' | null;
}

/**
 * Creates the study's next trials as far as the two rules allow, or finishes it. Runs inside
 * `trx` with the study's row locked (so two trials finishing at once decide one after the other).
 */
export async function advance(trx: Knex, store: TuningStore, job: TuningJobRow, othersWait: boolean, requestId: string | null, now = new Date()): Promise<Advance> {
  if (job.status !== 'queued' && job.status !== 'running') return { queued: [], finished: null };
  const trials = await store.trials(job.id, trx);
  const finishedIdx = new Set(trials.filter((t) => FINISHED.has(t.status)).map((t) => t.index));
  const history = trials.filter((t) => FINISHED.has(t.status)).map(asTrial);
  const inFlight = trials.filter((t) => t.status === 'queued' || t.status === 'running').length;
  const r = job.request;
  const since = job.started_at ?? job.created_at;
  const outOfTime = r.budget.max_seconds !== undefined && now.getTime() - since.getTime() >= r.budget.max_seconds * 1000;
  const cap = othersWait ? MAX_IN_FLIGHT_WHEN_OTHERS_WAIT : MAX_IN_FLIGHT;
  const sampler = samplerFor(job);
  const queued: TrialRow[] = [];
  let next = trials.length;
  let exhausted = outOfTime || next >= sampler.total;
  while (!exhausted && inFlight + queued.length < cap) {
    const visible = visibleTrialCount(r.method, next);
    let ready = true;
    for (let i = 0; i < visible; i++) if (!finishedIdx.has(i)) ready = false;
    // An earlier trial it must see is still running: its finish calls this again.
    if (!ready) break;
    const params = sampler.propose(next, history);
    if (params === null) {
      exhausted = true;
      break;
    }
    const modelId = randomUUID();
    await store.insertTrial(trx, job.id, next, params, modelId);
    await enqueueJob(trx, 'gpu', 'tune-trial', { tuning_job_id: job.id, trial_index: next, request_id: requestId }, { request_id: requestId, actor_id: job.owner_id }, { jobId: tuneTrialJobId(job.id, next) });
    const row = await store.trial(job.id, next, trx);
    if (row) queued.push(row);
    next++;
    exhausted = next >= sampler.total;
  }
  if (queued.length > 0 || inFlight > 0 || !exhausted) return { queued, finished: null };
  const status = trials.some((t) => t.status === 'completed') ? 'completed' : 'failed';
  await store.finishJob(trx, job.id, status, status === 'failed' ? 'no trial completed' : null);
  return { queued, finished: status };
}
