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

export interface ReadinessReport {
  readonly ready: boolean;
  readonly dependencies: Record<string, DependencyState>;
}

export async function runChecks(checks: Readonly<Record<string, ReadinessCheck>>, timeoutMs: number): Promise<ReadinessReport> {
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

/**
 * The checks behind a cache: one run at a time shared by every concurrent caller, and its report
 * reused for `cacheMs` after it finished. A flood of `/readyz` calls (the gateway's fans out to
 * every service, each pinging PostgreSQL and Redis) then costs at most one run per period.
 */
export function cachedReadiness(checks: Readonly<Record<string, ReadinessCheck>>, timeoutMs: number, cacheMs = 1000, now: () => number = Date.now): () => Promise<ReadinessReport> {
  let last: { readonly at: number; readonly report: ReadinessReport } | undefined;
  let inFlight: Promise<ReadinessReport> | undefined;
  return () => {
    if (last && now() - last.at < cacheMs) return Promise.resolve(last.report);
    inFlight ??= runChecks(checks, timeoutMs)
      .then((report) => {
        last = { at: now(), report };
        return report;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

/**
 * `/readyz`: 200 when every dependency answers, else 503. With `detail`, each dependency's state
 * (latencies, error messages that name internal addresses): for the internal port and admins only.
 */
export function readinessHandler(readiness: () => Promise<ReadinessReport>, opts: { readonly detail: boolean }): RequestHandler {
  return async (_req, res) => {
    const { ready, dependencies } = await readiness();
    const status = ready ? 'ready' : 'not_ready';
    res.status(ready ? 200 : 503).json(opts.detail ? { status, dependencies } : { status });
  };
}
