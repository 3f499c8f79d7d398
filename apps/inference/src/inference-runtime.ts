import type { Express } from 'express';
import type { Registry } from 'prom-client';
import type { InferenceEnv } from '@inkwell/config';
import type { ServiceVersion } from '@inkwell/contracts';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import type { ReadinessCheck } from '@inkwell/http';
import type { ServiceContext } from '@inkwell/runtime';
import { Engine } from './engine/engine';
import { WorkerPool } from './engine/worker-pool';
import { createInferenceMetrics, type InferenceMetrics } from './metrics/inference-metrics';
import { ActiveSet } from './models/active-set';
import { ModelManager } from './models/model-manager';
import { subscribeModelPromoted } from './models/model-promoted.subscriber';
import { modelReadiness, modelsRoutes } from './models/models.routes';
import { PreprocessGate } from './read/preprocess-gate';
import { Admission, readRoutes } from './read/read.routes';
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
  readonly metrics: InferenceMetrics;
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
    this.active = new ActiveSet((set) => this.pool.release(set.id));
    this.manager = new ModelManager(
      this.pool,
      this.active,
      { modelDir: c.INFERENCE_MODEL_DIR, activeModels: c.INFERENCE_ACTIVE_MODELS, provider: c.INFERENCE_EXECUTION_PROVIDER, intraOpThreads: c.INFERENCE_INTRA_OP_THREADS, warmupRows: c.INFERENCE_BATCH_MAX_ROWS },
      ctx.logger,
      this.metrics,
    );
    this.engine = new Engine(this.pool, this.active, { tta: c.INFERENCE_TTA, maxBatchRows: c.INFERENCE_BATCH_MAX_ROWS, maxWaitUs: c.INFERENCE_BATCH_MAX_WAIT_US }, this.metrics);
    this.usage = new UsageRecorder(new UsageStore(ctx.db), ctx.logger);
    this.retention = new ImageRetention(new RetainedImagesStore(ctx.db), ctx.logger, c.INFERENCE_IMAGE_RETENTION_DAYS);
    this.admission = new Admission(c.INFERENCE_MAX_QUEUE);
    this.gate = new PreprocessGate(c.INFERENCE_PREPROCESS_CONCURRENCY);
  }

  /** Loads the configured models (not awaited by start-up: readiness says when they serve), the usage flusher, the retention purge and the model.promoted subscriber. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.manager.load().catch(() => undefined); // logged by the manager; readiness stays false
    this.usage.start(this.ctx.config.INFERENCE_USAGE_FLUSH_MS);
    this.retention.start();
    this.stopSubscriber = subscribeModelPromoted(this.ctx.redis, this.ctx.config.REDIS_PREFIX, this.manager, this.ctx.logger);
  }

  async stop(): Promise<void> {
    await this.stopSubscriber();
    await this.usage.stop();
    await this.retention.stop();
    await this.pool.close();
  }

  mount(app: Express, registry: Registry): void {
    this.metrics.registerOn(registry);
    const c = this.ctx.config;
    app.use(modelsRoutes({ active: this.active, manager: this.manager, tta: c.INFERENCE_TTA, version: VERSION }));
    app.use(
      readRoutes({
        engine: this.engine,
        read: { limits: { maxBytes: c.INFERENCE_MAX_UPLOAD_BYTES, maxSidePx: c.INFERENCE_MAX_SIDE_PX, maxPixels: c.INFERENCE_MAX_PIXELS, minSidePx: 8 }, uncertainThreshold: c.INFERENCE_UNCERTAIN_THRESHOLD, gate: this.gate },
        maxUploadBytes: c.INFERENCE_MAX_UPLOAD_BYTES,
        timeoutMs: c.INFERENCE_TIMEOUT_MS,
        admission: this.admission,
        usage: this.usage,
        retention: this.retention,
        metrics: this.metrics,
      }),
    );
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
