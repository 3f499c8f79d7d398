import { join } from 'node:path';
import { AppError, INT8_MODEL_FILE, type ActivationEngine } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import type { InferenceMetrics } from '../metrics/inference-metrics';
import type { ExecutionProvider } from '../engine/worker-protocol';
import { type LoadResult, ModelLoadError, type WorkerPool } from '../engine/worker-pool';
import { type ActiveSet, type ModelSet, ensembleId } from './active-set';
import { MODEL_FILE, listModelFolders, readModelFolders, sha256Of, type ModelFiles, type Refusal } from '@inkwell/model-artifacts';
import { servingEngine } from './serving-engine';

export interface ModelManagerOptions {
  readonly modelDir: string;
  /** Configured folder names; empty means every valid folder. */
  readonly activeModels: readonly string[];
  readonly provider: ExecutionProvider;
  readonly intraOpThreads: number;
  readonly warmupRows: number;
}

/**
 * Loads model sets and makes them active: read and check the folders, load and warm the sessions
 * in every worker, then swap. Loads run one at a time; a failed load leaves the current set serving.
 */
export class ModelManager {
  private nextSetId = 1;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: WorkerPool,
    private readonly active: ActiveSet,
    private readonly opts: ModelManagerOptions,
    private readonly logger: Logger,
    private readonly metrics?: InferenceMetrics,
  ) {}

  /**
   * Loads `folders` (default: the configured set) and switches to it. `modelDir` (default: the
   * configured one) is where they lie: the registry's folders are under `<DATA_DIR>/models/`.
   * `engine`: the registry activation's engine settings (a benchmark's apply): the int8 files, each
   * checked against its recorded SHA-256, and the thread count, on the CPU; null: the configured defaults.
   */
  load(folders?: readonly string[], modelDir: string = this.opts.modelDir, engine: ActivationEngine | null = null): Promise<ModelSet> {
    const next = this.chain.then(() => this.loadNow(folders, modelDir, engine));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * A reload names its models, and gets all of them or a 400 naming every one that could not be
   * served. Start-up serves the configured or found folders that work, and says which it skipped.
   */
  private async loadNow(requested: readonly string[] | undefined, modelDir: string, engine: ActivationEngine | null): Promise<ModelSet> {
    const start = performance.now();
    const strict = requested !== undefined;
    const folders = requested ?? (this.opts.activeModels.length > 0 ? this.opts.activeModels : await listModelFolders(modelDir));
    const modelFile = engine?.variant === 'int8' ? INT8_MODEL_FILE : MODEL_FILE;
    const read = await readModelFolders(modelDir, folders, { modelFile });
    const refused: Refusal[] = [];
    const refuse = (r: Refusal): void => {
      refused.push(r);
      this.logger.warn({ model_dir: modelDir, folder: r.folder, reason: r.reason }, `model refused: ${r.folder}: ${r.reason}`);
    };
    read.refused.forEach(refuse);
    let files: ModelFiles[] = read.files.filter((f) => {
      // An int8 file is loaded only as the registry recorded it: a stale or half-copied one is refused.
      const expected = engine?.files[folders.indexOf(f.folder)]?.sha256;
      if (engine?.variant !== 'int8' || expected === sha256Of(f.onnx)) return true;
      refuse({ folder: f.folder, reason: `${modelFile} is not the file the registry recorded (SHA-256 ${expected ?? 'missing'})` });
      return false;
    });
    const id = this.nextSetId++;
    // Each pass loads what is left; a model that fails is refused and the rest load again, so a
    // reload learns about every bad model at once.
    while (files.length > 0) {
      const loaded = await this.tryLoad(id, files, folders, engine);
      if ('bad' in loaded) {
        refuse({ folder: loaded.bad.folder, reason: `cannot be loaded: ${loaded.reason}` });
        files = files.filter((f) => f !== loaded.bad);
        continue;
      }
      if (strict && refused.length > 0) {
        this.pool.release(id);
        break;
      }
      for (const w of new Set(loaded.warnings)) this.logger.warn({ requested_provider: this.opts.provider }, w);
      return this.activate(id, files, loaded.providers, start, modelFile, engine);
    }
    this.metrics?.swaps.inc({ outcome: 'failed' });
    if (strict) throw cannotServe(refused);
    throw new AppError('service_unavailable', `No valid model among [${folders.join(', ')}] in ${modelDir}`);
  }

  /** Loads `files` as set `id` in every worker; a model's own failure comes back as `bad`, anything else throws. */
  private async tryLoad(id: number, files: readonly ModelFiles[], folders: readonly string[], engine: ActivationEngine | null): Promise<LoadResult | { bad: ModelFiles; reason: string }> {
    try {
      return await this.pool.loadSet(
        id,
        files.map((f) => ({ modelId: f.manifest.model_id, onnx: f.onnx, inputName: f.manifest.input_name, outputName: f.manifest.output_name, normalization: f.manifest.normalization })),
        // An applied engine is one the benchmark measured on the CPU, with its thread count.
        { provider: engine ? 'cpu' : this.opts.provider, intraOpThreads: engine?.threads ?? this.opts.intraOpThreads, warmupRows: this.opts.warmupRows },
      );
    } catch (err) {
      const bad = err instanceof ModelLoadError ? files[err.index] : undefined;
      if (bad && err instanceof ModelLoadError) return { bad, reason: err.reason };
      this.logger.error({ err, folders }, 'model set failed to load; the previous set keeps serving');
      this.metrics?.swaps.inc({ outcome: 'failed' });
      throw err;
    }
  }

  private activate(id: number, files: readonly ModelFiles[], providers: ModelSet['providers'], start: number, modelFile: string, engine: ActivationEngine | null): ModelSet {
    const manifests = files.map((f) => f.manifest);
    // Hashed here, once per set, from the very bytes the workers loaded: the browser download's
    // ETag and integrity check then name what the server runs.
    const modelFiles = files.map((f) => ({ path: join(f.dir, modelFile), bytes: f.onnx.length, sha256: sha256Of(f.onnx) }));
    const served = servingEngine(engine, providers, this.opts.intraOpThreads);
    const set: ModelSet = { id, modelId: ensembleId(manifests), manifests, files: modelFiles, providers, engine: served, loadedAt: new Date() };
    this.active.swap(set);
    const seconds = (performance.now() - start) / 1000;
    this.metrics?.modelLoadSeconds.observe(seconds);
    this.metrics?.swaps.inc({ outcome: 'ok' });
    this.logger.info({ set_id: id, model_id: set.modelId, model_ids: manifests.map((m) => m.model_id), providers, engine: served, load_ms: Math.round(seconds * 1000) }, 'model set active');
    return set;
  }
}

/** A reload naming a model that cannot be served is the caller's mistake, and retrying will not help. */
function cannotServe(refused: readonly Refusal[]): AppError {
  return new AppError('validation_failed', `Cannot serve ${refused.map((r) => `${r.folder} (${r.reason})`).join('; ')}; the current set keeps serving`, {
    refused: refused.map((r) => ({ folder: r.folder, reason: r.reason })),
  });
}
