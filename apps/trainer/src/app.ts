import { join } from 'node:path';
import type { Worker } from 'bullmq';
import type { Express } from 'express';
import type { TrainerEnv } from '@inkwell/config';
import { auditToQueue, jobsToQueues, OutboxRelay, publishModelPromoted } from '@inkwell/outbox';
import { createRedis, createTypedWorker, TypedQueue } from '@inkwell/queue';
import type { ServiceContext } from '@inkwell/runtime';
import { activationsRoutes } from './activations/activations.routes';
import { ActivationsService } from './activations/activations.service';
import { ActivationsStore } from './activations/activations.store';
import { BenchmarkEvents } from './benchmarks/benchmark-events';
import { benchmarksRoutes } from './benchmarks/benchmarks.routes';
import { BenchmarksService } from './benchmarks/benchmarks.service';
import { BenchmarksStore } from './benchmarks/benchmarks.store';
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
import { registerDefaultModels } from './models/default-models';
import { ModelVersionsStore } from './models/model-versions.store';
import { modelsRoutes } from './models/models.routes';
import { ModelCompareService } from './models/model-compare.service';
import { ModelImportService } from './models/model-import.service';
import { TestSets } from './models/test-sets';
import { modelIoRoutes } from './models/model-io.routes';
import { ModelsService } from './models/models.service';
import { registerPresetModels } from './models/preset-models';
import { presetsRoutes } from './models/presets.routes';
import { PresetsService } from './models/presets.service';
import { cpuHandlers, gpuHandlers } from './workers';
import { MODEL_FAMILIES } from './families';
import { familiesRoutes } from './families/families.routes';
import { FamiliesService } from './families/families.service';
import { FamiliesStore } from './families/families.store';
import { trainingHistoryRoutes } from './jobs/training-history.routes';
import { TrainingHistoryService } from './jobs/training-history.service';
import { TrainingHistoryStore } from './jobs/training-history.store';
import { TuningEvents } from './tuning/tuning-events';
import { TuningRunner } from './tuning/tuning-runner';
import { tuningRoutes } from './tuning/tuning.routes';
import { TuningService } from './tuning/tuning.service';
import { TuningStore } from './tuning/tuning.store';

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
  const relay = new OutboxRelay({ db, logger, handlers: { audit: auditToQueue(auditQueue), job: jobsToQueues([cpuQueue, gpuQueue]), email: { off: 'the trainer sends no e-mail' }, 'model.promoted': publishModelPromoted(redis, config.REDIS_PREFIX) } });
  const kick = () => relay.kick();
  const blobs = new LocalBlobStore(config.DATA_DIR);
  const workDir = join(config.DATA_DIR, 'work');
  const store = new DatasetsStore(db);
  const datasets = new DatasetsService(db, store, blobs, kick);
  const trainingStore = new TrainingJobsStore(db);
  const versions = new ModelVersionsStore(db, { dataDir: config.DATA_DIR });
  const models = new ModelsService(versions);
  const presets = new PresetsService(versions);
  const testSets = new TestSets(store, blobs);
  const modelCompare = new ModelCompareService(versions, config.DATA_DIR, testSets);
  const modelImport = new ModelImportService({ db, versions, dataDir: config.DATA_DIR, maxBytes: config.TRAINER_MAX_IMPORT_BYTES, kick });
  const activationsStore = new ActivationsStore(db);
  const activations = new ActivationsService(db, activationsStore, versions, { floor: config.TRAINER_PROMOTE_MIN_ACCURACY, maxDrop: config.TRAINER_PROMOTE_MAX_DROP, dataDir: config.DATA_DIR }, kick, logger, testSets);
  const jobEvents = new JobEvents(redis, config.REDIS_PREFIX);
  const cancels = new JobCancels(redis, config.REDIS_URL, gpuQueue);
  const families = new FamiliesService(db, new FamiliesStore(db), MODEL_FAMILIES, logger, kick);
  const trainingJobs = new TrainingJobsService(db, trainingStore, versions, kick, jobEvents, cancels, store, families);
  const history = new TrainingHistoryService(new TrainingHistoryStore(db));
  const tuningStore = new TuningStore(db);
  const tuningEvents = new TuningEvents(redis, config.REDIS_PREFIX);
  const tuningRunner = new TuningRunner(db, tuningStore, tuningEvents, gpuQueue, { versions, testSets, dataDir: config.DATA_DIR }, kick, logger);
  const tuning = new TuningService({ db, store: tuningStore, runner: tuningRunner, versions, trainingStore, cancels, families, dataDir: config.DATA_DIR });
  const benchmarkStore = new BenchmarksStore(db);
  const benchmarkEvents = new BenchmarkEvents(redis, config.REDIS_PREFIX);
  const benchmarks = new BenchmarksService({ db, store: benchmarkStore, versions, activations: activationsStore, registry: activations, dataDir: config.DATA_DIR, kick });
  let gpuWorker: Worker | null = null;
  let gpuConnection: ReturnType<typeof createRedis> | null = null;

  const stopping = new AbortController();
  let worker: Worker | null = null;
  let workerConnection: ReturnType<typeof createRedis> | null = null;
  let builtin: Promise<unknown> = Promise.resolve();
  let defaultModels: Promise<unknown> = Promise.resolve();
  let presetModels: Promise<unknown> = Promise.resolve();

  return {
    routes: (app: Express) => {
      app.use(datasetsRoutes(datasets, { blobs, maxBytes: config.TRAINER_MAX_DATASET_BYTES }));
      app.use(familiesRoutes(families));
      app.use(trainingHistoryRoutes(history));
      app.use(trainingJobsRoutes(trainingJobs, { events: jobEvents, redisUrl: config.REDIS_URL }));
      app.use(activationsRoutes(activations));
      app.use(modelsRoutes(models));
      app.use(presetsRoutes(presets));
      app.use(modelIoRoutes(modelCompare, modelImport));
      app.use(tuningRoutes(tuning, { events: tuningEvents, redisUrl: config.REDIS_URL }));
      app.use(benchmarksRoutes(benchmarks, { events: benchmarkEvents, redisUrl: config.REDIS_URL }));
    },
    start: async () => {
      // The families in code against the `families` table; unregistered ones are logged as warnings.
      await families.reconcile();
      relay.start();
      workerConnection = createRedis(config.REDIS_URL, 'worker');
      worker = await createTypedWorker(cpuQueue, cpuHandlers({ db, store, blobs, workDir, kick, versions, dataDir: config.DATA_DIR, testSets }), { connection: workerConnection, logger });
      gpuConnection = createRedis(config.REDIS_URL, 'worker');
      const provider = config.TRAINER_EXECUTION_PROVIDER;
      // Before the worker: a cancel must never slip past a job this process is about to run.
      await cancels.listen((jobId) => gpuWorker?.cancelJob(jobId, 'cancelled'));
      gpuWorker = await createTypedWorker(gpuQueue, gpuHandlers({ db, store: trainingStore, versions, events: jobEvents, dataDir: config.DATA_DIR, provider, datasets: store, blobs }, { db, tuning: tuningStore, runner: tuningRunner, dataDir: config.DATA_DIR, provider, gpuQueue }, { store: benchmarkStore, events: benchmarkEvents, versions, testSets, dataDir: config.DATA_DIR }), {
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
      // Also in the background: the shipped models are listed at once, scored by `cpu` jobs later.
      if (config.TRAINER_REGISTER_DEFAULT_MODELS) {
        defaultModels = registerDefaultModels({ db, versions, dataDir: config.DATA_DIR, modelDir: config.TRAINER_DEFAULT_MODEL_DIR, logger, signal: stopping.signal, kick }).then(
          (outcome) => logger.info({ outcome }, 'default models'),
          (err: unknown) => {
            if (!stopping.signal.aborted) logger.error({ err }, 'could not register the default models');
          },
        )
          // Then, on a registry that has never served anything, the default ensemble becomes the active set.
          .then(() => (stopping.signal.aborted ? null : activations.activateDefaults(config.TRAINER_DEFAULT_MODEL_DIR)))
          .then(
            (a) => a && logger.info({ activation_id: a.id, to_ids: a.to_ids }, 'default models activated'),
            (err: unknown) => logger.error({ err }, 'could not activate the default models'),
          );
        // After them, so the shipped models are scored first: the presets' untrained weights, to benchmark.
        presetModels = defaultModels
          .then(() => (stopping.signal.aborted ? null : registerPresetModels({ db, versions, dataDir: config.DATA_DIR, presets: config.TRAINER_PRESETS, logger, signal: stopping.signal, kick })))
          .then(
            (outcome) => outcome && logger.info({ outcome }, 'preset models'),
            (err: unknown) => {
              if (!stopping.signal.aborted) logger.error({ err }, 'could not register the preset models');
            },
          );
      }
    },
    stop: async () => {
      stopping.abort();
      await Promise.all([builtin, defaultModels, presetModels]);
      await Promise.all([worker?.close(), gpuWorker?.close()]);
      workerConnection?.disconnect();
      gpuConnection?.disconnect();
      cancels.close();
      await relay.stop();
      await Promise.all([auditQueue.close(), cpuQueue.close(), gpuQueue.close()]);
    },
    queues: [cpuQueue, gpuQueue],
    exposes: { relay, datasets, blobs, trainingJobs, trainingStore, gpuQueue, families, history, activations, versions, tuning, tuningStore, benchmarks, benchmarkStore },
  };
}
