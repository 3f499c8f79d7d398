import { Queue, Worker, type Job, type JobsOptions, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS, JobMeta, QUEUES, type JobName, type JobPayload, type QueueName } from '@inkwell/contracts';
import { runWithContext, type Logger } from '@inkwell/logger';
import type { z } from 'zod';

interface Envelope {
  readonly payload: unknown;
  readonly meta: JobMeta;
}

const schemaOf = <Q extends QueueName>(queue: Q, job: string): z.ZodType | undefined =>
  (QUEUES[queue] as Readonly<Record<string, z.ZodType>>)[job];

/** A producer that only accepts the job names and payloads the contracts define for its queue. */
export class TypedQueue<Q extends QueueName> {
  readonly queue: Queue;
  constructor(readonly name: Q, connection: Redis, prefix: string) {
    this.queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS[name] as JobsOptions });
  }

  async add<J extends JobName<Q>>(job: J, payload: JobPayload<Q, J>, meta: JobMeta, opts: JobsOptions = {}): Promise<Job> {
    const schema = schemaOf(this.name, job);
    if (!schema) throw new Error(`queue ${this.name} has no job ${job}`);
    const envelope: Envelope = { payload: schema.parse(payload), meta: JobMeta.parse(meta) };
    return this.queue.add(job, envelope, opts);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export type Handlers<Q extends QueueName> = {
  readonly [J in JobName<Q>]: (payload: JobPayload<Q, J>, job: Job, meta: JobMeta) => Promise<unknown>;
};

/**
 * A worker with a handler for every job name of its queue (checked at start: a job with no
 * handler would otherwise sit failed forever). Payloads are validated; each job runs with its
 * request id in the log context.
 */
export function createTypedWorker<Q extends QueueName>(
  name: Q,
  handlers: Handlers<Q>,
  opts: { connection: Redis; prefix: string; logger: Logger; concurrency?: number; worker?: Partial<WorkerOptions> },
): Worker {
  const declared = Object.keys(QUEUES[name]);
  const missing = declared.filter((j) => !(j in handlers));
  if (missing.length > 0) throw new Error(`worker for queue ${name} has no handler for: ${missing.join(', ')}`);
  return new Worker(
    name,
    async (job: Job) => {
      const envelope = job.data as Envelope;
      const meta = JobMeta.parse(envelope.meta);
      const schema = schemaOf(name, job.name);
      const handler = (handlers as Readonly<Record<string, (p: unknown, j: Job, m: JobMeta) => Promise<unknown>>>)[job.name];
      if (!schema || !handler) throw new Error(`unknown job ${job.name} on queue ${name}`);
      const payload: unknown = schema.parse(envelope.payload);
      return runWithContext({ requestId: meta.request_id ?? `job-${job.id ?? 'unknown'}` }, () => {
        opts.logger.debug({ queue: name, job: job.name, job_id: job.id }, 'job started');
        return handler(payload, job, meta);
      });
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: opts.concurrency ?? 1, ...opts.worker },
  );
}
