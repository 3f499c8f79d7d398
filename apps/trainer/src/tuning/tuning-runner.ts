import type { Knex } from 'knex';
import type { Logger } from '@inkwell/logger';
import type { TuningEvent } from '@inkwell/contracts';
import type { TypedQueue } from '@inkwell/queue';
import { recordAudit } from '../jobs/training-jobs.service';
import { advance, othersWaiting, type Advance } from './tuning-planner';
import { studyResult, type ResultDeps } from './tuning-result';
import type { TrialOutcome, TuningJobRow, TuningStore } from './tuning.store';
import type { TuningEvents } from './tuning-events';
import { bestOf, trialView } from './tuning-view';

/**
 * Moves studies forward: creates their next trials (tuning-planner.ts decides which), records
 * finished trials, and finishes a study with its result. Every step takes the study's row lock.
 */
export class TuningRunner {
  constructor(
    private readonly db: Knex,
    private readonly store: TuningStore,
    private readonly events: TuningEvents,
    private readonly gpuQueue: TypedQueue<'gpu'>,
    private readonly result: ResultDeps,
    /** Wakes the outbox relay after a commit, so new trials reach the queue at once. */
    private readonly kick: () => void,
    private readonly logger: Logger,
  ) {}

  /**
   * Best effort: progress is for watchers, the rows are the record. A Redis command that times out
   * (Redis restarting, a busy machine) must not fail a trial.
   */
  async emit(id: string, event: TuningEvent): Promise<void> {
    try {
      await this.events.append(id, event);
    } catch (err) {
      this.logger.warn({ err, tuning_job_id: id }, 'could not publish a tuning event');
    }
  }

  /** When the queue cannot be read, assume others wait: the study then keeps to one slot. */
  private async othersWait(jobId: string): Promise<boolean> {
    try {
      return await othersWaiting(this.gpuQueue, jobId);
    } catch (err) {
      this.logger.warn({ err, tuning_job_id: jobId }, 'could not read the gpu queue; keeping the study to one slot');
      return true;
    }
  }

  /** A new study's first trials, in the transaction that creates it. */
  async begin(trx: Knex, job: TuningJobRow, requestId: string | null): Promise<Advance> {
    return advance(trx, this.store, job, await this.othersWait(job.id), requestId);
  }

  /** After `begin`'s transaction committed. */
  async announce(jobId: string, step: Advance): Promise<void> {
    this.kick();
    for (const t of step.queued) await this.emit(jobId, { type: 'trial', trial: trialView(t) });
    if (step.finished) await this.conclude(jobId);
  }

  /** Records a trial's outcome and moves its study on; false when the trial or the study was cancelled meanwhile. */
  async finishTrial(jobId: string, index: number, outcome: TrialOutcome, requestId: string | null): Promise<boolean> {
    const othersWait = await this.othersWait(jobId);
    const before = await this.bestNow(jobId);
    const step = await this.db.transaction(async (trx) => {
      const job = await this.store.lock(trx, jobId);
      if (!job) return null;
      if (!(await this.store.finishTrial(trx, jobId, index, outcome))) return null;
      return advance(trx, this.store, job, othersWait, requestId);
    });
    if (!step) return false;
    const trial = await this.store.trial(jobId, index);
    if (trial) await this.emit(jobId, { type: 'trial', trial: trialView(trial) });
    const best = await this.bestNow(jobId);
    if (best && best.trial !== before?.trial) await this.emit(jobId, { type: 'best', best });
    await this.announce(jobId, step);
    return true;
  }

  private async bestNow(jobId: string) {
    const job = await this.store.get(jobId);
    return job ? bestOf(job, await this.store.trials(jobId)) : null;
  }

  /** A finished study: its result, the audit event, then the final status event (the SSE stream ends on it). */
  private async conclude(jobId: string): Promise<void> {
    const job = await this.store.get(jobId);
    if (!job) return;
    const trials = await this.store.trials(jobId);
    try {
      await this.store.saveResult(jobId, await studyResult(this.result, job, trials));
    } catch (err) {
      this.logger.error({ err, tuning_job_id: jobId }, 'could not compute the study result');
    }
    await this.db.transaction((trx) => recordAudit(trx, { action: job.status === 'completed' ? 'tuning.complete' : 'tuning.fail', ...(job.status === 'completed' ? {} : { outcome: 'failure' as const }), actor: { kind: 'system' }, target: { type: 'tuning_job', id: jobId }, details: { trials: trials.length } }));
    this.kick();
    await this.emit(jobId, { type: 'status', status: job.status, error: job.error });
  }
}
