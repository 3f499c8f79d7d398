import { BENCHMARK_ENGINES, BenchmarkRequest, THREADED_ENGINES, type BenchmarkEngine, type BenchmarkEngineSpec, type BenchmarkRankBy, type BenchmarkRequestInput, type BenchmarkThreads } from '@inkwell/contracts';
import { t, type MessageKey } from '../../i18n/i18n';
import { issueText } from '../../i18n/zod-issue';
import type { ConstraintRow } from './constraints-editor';

/* The start form's fields as typed, and how they become a BenchmarkRequest (checked by its own schema). */

export interface EngineChoice {
  readonly on: boolean;
  /** CPU engines: thread counts, comma-separated ("1, 2, all"). */
  readonly threads: string;
}

export interface BenchmarkFormState {
  readonly model: string;
  readonly engines: Readonly<Record<BenchmarkEngine, EngineChoice>>;
  readonly batchSizes: string;
  readonly warmup: string;
  readonly mode: 'iterations' | 'duration';
  readonly iterations: string;
  readonly duration: string;
  readonly forks: string;
  readonly constraints: readonly ConstraintRow[];
  readonly rankBy: BenchmarkRankBy;
}

export const INITIAL_FORM: BenchmarkFormState = {
  model: 'active',
  engines: {
    'ort-cpu': { on: true, threads: '1' },
    'ort-cpu-int8': { on: true, threads: '1' },
    'ort-wasm': { on: false, threads: '' },
    cuda: { on: false, threads: '' },
    'tensorrt-fp16': { on: false, threads: '' },
  },
  batchSizes: '1, 8, 64',
  warmup: '5',
  mode: 'iterations',
  iterations: '50',
  duration: '2',
  forks: '3',
  constraints: [],
  rankBy: 'throughput',
};

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A typed number, or NaN (which the schema refuses with its own words) for anything else. */
const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

function threadsOf(text: string): BenchmarkThreads[] {
  const values = list(text);
  return values.length === 0 ? [1] : values.map((v) => (v.toLowerCase() === 'all' ? 'all' : num(v)));
}

function specsOf(state: BenchmarkFormState, unavailable: ReadonlySet<BenchmarkEngine>): BenchmarkEngineSpec[] {
  return BENCHMARK_ENGINES.flatMap((engine): BenchmarkEngineSpec[] => {
    const c = state.engines[engine];
    if (!c.on || unavailable.has(engine)) return [];
    if (!THREADED_ENGINES.includes(engine)) return [{ engine }];
    return threadsOf(c.threads).map((threads) => ({ engine, threads }));
  });
}

/** The request the form describes, or the schema's complaints, one line each. */
export function requestOf(state: BenchmarkFormState, unavailable: ReadonlySet<BenchmarkEngine>): { ok: true; body: BenchmarkRequestInput } | { ok: false; issues: string[] } {
  const body: BenchmarkRequestInput = {
    model_version_id: state.model,
    engines: specsOf(state, unavailable),
    batch_sizes: list(state.batchSizes).map(num),
    warmup_iterations: num(state.warmup),
    ...(state.mode === 'iterations' ? { iterations: num(state.iterations) } : { duration_s: num(state.duration) }),
    forks: num(state.forks),
    constraints: state.constraints.map((c) => ({ metric: c.metric, op: c.op, value: num(c.value) })),
    rank_by: state.rankBy,
  };
  const parsed = BenchmarkRequest.safeParse(body);
  if (parsed.success) return { ok: true, body };
  return { ok: false, issues: parsed.error.issues.map((i) => issueText(i, fieldWord(i.path))) };
}

const FIELD_WORD: Readonly<Record<string, MessageKey>> = {
  model_version_id: 'benchmarks.form.model',
  engines: 'benchmarks.form.engines',
  batch_sizes: 'benchmarks.form.batchSizes',
  warmup_iterations: 'benchmarks.form.warmup',
  iterations: 'benchmarks.form.iterations',
  duration_s: 'benchmarks.form.duration',
  forks: 'benchmarks.form.forks',
  rank_by: 'benchmarks.form.rankBy',
};

/** A request field as the form labels it (never the API's key). */
function fieldWord(path: readonly PropertyKey[]): string {
  const [head, n] = path;
  if (head === 'constraints' && typeof n === 'number') return t('benchmarks.field.constraint', { n: n + 1 });
  const key = typeof head === 'string' ? FIELD_WORD[head] : undefined;
  return t(key ?? 'benchmarks.field.request');
}
