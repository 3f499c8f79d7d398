import * as ort from 'onnxruntime-node';

export interface SessionConfig {
  /** Threads for one operator; 1 makes float reductions run in a fixed order (determinism mode). */
  readonly threads?: number;
  /** Try the CUDA execution provider first; falls back to CPU (with a log line) when it is unavailable. */
  readonly cuda?: boolean;
  readonly profilePrefix?: string;
  readonly log?: (message: string) => void;
}

/** Creates a session tuned for many small runs on a CPU: sequential execution, all graph optimisations. */
export async function createSession(model: Uint8Array, cfg: SessionConfig = {}): Promise<ort.InferenceSession> {
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: cfg.threads ?? 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    ...(cfg.profilePrefix ? { enableProfiling: true, profileFilePrefix: cfg.profilePrefix } : {}),
  };
  if (cfg.cuda) {
    try {
      return await ort.InferenceSession.create(model, { ...base, executionProviders: ['cuda'] });
    } catch (e) {
      cfg.log?.(`CUDA execution provider unavailable (${String(e).split('\n')[0]}); training on CPU`);
    }
  }
  return ort.InferenceSession.create(model, { ...base, executionProviders: ['cpu'] });
}
