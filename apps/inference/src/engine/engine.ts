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

  /**
   * Several images (a number's digits) as one request: their TTA variants travel as the rows of one
   * batch entry, so the digits of one image share a run and a model set, and never wait for each other.
   */
  async classifyMany(images: readonly Float32Array[], signal: AbortSignal, patienceUs?: number): Promise<{ probs: Float32Array[]; set: ModelSet }> {
    if (!this.active.set) throw new AppError('service_unavailable', 'No model is loaded yet; try again shortly');
    const batches = images.map((px) => ttaBatch(px, this.opts.tta));
    const rows = batches.reduce((n, b) => n + b.rows, 0);
    const pixels = new Float32Array(rows * 784);
    let at = 0;
    for (const b of batches) {
      pixels.set(b.pixels, at * 784);
      at += b.rows;
    }
    const { probs, tag } = await this.batcher.infer(pixels, rows, signal, patienceUs);
    at = 0;
    const out = batches.map((b) => {
      const mine = meanProbs(probs.subarray(at * 10, (at + b.rows) * 10), b.rows);
      at += b.rows;
      return mine;
    });
    return { probs: out, set: tag };
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
