import type { RequestHandler } from 'express';

/** A dependency probe: resolves when the dependency answers, rejects (or times out) otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface DependencyState {
  readonly ok: boolean;
  readonly latency_ms: number;
  readonly error?: string;
  readonly detail?: unknown;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function runChecks(checks: Readonly<Record<string, ReadinessCheck>>, timeoutMs: number): Promise<{ ready: boolean; dependencies: Record<string, DependencyState> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, DependencyState]> => {
      const start = performance.now();
      try {
        const detail = await withTimeout(check(), timeoutMs);
        const state: DependencyState = { ok: true, latency_ms: Math.round(performance.now() - start) };
        return [name, detail === undefined ? state : { ...state, detail }];
      } catch (err) {
        return [name, { ok: false, latency_ms: Math.round(performance.now() - start), error: err instanceof Error ? err.message : String(err) }];
      }
    }),
  );
  const dependencies = Object.fromEntries(entries);
  return { ready: entries.every(([, s]) => s.ok), dependencies };
}

/** `/readyz`: 200 when every dependency answers, else 503, with each dependency's state. */
export function readinessHandler(checks: Readonly<Record<string, ReadinessCheck>>, timeoutMs: number): RequestHandler {
  return async (_req, res) => {
    const { ready, dependencies } = await runChecks(checks, timeoutMs);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', dependencies });
  };
}
