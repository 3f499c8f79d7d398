import { join } from 'node:path';
import type { Worker } from 'bullmq';
import type { Express } from 'express';
import type { TrainerEnv } from '@inkwell/config';
import { auditToQueue, jobsToQueues, OutboxRelay } from '@inkwell/outbox';
import { createRedis, createTypedWorker, TypedQueue } from '@inkwell/queue';
import type { ServiceContext } from '@inkwell/runtime';
import { registerBuiltinMnist } from './datasets/builtin-datasets';
import { datasetsRoutes } from './datasets/datasets.routes';
import { DatasetsService } from './datasets/datasets.service';
import { DatasetsStore } from './datasets/datasets.store';
import { LocalBlobStore } from './storage/local-blob-store';
import { JobCancels } from './jobs/job-cancels';
import { JobEvents } from './jobs/job-events';
import { trainingJobsRoutes } from './jobs/training-jobs.routes';
import { TrainingJobsService } from './jobs/training-jobs.service';
import { TrainingJobsStore } from './jobs/training-jobs.store';
import { ModelVersionsStore } from './models/model-versions.store';
import { cpuHandlers, gpuHandlers } from './workers';

/**
 * The trainer's `build`: the blob store and dataset store, the datasets service and routes; its
 * background work (started in `start`) is the outbox relay, the `cpu` worker and the built-in
 * `mnist` registration.
 */
export function buildTrainer(ctx: ServiceContext<TrainerEnv>) {
  const { config, logger, db, redis } = ctx;
  const auditQueue = new TypedQueue('audit', redis, config.REDIS_PREFIX);
  const cpuQueue = new TypedQueue('cpu', redis, config.REDIS_PREFIX);
  const gpuQueue = new TypedQueue('gpu', redis, config.REDIS_PREFIX);
  const relay = new OutboxRelay({ db, logger, handlers: { audit: auditToQueue(auditQueue), job: jobsToQueues([cpuQueue, gpuQueue]), email: { off: 'the trainer sends no e-mail' } } });
  const kick = () => relay.kick();
  const blobs = new LocalBlobStore(config.DATA_DIR);
  const workDir = join(config.DATA_DIR, 'work');
  const store = new DatasetsStore(db);
  const datasets = new DatasetsService(db, store, blobs, kick);
  const trainingStore = new TrainingJobsStore(db);
  const versions = new ModelVersionsStore(db);
  const jobEvents = new JobEvents(redis, config.REDIS_PREFIX);
  const cancels = new JobCancels(redis, config.REDIS_URL, gpuQueue);
  const trainingJobs = new TrainingJobsService(db, trainingStore, versions, kick, jobEvents, cancels);
  let gpuWorker: Worker | null = null;
  let gpuConnection: ReturnType<typeof createRedis> | null = null;

  const stopping = new AbortController();
  let worker: Worker | null = null;
  let workerConnection: ReturnType<typeof createRedis> | null = null;
  let builtin: Promise<unknown> = Promise.resolve();

  return {
    routes: (app: Express) => {
      app.use(datasetsRoutes(datasets, { blobs, maxBytes: config.TRAINER_MAX_DATASET_BYTES }));
      app.use(trainingJobsRoutes(trainingJobs, { events: jobEvents, redisUrl: config.REDIS_URL }));
    },
    start: async () => {
      relay.start();
      workerConnection = createRedis(config.REDIS_URL, 'worker');
      worker = await createTypedWorker(cpuQueue, cpuHandlers({ db, store, blobs, workDir, kick }), { connection: workerConnection, logger });
      gpuConnection = createRedis(config.REDIS_URL, 'worker');
      const provider = config.TRAINER_EXECUTION_PROVIDER;
      // Before the worker: a cancel must never slip past a job this process is about to run.
      await cancels.listen((jobId) => gpuWorker?.cancelJob(jobId, 'cancelled'));
      gpuWorker = await createTypedWorker(gpuQueue, gpuHandlers({ db, store: trainingStore, versions, events: jobEvents, dataDir: config.DATA_DIR, provider }), {
        connection: gpuConnection,
        logger,
        worker: {
          ...(config.TRAINER_GPU_LOCK_MS === undefined ? {} : { lockDuration: config.TRAINER_GPU_LOCK_MS }),
          ...(config.TRAINER_GPU_STALLED_INTERVAL_MS === undefined ? {} : { stalledInterval: config.TRAINER_GPU_STALLED_INTERVAL_MS }),
        },
      });
      // In the background: a few seconds of reading that readiness need not wait for.
      builtin = registerBuiltinMnist({ db, store, blobs, workDir, signal: stopping.signal }).then(
        (outcome) => logger.info({ outcome }, 'built-in dataset mnist'),
        (err: unknown) => {
          if (!stopping.signal.aborted) logger.error({ err }, 'could not register the built-in dataset mnist');
        },
      );
    },
    stop: async () => {
      stopping.abort();
      await builtin;
      await Promise.all([worker?.close(), gpuWorker?.close()]);
      workerConnection?.disconnect();
      gpuConnection?.disconnect();
      cancels.close();
      await relay.stop();
      await Promise.all([auditQueue.close(), cpuQueue.close(), gpuQueue.close()]);
    },
    queues: [cpuQueue, gpuQueue],
    exposes: { relay, datasets, blobs, trainingJobs, trainingStore, gpuQueue },
  };
}
