import type { ActivationEngine, ModelPromoted, RegistryActiveSet } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';

/** The part of the ModelManager this needs: loading a set of folders from a directory, with the registry's engine settings. */
export interface SetLoader {
  load(folders?: readonly string[], modelDir?: string, engine?: ActivationEngine | null): Promise<unknown>;
}

export interface RegistrySyncOptions {
  /** The trainer's base URL; empty: no registry. */
  readonly registryUrl: string;
  /** INFERENCE_ACTIVE_MODELS: when set, it overrides the registry. */
  readonly override: readonly string[];
  /** INFERENCE_MODEL_DIR: the override's and the fallback's folders. */
  readonly modelDir: string;
  /** `<DATA_DIR>/models`: where the registry's folders lie. */
  readonly registryDir: string;
  readonly retryMs: number;
}

/**
 * Keeps this replica on the set the trainer's registry names. At start it asks the registry; while
 * the registry cannot be reached (or has no set yet) the configured folders serve, with a warning,
 * and it asks again every `retryMs`. Then `model.promoted` events swap the set; as pub/sub keeps
 * nothing for a subscriber that is away, each acknowledged subscription (the first, which closes the
 * gap after the start-up read, and every restored one) asks the registry again. Each set
 * carries its activation id, and an id no newer than the one already asked for is ignored, so a
 * late answer or an event delivered twice or out of order never goes back to an older set.
 */
export class RegistrySync {
  private wanted = 0;
  private applied = 0;
  private fallbackStarted = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly manager: SetLoader,
    private readonly opts: RegistrySyncOptions,
    private readonly fetchSet: () => Promise<RegistryActiveSet>,
    private readonly logger: Logger,
  ) {}

  get mode(): 'registry' | 'override' | 'folders' {
    if (this.opts.override.length > 0) return 'override';
    return this.opts.registryUrl ? 'registry' : 'folders';
  }

  start(): void {
    const mode = this.mode;
    if (mode === 'registry') {
      void this.sync('start');
      return;
    }
    if (mode === 'override') {
      this.logger.info({ model_ids: this.opts.override, model_dir: this.opts.modelDir }, 'INFERENCE_ACTIVE_MODELS overrides the registry: serving the configured set');
    }
    this.manager.load().catch(() => undefined); // logged by the manager; readiness stays false
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  onEvent(event: ModelPromoted): void {
    if (event.activation_id === undefined) {
      if (this.mode === 'registry') {
        // The registry decides what serves: a hand-published event cannot override it, only make
        // this replica ask the registry again.
        this.logger.warn({ model_ids: event.model_ids ?? 'configured' }, 'model.promoted without activation_id ignored: the registry names the set (INFERENCE_REGISTRY_URL is set); re-reading it');
        void this.sync('hand-published event');
        return;
      }
      // An operator's event names folders of INFERENCE_MODEL_DIR (or none: the configured set).
      this.manager.load(event.model_ids).catch(() => undefined); // the manager logs the failure; the old set keeps serving
      return;
    }
    if (this.mode !== 'registry') {
      this.logger.info({ activation_id: event.activation_id }, `model.promoted from the registry ignored: ${this.mode === 'override' ? 'INFERENCE_ACTIVE_MODELS overrides it' : 'INFERENCE_REGISTRY_URL is not set'}`);
      return;
    }
    if (event.model_ids) void this.apply(event.activation_id, event.model_ids, event.engine ?? null);
  }

  /**
   * The subscription is acknowledged (first, or again after a dropped connection): a promotion
   * published before it (after the start-up read, or while the connection was down) was lost, so
   * the registry is asked again.
   */
  onSubscribed(again = false): void {
    if (this.mode === 'registry' && !this.stopped) void this.sync(again ? 'resubscribed' : 'subscribed');
  }

  private async sync(why: string): Promise<void> {
    if (this.stopped) return;
    let set: RegistryActiveSet;
    try {
      set = await this.fetchSet();
    } catch (err) {
      this.waitForRegistry(`the registry at ${this.opts.registryUrl} cannot be reached (${err instanceof Error ? err.message : String(err)})`, why);
      return;
    }
    if (!set.active) {
      this.waitForRegistry('the registry names no active set yet', why);
      return;
    }
    await this.apply(set.activation_id, set.model_ids, set.engine);
  }

  private waitForRegistry(problem: string, why: string): void {
    if (this.stopped) return;
    const serving = this.applied > 0 ? 'the last set it named keeps serving' : `serving the folders of ${this.opts.modelDir} meanwhile`;
    this.logger.warn({ registry: this.opts.registryUrl, on: why, retry_ms: this.opts.retryMs }, `${problem}; ${serving}; asking again every ${this.opts.retryMs} ms`);
    if (this.applied === 0 && !this.fallbackStarted) {
      this.fallbackStarted = true;
      this.manager.load().catch(() => undefined);
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.sync('retry');
    }, this.opts.retryMs);
    this.timer.unref();
  }

  private async apply(activationId: number, folders: readonly string[], engine: ActivationEngine | null): Promise<void> {
    if (this.stopped || activationId <= this.wanted) return;
    this.wanted = activationId;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      await this.manager.load(folders, this.opts.registryDir, engine);
      this.applied = Math.max(this.applied, activationId);
      this.logger.info({ activation_id: activationId, model_ids: folders, engine }, 'serving the registry\'s active set');
    } catch (err) {
      // The manager logged why; the current set keeps serving. Ask again later (the files may be
      // still arriving on a shared volume), unless a newer set was asked for meanwhile.
      if (this.wanted === activationId) {
        this.wanted = this.applied;
        this.waitForRegistry(`activation ${activationId} could not be loaded (${err instanceof Error ? err.message : String(err)})`, 'load');
      }
    }
  }
}
