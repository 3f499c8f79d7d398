import type { LiveModel, LiveReading, LoadFailure } from './live-model';

/** At most one live run per this many milliseconds while a stroke goes on. */
export const THROTTLE_MS = 100;

export type ModelStatus = { readonly kind: 'idle' } | { readonly kind: 'loading' } | { readonly kind: 'ready' } | { readonly kind: 'failed'; readonly failure: LoadFailure };

export interface LiveState {
  readonly model: ModelStatus;
  /** The newest reading of the drawing; null before the first one and after Clear. */
  readonly reading: LiveReading | null;
  /** True while the drawing has changed since `reading` was computed. */
  readonly updating: boolean;
  /** What screen readers hear: set when a stroke ends and its reading is ready, never mid-stroke. */
  readonly announcement: LiveReading | null;
}

export const INITIAL_LIVE_STATE: LiveState = { model: { kind: 'idle' }, reading: null, updating: false, announcement: null };

/** After a failed load the next stroke waits this long before trying again, doubling up to the most. */
const RELOAD_FIRST_MS = 2_000;
const RELOAD_MAX_MS = 60_000;

// One download and one set of sessions per page: every panel (and every remount) shares them.
let shared: Promise<LiveModel> | null = null;
let failedLoads = 0;
let nextLoadAt = Number.NEGATIVE_INFINITY;
/** The set the server read with last (a /v1/read answer's model_id); null before any answer. */
let serverModelId: string | null = null;

async function liveModel(): Promise<LiveModel> {
  const loading = (shared ??= import('./live-model').then((m) => m.loadLiveModel()));
  try {
    const model = await loading;
    failedLoads = 0;
    return model;
  } catch (e) {
    // Several panels may await one failed load: it counts once. Each member is megabytes, so a
    // failing download is not tried again on every stroke.
    if (shared === loading) {
      shared = null;
      nextLoadAt = performance.now() + Math.min(RELOAD_MAX_MS, RELOAD_FIRST_MS * 2 ** failedLoads);
      failedLoads++;
    }
    throw e;
  }
}

/**
 * The server has read an image with the set `modelId` (a /v1/read answer). When the live model is
 * another set (an admin promoted a new one since the page loaded) the live guess would no longer
 * match the server's answer, so the set is downloaded again on the next stroke.
 */
export function noteServerModel(modelId: string): void {
  serverModelId = modelId;
  void shared?.then(
    (model) => {
      if (model.modelId !== modelId && serverModelId === modelId) shared = null;
    },
    () => undefined,
  );
}

async function failureOf(e: unknown): Promise<LoadFailure> {
  const { LiveModelError } = await import('./live-model');
  return e instanceof LiveModelError ? e.failure : { kind: 'runtime', detail: e instanceof Error ? e.message : String(e) };
}

/**
 * Live prediction for one canvas, free of React: the model loads on the first stroke, then the
 * drawing is read at most every THROTTLE_MS while it changes and at once when a stroke ends. One
 * run at a time (an ORT session runs one call at a time); a run that finishes after the drawing
 * changed is followed by another, so the last reading always matches the last pixels.
 */
export class LiveScheduler {
  private state: LiveState = INITIAL_LIVE_STATE;
  private model: LiveModel | null = null;
  private loading = false;
  private revision = 0; // bumped on every change of the drawing
  private clearedAt = 0; // readings of revisions before this one belong to a cleared drawing
  private penDown = false;
  private announceNext = false;
  private running = false;
  private lastRun = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    /** The canvas's pixels now; null once it is gone. */
    private readonly pixels: () => ImageData | null,
    private readonly onChange: (state: LiveState) => void,
  ) {}

  /** A stroke began and drew its first dot. The first stroke starts loading the model. */
  strokeStarted(): void {
    this.penDown = true;
    this.revision++;
    this.set({ announcement: null });
    if (this.model && serverModelId !== null && this.model.modelId !== serverModelId) this.model = null; // stale: see noteServerModel
    if (!this.model) void this.load();
    else this.schedule(false);
  }

  /** The stroke drew more ink. */
  inkAdded(): void {
    this.revision++;
    this.schedule(false);
  }

  /** The stroke ended: read now, and announce that reading. */
  strokeEnded(): void {
    if (!this.penDown) return;
    this.penDown = false;
    this.announceNext = true;
    this.schedule(true);
  }

  cleared(): void {
    this.revision++;
    this.clearedAt = this.revision;
    this.announceNext = false;
    this.cancelTimer();
    this.set({ reading: null, updating: false, announcement: null });
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }

  private set(p: Partial<LiveState>): void {
    const next = { ...this.state, ...p };
    const same = (Object.keys(p) as (keyof LiveState)[]).every((k) => next[k] === this.state[k]);
    if (same || this.disposed) return; // no render per pointer move when nothing shown changes
    this.state = next;
    this.onChange(next);
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async load(): Promise<void> {
    if (this.loading || performance.now() < nextLoadAt) return;
    this.loading = true;
    this.set({ model: { kind: 'loading' } });
    try {
      this.model = await liveModel();
      this.set({ model: { kind: 'ready' } });
    } catch (e) {
      this.set({ model: { kind: 'failed', failure: await failureOf(e) } });
      return;
    } finally {
      this.loading = false;
    }
    // Strokes drawn while it loaded: read them now.
    if (this.revision >= this.clearedAt && this.revision > 0) this.schedule(true);
  }

  private schedule(now: boolean): void {
    if (!this.model) return;
    this.set({ updating: true });
    if (this.running) return; // the run in flight starts the next one when it sees the change
    if (this.timer !== null) {
      if (!now) return;
      this.cancelTimer();
    }
    const wait = now ? 0 : Math.max(0, this.lastRun + THROTTLE_MS - performance.now());
    this.timer = setTimeout(() => void this.run(), wait);
  }

  private async run(): Promise<void> {
    this.timer = null;
    const model = this.model;
    const image = this.pixels();
    if (!model || !image || this.running || this.disposed) return;
    if (this.revision === this.clearedAt) {
      this.set({ updating: false }); // blank since the last Clear
      return;
    }
    this.running = true;
    const rev = this.revision;
    let reading: LiveReading;
    try {
      reading = await model.read(image.data, image.width, image.height);
    } catch (e) {
      this.model = null;
      this.set({ model: { kind: 'failed', failure: await failureOf(e) }, updating: false });
      return;
    } finally {
      this.running = false;
      this.lastRun = performance.now();
    }
    if (rev < this.clearedAt) {
      // Cleared while this run went on: its reading is of the old drawing. A new one may have
      // been started meanwhile (its strokes found this run in flight and left the reading to it).
      if (this.revision > this.clearedAt) this.schedule(!this.penDown);
      return;
    }
    const current = rev === this.revision;
    const announce = current && !this.penDown && this.announceNext;
    if (announce) this.announceNext = false;
    this.set({ reading, updating: !current, ...(announce ? { announcement: reading } : {}) });
    if (!current) this.schedule(this.announceNext && !this.penDown);
  }
}
