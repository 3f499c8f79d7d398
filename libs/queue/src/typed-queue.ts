import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS, JobMeta, QUEUE_SETTINGS, jobDefinition, type JobName, type JobPayload, type QueueName, type QueueSettings } from '@inkwell/contracts';

/** What a job's data holds in Redis: the payload its schema describes, and who asked for it. */
export interface Envelope {
  readonly payload: unknown;
  readonly meta: JobMeta;
}

/**
 * A producer that only accepts the job names and payloads the contracts define for its queue;
 * jobs get the queue's default options (attempts, backoff, retention) from the same table.
 */
export class TypedQueue<Q extends QueueName> {
  readonly queue: Queue;
  readonly settings: QueueSettings;
  constructor(
    readonly name: Q,
    connection: Redis,
    readonly prefix: string,
  ) {
    this.settings = QUEUE_SETTINGS[name];
    this.queue = new Queue(name, { connection, prefix, defaultJobOptions: toJobsOptions(DEFAULT_JOB_OPTIONS[name]) });
  }

  async add<J extends JobName<Q>>(job: J, payload: JobPayload<Q, J>, meta: JobMeta, opts: JobsOptions = {}): Promise<Job> {
    const definition = jobDefinition(this.name, job);
    if (!definition) throw new Error(`queue ${this.name} has no job ${job}`);
    const envelope: Envelope = { payload: definition.payload.parse(payload), meta: JobMeta.parse(meta) };
    return this.queue.add(job, envelope, opts);
  }

  /**
   * Writes the queue's global concurrency (a key in Redis that every worker of every process
   * obeys) from the contracts, or removes it where the table sets none, so the table stays the
   * one source even after a change.
   */
  async applyGlobalConcurrency(): Promise<void> {
    const limit = this.settings.globalConcurrency;
    if (limit === null) await this.queue.removeGlobalConcurrency();
    else await this.queue.setGlobalConcurrency(limit);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

function toJobsOptions(defaults: (typeof DEFAULT_JOB_OPTIONS)[QueueName]): JobsOptions {
  return { ...defaults, ...(defaults.backoff ? { backoff: { ...defaults.backoff } } : {}) };
}
