import { AppError, type TtaProfile } from '@inkwell/contracts';
import { meanProbs, ttaBatch } from '@inkwell/imaging';
import type { ActiveSet, ModelSet } from '../models/active-set';
import type { InferenceMetrics } from '../metrics/inference-metrics';
import { DynamicBatcher } from './dynamic-batcher';
import { WorkerExitedError, type WorkerPool } from './worker-pool';

export interface EngineOptions {
  readonly tta: TtaProfile;
  readonly maxBatchRows: number;
  readonly maxWaitUs: number;
}

export interface Classification {
  /** Ensemble- and TTA-averaged probabilities, 10 values. */
  readonly probs: Float32Array;
  readonly set: ModelSet;
}

/**
 * Classifies 28x28 ink images: TTA variants of one image travel as rows of one batch, batches
 * gather concurrent requests, and each batch runs on a worker against the set it leased.
 */
export class Engine {
  private readonly batcher: DynamicBatcher<ModelSet>;

  constructor(
    private readonly pool: WorkerPool,
    private readonly active: ActiveSet,
    private readonly opts: EngineOptions,
    metrics?: InferenceMetrics,
  ) {
    this.batcher = new DynamicBatcher<ModelSet>(
      {
        get idle() {
          return pool.idle;
        },
        run: (pixels, rows) => this.runBatch(pixels, rows, metrics),
        retryable: (err) => err instanceof WorkerExitedError,
      },
      {
        maxRows: opts.maxBatchRows,
        maxWaitUs: opts.maxWaitUs,
        onBatch: (rows, requests) => {
          metrics?.batchRows.observe(rows);
          metrics?.batchRequests.observe(requests);
        },
      },
    );
    pool.onIdle = () => this.batcher.schedule();
  }

  get queueDepth(): number {
    return this.batcher.depth;
  }

  /** `patienceUs`: how long this image may wait for others to share its run (default: the engine's `maxWaitUs`). */
  async classify(pixels: Float32Array, signal: AbortSignal, patienceUs?: number): Promise<Classification> {
    if (!this.active.set) throw new AppError('service_unavailable', 'No model is loaded yet; try again shortly');
    const batch = ttaBatch(pixels, this.opts.tta);
    const { probs, tag } = await this.batcher.infer(batch.pixels, batch.rows, signal, patienceUs);
    return { probs: meanProbs(probs, batch.rows), set: tag };
  }

  private async runBatch(pixels: Float32Array, rows: number, metrics?: InferenceMetrics): Promise<{ probs: Float32Array; tag: ModelSet }> {
    const lease = this.active.acquire();
    if (!lease) throw new AppError('service_unavailable', 'No model is loaded');
    try {
      const { probs, runMs } = await this.pool.run(lease.set.id, pixels, rows);
      metrics?.runSeconds.observe(runMs / 1000);
      return { probs, tag: lease.set };
    } finally {
      lease.release();
    }
  }
}
