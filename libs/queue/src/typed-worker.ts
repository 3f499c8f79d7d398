import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job, type JobProgress as BullProgress, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { JobMeta, QUEUE_TABLE, jobDefinition, type JobDefinition, type JobName, type JobPayload, type JobProgress, type JobResult, type QueueName } from '@inkwell/contracts';
import { runWithContext, type Logger } from '@inkwell/logger';
import type { TypedQueue } from './typed-queue';

/** What a handler gets besides its payload. */
export interface JobContext<Q extends QueueName, J extends JobName<Q>> {
  readonly job: Job;
  readonly meta: JobMeta;
  /** The request that caused the job (or `job-<id>`); every log line of the handler carries it. */
  readonly requestId: string;
  /** The worker's logger, tagged with the queue, job name and job id. */
  readonly logger: Logger;
  /** Aborted when the worker cancels the job (`worker.cancelJob`) or closes. */
  readonly signal: AbortSignal | undefined;
  /** Reports progress, checked against the job's progress schema (a mismatch fails the job). */
  progress(progress: JobProgress<Q, J>): Promise<void>;
}

export type TypedHandlers<Q extends QueueName> = {
  readonly [J in JobName<Q>]: (payload: JobPayload<Q, J>, ctx: JobContext<Q, J>) => Promise<JobResult<Q, J>>;
};
/** @deprecated the old name; kept while callers move. */
export type Handlers<Q extends QueueName> = TypedHandlers<Q>;

export interface TypedWorkerOptions {
  /** A blocking-kind connection (`createRedis(url, 'worker')`): workers wait out a Redis restart. */
  readonly connection: Redis;
  readonly logger: Logger;
  /** Jobs this worker runs at once; the queue's `workerConcurrency` when left out. */
  readonly concurrency?: number;
  /** BullMQ options over the table's (a name, shorter stall checks in a test). */
  readonly worker?: Partial<WorkerOptions>;
}

const Envelope = z.object({ payload: z.unknown(), meta: JobMeta });
type AnyHandler = (payload: unknown, ctx: JobContext<QueueName, never>) => Promise<unknown>;

/**
 * Starts a worker for `queue`. It refuses to start unless every job name of the queue has a
 * handler (a job with none would otherwise sit failed forever). Before the worker takes a job it
 * writes the queue's global concurrency, so the `gpu` queue runs at most two jobs across every
 * process. Payloads are checked before the handler runs (a bad one fails at once, without
 * retries: it would be just as bad the next time), results and progress after; each job runs
 * with its request id in the log context.
 */
export async function createTypedWorker<Q extends QueueName>(queue: TypedQueue<Q>, handlers: TypedHandlers<Q>, opts: TypedWorkerOptions): Promise<Worker> {
  const name: QueueName = queue.name;
  const table: Readonly<Record<string, AnyHandler | undefined>> = handlers as unknown as Readonly<Record<string, AnyHandler | undefined>>;
  const declared = Object.keys(QUEUE_TABLE[name].jobs);
  const missing = declared.filter((j) => typeof table[j] !== 'function');
  if (missing.length > 0) throw new Error(`worker for queue ${name} has no handler for: ${missing.join(', ')}`);
  const extra = Object.keys(table).filter((j) => !declared.includes(j));
  if (extra.length > 0) throw new Error(`worker for queue ${name} has handlers for jobs the contracts do not define: ${extra.join(', ')}`);

  const settings = queue.settings;
  const worker = new Worker(name, (job: Job, _token?: string, signal?: AbortSignal) => runJob(name, table, job, signal, opts.logger), {
    connection: opts.connection,
    prefix: queue.prefix,
    concurrency: opts.concurrency ?? settings.workerConcurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
    // Recorded on each job it takes (`processedBy`): bull-board and tests can tell which process ran it.
    name: `${hostname()}:${process.pid}`,
    ...opts.worker,
    // Started below, once the global limit is in Redis: a worker that ran first could take more.
    autorun: false,
  });
  // Without a listener an 'error' event (Redis gone) would throw out of the event emitter.
  worker.on('error', (err) => opts.logger.error({ err, queue: name }, 'queue worker error'));
  try {
    await queue.applyGlobalConcurrency();
  } catch (err) {
    await worker.close();
    throw err;
  }
  worker.run().catch((err: unknown) => opts.logger.error({ err, queue: name }, 'queue worker stopped'));
  return worker;
}

async function runJob(name: QueueName, table: Readonly<Record<string, AnyHandler | undefined>>, job: Job, signal: AbortSignal | undefined, baseLogger: Logger): Promise<unknown> {
  const logger = baseLogger.child({ queue: name, job: job.name, job_id: job.id });
  const envelope = Envelope.safeParse(job.data);
  const requestId = (envelope.success ? envelope.data.meta.request_id : null) ?? payloadRequestId(job.data) ?? `job-${job.id ?? 'unknown'}`;
  return runWithContext({ requestId }, async () => {
    const definition = jobDefinition(name, job.name);
    const handler = table[job.name];
    if (!definition || !handler) throw refuse(logger, `queue ${name} has no job ${job.name}`);
    if (!envelope.success) throw refuse(logger, `job ${name}/${job.name} is not a {payload, meta} envelope: ${z.prettifyError(envelope.error)}`);
    const payload = definition.payload.safeParse(envelope.data.payload);
    if (!payload.success) throw refuse(logger, `job ${name}/${job.name} has a payload that does not match its schema: ${z.prettifyError(payload.error)}`);

    const started = Date.now();
    logger.info({ attempt: job.attemptsMade + 1 }, 'job started');
    try {
      const ctx: JobContext<QueueName, never> = {
        job,
        meta: envelope.data.meta,
        requestId,
        logger,
        signal,
        progress: (value: unknown) => reportProgress(job, definition, value),
      };
      const returned = await handler(payload.data, ctx);
      const result = definition.result.safeParse(returned);
      if (!result.success) throw new UnrecoverableError(`job ${name}/${job.name} returned a result that does not match its schema: ${z.prettifyError(result.error)}`);
      logger.info({ duration_ms: Date.now() - started }, 'job completed');
      return result.data;
    } catch (err) {
      logger.warn({ err, duration_ms: Date.now() - started, attempt: job.attemptsMade + 1 }, 'job failed');
      throw err;
    }
  });
}

async function reportProgress(job: Job, definition: JobDefinition, value: unknown): Promise<void> {
  const parsed = definition.progress.safeParse(value);
  // A progress report that breaks its schema is a bug in the handler; retrying would repeat it.
  if (!parsed.success) throw new UnrecoverableError(`job ${job.queueName}/${job.name} reported progress that does not match its schema: ${z.prettifyError(parsed.error)}`);
  await job.updateProgress(toBullProgress(parsed.data));
}

function toBullProgress(value: unknown): BullProgress {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'object' && value !== null) return value;
  throw new UnrecoverableError('progress must be a number, string, boolean or object');
}

/** Jobs whose payload names the request (train, validate-dataset) keep it even without a meta one. */
function payloadRequestId(data: unknown): string | undefined {
  const parsed = z.object({ payload: z.object({ request_id: z.string() }) }).safeParse(data);
  return parsed.success ? parsed.data.payload.request_id : undefined;
}

function refuse(logger: Logger, message: string): UnrecoverableError {
  logger.error(message);
  return new UnrecoverableError(message);
}
