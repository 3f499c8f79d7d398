import { useQuery } from '@tanstack/react-query';
import {
  BenchmarkList,
  BenchmarkRecord,
  FINISHED_BENCHMARK_STATUSES,
  ModelList,
  type BenchmarkEngine,
  type BenchmarkEngineResult,
  type BenchmarkMetric,
  type BenchmarkStatus,
} from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { t, type MessageKey } from '../../i18n/i18n';

export const BENCHMARKS_KEY = ['benchmarks'] as const;
export const benchmarkKey = (id: string) => [...BENCHMARKS_KEY, 'one', id] as const;
const listKey = [...BENCHMARKS_KEY, 'list'] as const;

/** While one is queued or running the list asks again this often (its page has the live view). */
const ACTIVE_REFRESH_MS = 5_000;
/** The detail's stream carries the progress; this only covers a stream that cannot connect. */
const RUNNING_POLL_MS = 10_000;

export const isFinished = (s: BenchmarkStatus): boolean => FINISHED_BENCHMARK_STATUSES.includes(s);

export const fetchBenchmark = (id: string, signal?: AbortSignal): Promise<BenchmarkRecord> => api('get', '/api/benchmarks/{id}', { params: { id }, ...(signal ? { signal } : {}), schema: BenchmarkRecord });

export const useBenchmarks = () =>
  useQuery({
    queryKey: listKey,
    queryFn: async ({ signal }) => (await api('get', '/api/benchmarks', { schema: BenchmarkList, signal })).items,
    refetchInterval: (q) => (q.state.data?.some((b) => !isFinished(b.status)) ? ACTIVE_REFRESH_MS : false),
  });

export const useBenchmark = (id: string) =>
  useQuery({
    queryKey: benchmarkKey(id),
    queryFn: ({ signal }) => fetchBenchmark(id, signal),
    refetchInterval: (q) => (q.state.data && !isFinished(q.state.data.status) ? RUNNING_POLL_MS : false),
  });

/** Ready versions to benchmark (the newest hundred; "active" covers the serving set). */
export const useReadyVersions = () =>
  useQuery({
    queryKey: [...BENCHMARKS_KEY, 'versions'],
    queryFn: async ({ signal }) => (await api('get', '/api/models', { query: { status: 'ready', page_size: 100 }, schema: ModelList, signal })).items,
  });

/**
 * Engines this machine could not run, with the reason, as the newest finished benchmark that
 * asked for them found (the trainer has no separate engine listing): the form shows them disabled.
 * The form does not wait for these; a benchmark that cannot be read is skipped.
 */
export const useUnavailableEngines = (enabled: boolean) =>
  useQuery({
    queryKey: [...BENCHMARKS_KEY, 'unavailable'],
    queryFn: async ({ signal }): Promise<ReadonlyMap<BenchmarkEngine, string>> => {
      const items = (await api('get', '/api/benchmarks', { schema: BenchmarkList, signal })).items;
      const out = new Map<BenchmarkEngine, string>();
      const asked = new Set<BenchmarkEngine>();
      for (const b of items) {
        if (b.status !== 'completed') continue;
        const fresh = b.request.engines.filter((e) => !asked.has(e.engine));
        if (fresh.length === 0) continue;
        // Only the engines no newer benchmark has answered for: the newest word on each wins.
        // A record that cannot be read is skipped: these are hints, and the next one may answer.
        const record = await fetchBenchmark(b.id, signal).catch((e: unknown) => {
          if (signal.aborted) throw e;
          return null;
        });
        if (record === null) continue;
        for (const e of record.engines) {
          if (asked.has(e.engine)) continue;
          if (!e.available) out.set(e.engine, e.unavailable_reason ?? t('state.none'));
        }
        for (const e of fresh) asked.add(e.engine);
        if (asked.size === 5) break;
      }
      return out;
    },
    enabled,
    staleTime: 60_000,
  });

type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';
export const STATUS_TONE: Readonly<Record<BenchmarkStatus, Tone>> = { queued: 'neutral', running: 'info', completed: 'good', failed: 'bad' };
const STATUS_WORD: Readonly<Record<BenchmarkStatus, MessageKey>> = {
  queued: 'benchmarks.status.queued',
  running: 'benchmarks.status.running',
  completed: 'benchmarks.status.completed',
  failed: 'benchmarks.status.failed',
};
export const statusWord = (s: BenchmarkStatus): string => t(STATUS_WORD[s]);

const ENGINE_WORD: Readonly<Record<BenchmarkEngine, MessageKey>> = {
  'ort-cpu': 'benchmarks.engine.ort-cpu',
  'ort-cpu-int8': 'benchmarks.engine.ort-cpu-int8',
  'ort-wasm': 'benchmarks.engine.ort-wasm',
  cuda: 'benchmarks.engine.cuda',
  'tensorrt-fp16': 'benchmarks.engine.tensorrt-fp16',
};
export const engineWord = (e: BenchmarkEngine): string => t(ENGINE_WORD[e]);

export const ms = (v: number): string => (v < 10 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(1));
export const perSecond = (v: number): string => Math.round(v).toLocaleString();

/** The record with one engine's results put in (an `engine` event arrives as each one finishes). */
export function withEngine(record: BenchmarkRecord, engine: BenchmarkEngineResult): BenchmarkRecord {
  const known = record.engines.some((e) => e.key === engine.key);
  return { ...record, engines: known ? record.engines.map((e) => (e.key === engine.key ? engine : e)) : [...record.engines, engine] };
}

const METRIC_WORD: Readonly<Record<BenchmarkMetric, MessageKey>> = {
  p50_ms: 'benchmarks.metric.p50_ms',
  p95_ms: 'benchmarks.metric.p95_ms',
  p99_ms: 'benchmarks.metric.p99_ms',
  mean_ms: 'benchmarks.metric.mean_ms',
  max_ms: 'benchmarks.metric.max_ms',
  throughput: 'benchmarks.metric.throughput',
  accuracy: 'benchmarks.metric.accuracy',
  rss_mb: 'benchmarks.metric.rss_mb',
  cpu_pct: 'benchmarks.metric.cpu_pct',
};
/** A constraint metric in words, with its unit ("p99 latency (ms)"), never its key. */
export const metricWord = (m: BenchmarkMetric): string => t(METRIC_WORD[m]);
