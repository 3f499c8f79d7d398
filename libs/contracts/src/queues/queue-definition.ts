import { z } from 'zod';

/**
 * How one queue runs, whatever service works it. Plain data (no BullMQ types) so the contracts
 * stay importable by the web app; libs/queue turns it into BullMQ options.
 */
export interface QueueSettings {
  /** Jobs running at once across every worker process of every replica; null: only the workers' own limits. */
  readonly globalConcurrency: number | null;
  /** Jobs one worker object runs at once unless its service asks for fewer. */
  readonly workerConcurrency: number;
  readonly attempts: number;
  readonly backoff?: { readonly type: 'exponential' | 'fixed'; readonly delay: number };
  /** How long a worker's lock on a job lasts without renewal; a dead worker's jobs come back after it. */
  readonly lockDurationMs: number;
  /** How often workers look for jobs whose lock expired (their worker died). */
  readonly stalledIntervalMs: number;
  /** Stalls a job survives before it fails; a stall is a dead worker, not a failed attempt. */
  readonly maxStalledCount: number;
  /** Finished jobs kept in Redis (a count; false: keep all; true: remove each as it completes). The lasting record is in PostgreSQL. */
  readonly removeOnComplete: number | boolean;
  readonly removeOnFail: number | false;
}

/** One job name of a queue: what a producer sends, what its handler reports while running and returns. */
export interface JobDefinition<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, G extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly result: R;
  readonly progress: G;
}

export interface QueueDefinition {
  readonly settings: QueueSettings;
  readonly jobs: Readonly<Record<string, JobDefinition>>;
}

/** For jobs whose handler returns nothing. */
export const NoResult = z.void();
/** For jobs that report no progress: the handler's progress reporter then takes `never`. */
export const NoProgress = z.never();
