import type { ActivationEngine, ServingEngine } from '@inkwell/contracts';
import type { ExecutionProvider } from '../engine/worker-protocol';

/**
 * What a loaded set answers reads with: the applied engine settings as the registry gave them, or,
 * without any, the configured provider as the sessions actually run (after any fallback to the CPU)
 * on the float32 files.
 */
export function servingEngine(engine: ActivationEngine | null, providers: readonly ExecutionProvider[], configuredThreads: number): ServingEngine {
  if (engine) return { name: engine.engine, variant: engine.variant, threads: engine.threads, benchmark_id: engine.benchmark_id };
  const gpu = providers.find((p) => p !== 'cpu');
  return { name: gpu ?? 'ort-cpu', variant: 'float32', threads: configuredThreads, benchmark_id: null };
}
