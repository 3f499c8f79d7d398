import { z } from 'zod';
import { AuditEvent } from './audit-event';
import { TrainJobPayload, TrainJobProgress, TrainJobResult } from './gpu-jobs';
import { EvaluateModelPayload, EvaluateModelResult, ValidateDatasetPayload, ValidateDatasetProgress, ValidateDatasetResult } from './cpu-jobs';
import { BatchRunPayload, BatchRunProgress, BatchRunResult } from './batch-jobs';
import { TuneTrialPayload, TuneTrialResult } from '../tuning/tune-trial-job';
import { BenchmarkRunPayload, BenchmarkRunProgress, BenchmarkRunResult } from '../benchmarks/benchmark-job';
import { ReportRenderPayload, ReportRenderResult } from '../reports/report-jobs';
import { NoProgress, NoResult, type JobDefinition, type QueueDefinition, type QueueSettings } from './queue-definition';

export * from './queue-definition';
export * from './gpu-jobs';
export * from './cpu-jobs';
export * from './batch-jobs';

// Stall checks: BullMQ's defaults (30 s lock, 30 s check, one stall survived) suit short jobs.
const SHORT_JOBS = { lockDurationMs: 30_000, stalledIntervalMs: 30_000, maxStalledCount: 1 } as const;

/**
 * Every queue, how it runs, and the jobs it carries (payload, result and progress schemas), as one
 * table. Producers and workers are typed from it; a worker refuses to start if a job name of its
 * queue has no handler.
 */
export const QUEUE_TABLE = {
  audit: {
    // A completed job is removed at once: its event is in PostgreSQL, and sign-ins would otherwise
    // fill Redis (noeviction) until it refuses writes. Storage is idempotent on the event id, so a
    // job re-added after its first copy was removed is harmless.
    settings: { globalConcurrency: null, workerConcurrency: 10, attempts: 10, backoff: { type: 'exponential', delay: 1000 }, ...SHORT_JOBS, removeOnComplete: true, removeOnFail: false },
    jobs: { 'audit.record': { payload: AuditEvent, result: NoResult, progress: NoProgress } },
  },
  email: {
    settings: { globalConcurrency: null, workerConcurrency: 5, attempts: 5, backoff: { type: 'exponential', delay: 5000 }, ...SHORT_JOBS, removeOnComplete: 1000, removeOnFail: false },
    jobs: {
      'email.send': {
        payload: z.object({ to: z.email(), subject: z.string(), text: z.string(), outbox_id: z.string() }),
        result: NoResult,
        progress: NoProgress,
      },
    },
  },
  gpu: {
    // Two slots in total, whatever the number of trainer replicas (the machine has the GPU
    // memory for two jobs). One attempt: a training error is not transient, and a crashed
    // worker is a stall, which resumes the job from its checkpoint instead of using an attempt.
    // Training can hold the event loop for a while between steps, so locks last longer and a
    // job survives two dead workers before it fails.
    settings: { globalConcurrency: 2, workerConcurrency: 2, attempts: 1, lockDurationMs: 60_000, stalledIntervalMs: 30_000, maxStalledCount: 2, removeOnComplete: 1000, removeOnFail: 5000 },
    jobs: {
      train: { payload: TrainJobPayload, result: TrainJobResult, progress: TrainJobProgress },
      // One trial of a tuning job: trials share the two slots with training jobs (see apps/trainer/src/tuning).
      'tune-trial': { payload: TuneTrialPayload, result: TuneTrialResult, progress: NoProgress },
      // A benchmark holds a slot like training: it needs the machine quiet (and the GPU, where there is one).
      'benchmark.run': { payload: BenchmarkRunPayload, result: BenchmarkRunResult, progress: BenchmarkRunProgress },
    },
  },
  cpu: {
    // Validation reads whole datasets: a few at once across the fleet keeps disks and CPUs for requests.
    settings: { globalConcurrency: 4, workerConcurrency: 2, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, lockDurationMs: 60_000, stalledIntervalMs: 30_000, maxStalledCount: 1, removeOnComplete: 1000, removeOnFail: 5000 },
    jobs: {
      'validate-dataset': { payload: ValidateDatasetPayload, result: ValidateDatasetResult, progress: ValidateDatasetProgress },
      'evaluate-model': { payload: EvaluateModelPayload, result: EvaluateModelResult, progress: NoProgress },
    },
  },
  batch: {
    // One job per inference process at a time (its engine is shared with /v1/read). A chunk is
    // committed within seconds, so a 30 s lock (renewed while the process lives) outlasts one; a
    // killed process's job is found by the next stall check (15 s) and resumes from its last
    // committed chunk, so stalls are cheap and a job survives three of them.
    settings: { globalConcurrency: null, workerConcurrency: 1, attempts: 2, backoff: { type: 'exponential', delay: 2000 }, lockDurationMs: 30_000, stalledIntervalMs: 15_000, maxStalledCount: 3, removeOnComplete: 1000, removeOnFail: 5000 },
    jobs: { 'batch.run': { payload: BatchRunPayload, result: BatchRunResult, progress: BatchRunProgress } },
  },
  report: {
    settings: { globalConcurrency: null, workerConcurrency: 1, attempts: 3, backoff: { type: 'exponential', delay: 2000 }, ...SHORT_JOBS, removeOnComplete: 1000, removeOnFail: 5000 },
    jobs: { 'report.render': { payload: ReportRenderPayload, result: ReportRenderResult, progress: NoProgress } },
  },
} as const satisfies Record<string, QueueDefinition>;

type Table = typeof QUEUE_TABLE;
export type QueueName = keyof Table;
export type JobName<Q extends QueueName> = keyof Table[Q]['jobs'] & string;
type Def<Q extends QueueName, J extends JobName<Q>> = Table[Q]['jobs'][J] extends JobDefinitionOf ? Table[Q]['jobs'][J] : never;
type JobDefinitionOf = { payload: z.ZodType; result: z.ZodType; progress: z.ZodType };

export type JobPayload<Q extends QueueName, J extends JobName<Q>> = z.infer<Def<Q, J>['payload']>;
export type JobResult<Q extends QueueName, J extends JobName<Q>> = z.infer<Def<Q, J>['result']>;
export type JobProgress<Q extends QueueName, J extends JobName<Q>> = z.infer<Def<Q, J>['progress']>;

/** One job of a queue as a discriminated union on its name (immich's JobItem). */
export type JobItem<Q extends QueueName> = { [J in JobName<Q>]: { readonly name: J; readonly payload: JobPayload<Q, J> } }[JobName<Q>];
/** The item of one job name (immich's JobOf<T>). */
export type JobOf<Q extends QueueName, J extends JobName<Q>> = Extract<JobItem<Q>, { name: J }>;

export const QUEUE_NAMES = Object.keys(QUEUE_TABLE) as QueueName[];

/** Queue name -> job name -> payload schema: the table's payload column alone. */
export const QUEUES = Object.fromEntries(
  QUEUE_NAMES.map((q) => [q, Object.fromEntries(Object.entries(QUEUE_TABLE[q].jobs).map(([job, def]: [string, JobDefinitionOf]) => [job, def.payload]))]),
) as { readonly [Q in QueueName]: { readonly [J in JobName<Q>]: Def<Q, J>['payload'] } };

export const QUEUE_SETTINGS = Object.fromEntries(QUEUE_NAMES.map((q) => [q, QUEUE_TABLE[q].settings])) as { readonly [Q in QueueName]: QueueSettings };

/** A job definition by queue and (untrusted) job name, for workers checking what Redis hands them. */
export function jobDefinition(queue: QueueName, job: string): JobDefinition | undefined {
  const jobs: Readonly<Record<string, JobDefinition>> = QUEUE_TABLE[queue].jobs;
  return Object.hasOwn(jobs, job) ? jobs[job] : undefined;
}

/** Every job also carries who started it and the request it came from, for logs and audit. */
export const JobMeta = z.object({ request_id: z.string().nullable(), actor_id: z.string().nullable() });
export type JobMeta = z.infer<typeof JobMeta>;

/** Default job options per queue (attempts, backoff, retention), in BullMQ's shape, from the settings above. */
export const DEFAULT_JOB_OPTIONS = Object.fromEntries(
  QUEUE_NAMES.map((q) => {
    const s: QueueSettings = QUEUE_TABLE[q].settings;
    return [q, { attempts: s.attempts, ...(s.backoff ? { backoff: { ...s.backoff } } : {}), removeOnComplete: s.removeOnComplete, removeOnFail: s.removeOnFail }];
  }),
) as {
  readonly [Q in QueueName]: {
    readonly attempts: number;
    readonly backoff?: { readonly type: 'exponential' | 'fixed'; readonly delay: number };
    readonly removeOnComplete: number | boolean;
    readonly removeOnFail: number | false;
  };
};
