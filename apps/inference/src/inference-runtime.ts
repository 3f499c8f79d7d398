import { join } from 'node:path';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import type { InferenceEnv } from '@inkwell/config';
import type { ServiceVersion } from '@inkwell/contracts';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import type { ReadinessCheck } from '@inkwell/http';
import { auditToQueue, jobsToQueues, OutboxRelay } from '@inkwell/outbox';
import { TypedQueue } from '@inkwell/queue';
import type { ServiceContext } from '@inkwell/runtime';
import { PredictionAudit } from './audit/prediction-audit';
import { BatchApi } from './batch/batch-api';
import { Engine } from './engine/engine';
import { WorkerPool } from './engine/worker-pool';
import { createInferenceMetrics, type InferenceMetrics } from './metrics/inference-metrics';
import { ActiveSet } from './models/active-set';
import { browserModelRoutes } from './models/browser-model.routes';
import { ModelManager } from './models/model-manager';
import { subscribeModelPromoted } from './models/model-promoted.subscriber';
import { modelReadiness, modelsRoutes } from './models/models.routes';
import { fetchActiveSet } from './models/registry-client';
import { RegistrySync } from './models/registry-sync';
import { PreprocessGate } from './read/preprocess-gate';
import { DigitCounter } from './read/digit-counter';
import { Admission, readRoutes } from './read/read.routes';
import { readLimitsRoutes } from './read/read-limits.routes';
import { Reader } from './read/reader';
import { ImageRetention } from './retention/image-retention';
import { RetainedImagesStore } from './retention/retained-images.store';
import { UsageRecorder } from './usage/usage-recorder';
import { UsageStore } from './usage/usage.store';

type Ctx = ServiceContext<InferenceEnv>;

const VERSION: ServiceVersion = { service: 'inference', version: '0.1.0', build: `preprocess-${PREPROCESS_HASH}`, commit: null };

/**
 * Everything one running inference service holds: workers, the active model set, the engine and
 * the usage counters. The service's `build` constructs one and hands its routes, readiness and
 * background hooks to the runtime (see service.ts).
 */
export class InferenceRuntime {
  readonly pool: WorkerPool;
  readonly active: ActiveSet;
  readonly manager: ModelManager;
  readonly engine: Engine;
  readonly usage: UsageRecorder;
  readonly retention: ImageRetention;
  readonly admission: Admission;
  readonly gate: PreprocessGate;
  readonly digitCounter: DigitCounter;
  /** What reading one image is, for /v1/read, /api/predict and the batch worker alike. */
  readonly reader: Reader;
  readonly metrics: InferenceMetrics;
  readonly registry: RegistrySync;
  /** Reads per caller per minute and model swaps, as audit events through the outbox. */
  readonly audit: PredictionAudit;
  private readonly auditQueue: TypedQueue<'audit'>;
  private readonly relay: OutboxRelay;
  /** POST /api/batch and the batch job views, the `batch` queue they feed, and the batch retention job. */
  readonly batch: BatchApi;
  private started = false;
  private stopSubscriber: () => Promise<void> = async () => undefined;

  constructor(private readonly ctx: Ctx) {
    const c = ctx.config;
    this.pool = new WorkerPool(c.INFERENCE_WORKERS, ctx.logger);
    this.metrics = createInferenceMetrics({
      queueDepth: () => this.engine.queueDepth,
      inFlight: () => this.admission.inFlight,
      ensembleSize: () => this.active.set?.manifests.length ?? 0,
    });
    this.auditQueue = new TypedQueue('audit', ctx.redis, c.REDIS_PREFIX);
    this.batch = new BatchApi(ctx, () => this.relay.kick());
    this.relay = new OutboxRelay({ db: ctx.db, logger: ctx.logger, handlers: { audit: auditToQueue(this.auditQueue), job: jobsToQueues([this.batch.queue]) } });
    this.audit = new PredictionAudit(ctx.db, ctx.logger, () => this.relay.kick(), () => new Date(), c.INFERENCE_AUDIT_WINDOW_S * 1000);
    this.active = new ActiveSet(
      (set) => this.pool.release(set.id),
      (next, previous) => this.audit.modelSwapped(next, previous),
    );
    this.manager = new ModelManager(
      this.pool,
      this.active,
      { modelDir: c.INFERENCE_MODEL_DIR, activeModels: c.INFERENCE_ACTIVE_MODELS, provider: c.INFERENCE_EXECUTION_PROVIDER, intraOpThreads: c.INFERENCE_INTRA_OP_THREADS, warmupRows: c.INFERENCE_BATCH_MAX_ROWS },
      ctx.logger,
      this.metrics,
    );
    this.registry = new RegistrySync(
      this.manager,
      { registryUrl: c.INFERENCE_REGISTRY_URL, override: c.INFERENCE_ACTIVE_MODELS, modelDir: c.INFERENCE_MODEL_DIR, registryDir: join(c.DATA_DIR, 'models'), retryMs: c.INFERENCE_REGISTRY_RETRY_MS },
      () => fetchActiveSet(c.INFERENCE_REGISTRY_URL, c.INTERNAL_TOKEN_SECRET),
      ctx.logger,
    );
    this.engine = new Engine(this.pool, this.active, { tta: c.INFERENCE_TTA, maxBatchRows: c.INFERENCE_BATCH_MAX_ROWS, maxWaitUs: c.INFERENCE_BATCH_MAX_WAIT_US }, this.metrics);
    this.usage = new UsageRecorder(new UsageStore(ctx.db), ctx.logger);
    this.retention = new ImageRetention(new RetainedImagesStore(ctx.db), ctx.logger, c.INFERENCE_IMAGE_RETENTION_DAYS);
    this.admission = new Admission(c.INFERENCE_MAX_QUEUE);
    this.gate = new PreprocessGate(c.INFERENCE_PREPROCESS_CONCURRENCY);
    this.digitCounter = new DigitCounter(c.INFERENCE_NUMBER_COUNT_MODEL, ctx.logger);
    this.reader = new Reader(this.engine, {
      digitCounter: this.digitCounter,
      limits: { maxBytes: c.INFERENCE_MAX_UPLOAD_BYTES, maxSidePx: c.INFERENCE_MAX_SIDE_PX, maxPixels: c.INFERENCE_MAX_PIXELS, minSidePx: 8 },
      uncertainThreshold: c.INFERENCE_UNCERTAIN_THRESHOLD,
      gate: this.gate,
      timeoutMs: c.INFERENCE_TIMEOUT_MS,
    });
  }

  /**
   * The model.promoted subscriber, then the models the registry names (or the configured ones; not
   * awaited by start-up: readiness says when they serve), the usage flusher and the retention purge.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    // The registry is read at start and again once each SUBSCRIBE is acknowledged: a promotion
    // published between the two reads is then either an event or in the second read.
    this.stopSubscriber = subscribeModelPromoted(this.ctx.redis, this.ctx.config.REDIS_PREFIX, { onEvent: (e) => this.registry.onEvent(e), onSubscribed: (again) => this.registry.onSubscribed(again) }, this.ctx.logger);
    this.registry.start();
    // Loaded now, so its one log line (or warning) comes at start, not on the first number read.
    void this.digitCounter.ready();
    this.usage.start(this.ctx.config.INFERENCE_USAGE_FLUSH_MS);
    this.relay.start();
    this.batch.start();
    this.audit.start(this.ctx.config.INFERENCE_AUDIT_FLUSH_MS);
    this.retention.start();
  }

  async stop(): Promise<void> {
    this.registry.stop();
    await this.stopSubscriber();
    await this.usage.stop();
    // The minute under way too; what the relay cannot deliver now waits in the outbox for the next start.
    await this.audit.stop();
    await this.relay.drain().catch((err: unknown) => this.ctx.logger.warn({ err }, 'outbox not drained at stop'));
    await this.relay.stop();
    await this.batch.stop();
    await this.auditQueue.close();
    await this.retention.stop();
    await this.digitCounter.close();
    await this.pool.close();
  }

  mount(app: Express, registry: Registry): void {
    this.metrics.registerOn(registry);
    const c = this.ctx.config;
    app.use(modelsRoutes({ active: this.active, manager: this.manager, tta: c.INFERENCE_TTA, version: VERSION }));
    app.use(browserModelRoutes({ active: this.active, tta: c.INFERENCE_TTA, logger: this.ctx.logger }));
    app.use(readLimitsRoutes(this.reader.opts.limits));
    app.use(
      readRoutes({
        reader: this.reader,
        maxUploadBytes: c.INFERENCE_MAX_UPLOAD_BYTES,
        admission: this.admission,
        usage: this.usage,
        audit: this.audit,
        retention: this.retention,
        metrics: this.metrics,
      }),
    );
    app.use(this.batch.routes());
  }

  readiness(): Record<string, ReadinessCheck> {
    return {
      models: async () => {
        const detail = modelReadiness(this.active.set);
        if (!detail.model_loaded) throw new Error('no model loaded yet');
        return detail;
      },
    };
  }
}
