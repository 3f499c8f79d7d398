import * as ort from 'onnxruntime-node';

/** The execution providers a service or the trainer may ask for; `cpu` is always there. */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export interface OrtSessionOptions {
  /** Tried first; anything but `cpu` falls back to `cpu` when this onnxruntime build or machine lacks it. Default `cpu`. */
  readonly provider?: ExecutionProvider;
  /** Threads for one operator (default 2); 1 makes float reductions run in a fixed order. */
  readonly intraOpThreads?: number;
  /** Told once, in one line, when the requested provider is unavailable and CPU is used instead. */
  readonly log?: (message: string) => void;
  /** Anything else (profiling, memory arena): merged over the defaults below; providers are ours. */
  readonly extra?: Omit<ort.InferenceSession.SessionOptions, 'executionProviders' | 'intraOpNumThreads'>;
}

export interface OrtSession {
  readonly session: ort.InferenceSession;
  /** The provider the session actually runs on. */
  readonly provider: ExecutionProvider;
}

/**
 * Each session owns its intra-op pool, and by default a pool's threads spin for a while after each
 * run. An ensemble runs its members' sessions one after another, so the pools that just finished
 * spin on the cores the next member needs: five 2-thread sessions on 2 cores measured 1,083 images/s
 * at batch 64 with spinning and 4,512 without (1 thread: 2,684). With one thread there is no pool,
 * so this changes nothing there.
 */
export const NO_SPINNING = { session: { intra_op: { allow_spinning: '0' } } } as const;

const firstLine = (e: unknown): string => String(e instanceof Error ? e.message : e).split('\n')[0] ?? 'unknown error';

/**
 * The one place an onnxruntime session is created for serving, training and evaluation: sequential
 * execution with every graph optimisation (many small runs), on the requested execution provider,
 * or on CPU with one clear line through `log` when that provider cannot be used here (a CPU-only
 * onnxruntime-node build, no GPU, missing CUDA libraries).
 */
export async function createOrtSession(model: Uint8Array | string, options: OrtSessionOptions = {}): Promise<OrtSession> {
  const provider = options.provider ?? 'cpu';
  const base: ort.InferenceSession.SessionOptions = {
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    extra: NO_SPINNING,
    ...options.extra,
    intraOpNumThreads: options.intraOpThreads ?? 2,
  };
  if (provider !== 'cpu') {
    try {
      // ORT's own logger would print a multi-line plain-text error per session; the line below says it once.
      const session = await create(model, { ...base, logSeverityLevel: 4, executionProviders: [provider] });
      return { session, provider };
    } catch (e) {
      options.log?.(`execution provider ${provider} unavailable (${firstLine(e)}); using cpu`);
    }
  }
  return { session: await create(model, { ...base, executionProviders: ['cpu'] }), provider: 'cpu' };
}

// The two overloads of InferenceSession.create do not accept a union argument.
const create = (model: Uint8Array | string, o: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> =>
  typeof model === 'string' ? ort.InferenceSession.create(model, o) : ort.InferenceSession.create(model, o);
