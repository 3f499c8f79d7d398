import { constraintText, type BenchmarkCell, type BenchmarkEngineResult, type BenchmarkRecord } from '@inkwell/contracts';
import { formatCount, formatNumber, formatPercent, formatPoints, formatTimestamp } from '../render/format';
import { section, type ReportDocument } from '../render/report-document';
import { benchmarkTime, type BenchmarkInputs } from './benchmark-inputs';
import { cellLabel, constraintTable, deltaTable, engineTable, ips, latencyChart, latencyTable, measuredCells, ms, notSelectedTable, resourceTable } from './benchmark-tables';

/** Below this many measured runs a p99 is (nearly) the maximum: the report says so. */
const FEW_RUNS = 100;
/** How far the int8 variant may read below float32 before the report warns (issue 23: 0.3 points). */
const INT8_TOLERANCE = 0.003;

const time = (iso: string | null): string => (iso === null ? 'n/a' : formatTimestamp(iso));
const RANK_WORDS = ['fastest', 'second fastest', 'third fastest'];
/** Which throughput the record's cells report: the rule changed on 7 Dec (see BenchmarkCell.throughput_fork_rank); the ranks are the record's own. */
function throughputRule(b: BenchmarkRecord): string {
  const cells = measuredCells(b).map(({ cell }) => cell);
  const ranks = [...new Set(cells.flatMap((c) => (c.throughput_fork_rank === undefined ? [] : [c.throughput_fork_rank])))].sort((x, y) => x - y);
  if (ranks.length > 0) return `the ${ranks.map((r) => RANK_WORDS[r - 1] ?? `${formatCount(r)}th fastest`).join(' or ')} of the forks that made runs, per cell`;
  if (cells.some((c) => c.fork_runs !== undefined)) return "the fastest fork's (recorded before the second fastest was used)";
  return "of every fork's runs together (recorded before 7 Dec)";
}
const modelText = (b: BenchmarkRecord): string => b.model_names.map((n, k) => `${n} (${b.model_version_ids[k] ?? '?'})`).join(' + ');

function meta(i: BenchmarkInputs): [string, string][] {
  const b = i.benchmark;
  const r = b.request;
  const m = b.machine;
  return [
    ['Benchmark', b.id],
    ['Model', `${modelText(b)}${r.model_version_id === 'active' ? ', the active set' : ''}${b.model_version_ids.length > 1 ? ' (an ensemble, probabilities averaged)' : ''}`],
    ['Test set', b.test_set],
    ['Machine', m ? `${m.cpu_model}, ${formatCount(m.cores)} cores, ${formatNumber(m.total_mem_mb, 0)} MB, ${m.platform}, Node ${m.node}, onnxruntime ${m.onnxruntime}` : 'not recorded'],
    ['Machine speed probe', m?.speed_probe === undefined ? 'not recorded' : `${m.speed_probe.map((p) => formatNumber(p, 0)).join(', ')} million elements/s before each fork (a fixed loop: how steady the machine was)`],
    ['Engines', b.engines.map((e) => e.key).join(', ') || r.engines.map((e) => e.engine).join(', ')],
    ['Batch sizes', r.batch_sizes.map(String).join(', ')],
    ['Iterations', `${formatCount(r.warmup_iterations)} warmup, ${r.duration_s === undefined ? `${formatCount(r.iterations)} measured` : `measured for ${formatNumber(r.duration_s, 1)} s, in three windows within 10 % of each other (earlier windows count as warmup)`} per engine and batch size, over ${formatCount(r.forks)} ${r.forks === 1 ? 'fork' : 'forks'} (sessions built anew each time, warmed up each time); latencies are of every fork's runs together, throughput is ${throughputRule(b)}`],
    ['Constraints', r.constraints.length === 0 ? 'none' : r.constraints.map(constraintText).join(', ')],
    ['Ranked by', r.rank_by === 'throughput' ? 'throughput (highest first), then peak RSS' : 'p99 latency (lowest first), then peak RSS'],
    ['Created', time(b.created_at)],
    ['Started', time(b.started_at)],
    ['Finished', time(b.finished_at)],
    ['Baseline', i.baseline ? `${i.baseline.id} (finished ${time(i.baseline.finished_at)})` : 'no baseline'],
  ];
}

function cellOf(b: BenchmarkRecord): { engine: BenchmarkEngineResult; cell: BenchmarkCell } | null {
  const s = b.selection?.selected;
  if (!s) return null;
  const engine = b.engines.find((e) => e.key === s.engine_key);
  const cell = engine?.cells.find((c) => c.batch_size === s.batch_size);
  return engine && cell ? { engine, cell } : null;
}

function recommendations(i: BenchmarkInputs): string[] {
  const b = i.benchmark;
  const out: string[] = [];
  const chosen = cellOf(b);
  if (chosen) {
    out.push(b.applied
      ? `${chosen.engine.key} at batch ${String(chosen.cell.batch_size)} was applied at ${time(b.applied.applied_at)} (activation ${String(b.applied.activation_id)}).`
      : `Apply ${cellLabel(chosen.engine.key, chosen.cell.batch_size)}: POST /api/benchmarks/${b.id}/apply (an admin; the promotion gate checks the variant's test accuracy).`);
  } else {
    out.push('No engine meets every constraint: relax the tightest constraint (the constraint table shows by how much each cell misses) or benchmark on a faster machine.');
  }
  const float = b.engines.find((e) => e.variant === 'float32' && e.accuracy !== null);
  const int8 = b.engines.find((e) => e.variant === 'int8' && e.accuracy !== null);
  if (float?.accuracy && int8?.accuracy) {
    const d = int8.accuracy.accuracy - float.accuracy.accuracy;
    out.push(d < -INT8_TOLERANCE
      ? `The int8 variant reads ${formatPoints(d)} against float32 (more than ${formatNumber(INT8_TOLERANCE * 100, 1)} points): keep an accuracy constraint on any selection that could pick it.`
      : `The int8 variant reads within ${formatNumber(INT8_TOLERANCE * 100, 1)} points of float32 (${formatPoints(d)}).`);
  }
  for (const e of b.engines.filter((x) => !x.available)) out.push(`${e.key} was not measured (${e.unavailable_reason ?? 'unavailable'}): benchmark on a machine that has it to compare.`);
  const fewest = Math.min(...measuredCells(b).map(({ cell }) => cell.iterations));
  if (Number.isFinite(fewest) && fewest < FEW_RUNS) out.push(`Only ${formatCount(fewest)} measured runs per cell: p95 and p99 are close to the maximum; rerun with at least ${formatCount(FEW_RUNS)} iterations before trusting tail latencies.`);
  out.push(i.baseline ? `Compared against benchmark ${i.baseline.id}; keep benchmarking after each model or machine change to watch for regressions.` : 'No baseline: this is the first completed benchmark of this model; later ones will be compared against it.');
  return out;
}

/** A list only when it has items (an empty <ol> says nothing). */
const listOf = (ordered: boolean, items: readonly string[]) => (items.length > 0 ? { list: { ordered, items } } : {});

/** Three numbers for the simple view: the selected cell's, or the best measured when nothing was selected. */
function keyNumbers(b: BenchmarkRecord): string[][] {
  const chosen = cellOf(b);
  if (chosen) {
    return [
      [`p99 latency of ${cellLabel(chosen.engine.key, chosen.cell.batch_size)}`, `${ms(chosen.cell.latency.p99_ms)} ms`],
      ['throughput', `${ips(chosen.cell.throughput)} images/s`],
      [`test accuracy (${chosen.engine.variant})`, formatPercent(chosen.engine.accuracy?.accuracy)],
    ];
  }
  const cells = measuredCells(b);
  const best = <T>(pick: (x: T, y: T) => boolean, xs: readonly T[]): T | undefined => xs.reduce<T | undefined>((a, x) => (a === undefined || pick(x, a) ? x : a), undefined);
  const fastest = best((x, y) => x.cell.throughput > y.cell.throughput, cells);
  const lowest = best((x, y) => x.cell.latency.p99_ms < y.cell.latency.p99_ms, cells);
  const accurate = best((x, y) => (x.accuracy?.accuracy ?? -1) > (y.accuracy?.accuracy ?? -1), b.engines.filter((e) => e.accuracy !== null));
  return [
    [`best throughput measured${fastest ? ` (${cellLabel(fastest.engine.key, fastest.cell.batch_size)})` : ''}`, fastest ? `${ips(fastest.cell.throughput)} images/s` : 'n/a'],
    [`lowest p99 latency measured${lowest ? ` (${cellLabel(lowest.engine.key, lowest.cell.batch_size)})` : ''}`, lowest ? `${ms(lowest.cell.latency.p99_ms)} ms` : 'n/a'],
    [`best test accuracy measured${accurate ? ` (${accurate.key})` : ''}`, formatPercent(accurate?.accuracy?.accuracy)],
  ];
}

function deploymentSteps(b: BenchmarkRecord): string[] {
  const chosen = cellOf(b);
  if (!chosen) return ['Nothing to deploy: inference keeps the engine it runs now.', 'Change the constraints or the model, then benchmark again: POST /api/benchmarks.'];
  if (b.applied) return [`Already applied at ${time(b.applied.applied_at)} (activation ${String(b.applied.activation_id)}): nothing to deploy.`, 'Check GET /api/models/activations to see it in the activation history.'];
  return [
    `Check the benchmark: GET /api/benchmarks/${b.id}.`,
    `An admin applies the selection: POST /api/benchmarks/${b.id}/apply (the promotion gate and the activation history apply, as for a promotion).`,
    `Send work in batches of ${String(chosen.cell.batch_size)} images where you can (batch OCR jobs): the numbers above are for that size.`,
    'Confirm with GET /api/models/activations, and keep POST /api/models/rollback at hand.',
  ];
}

/** Both views of a benchmark. Every value comes from the record (and its baseline's); nothing from the clock. */
export function benchmarkDocuments(i: BenchmarkInputs): { technical: ReportDocument; simple: ReportDocument } {
  const b = i.benchmark;
  const name = b.model_names.join(' + ');
  const base = { kind: 'benchmark' as const, subject_ids: [b.id], created_at: formatTimestamp(benchmarkTime(i)), meta: meta(i) };
  const chart = latencyChart(b);
  const selection = b.selection;
  const technical: ReportDocument = {
    ...base,
    view: 'technical',
    title: `Benchmark: ${name} (technical)`,
    sections: [
      section('metrics', 'Raw metrics per engine and batch size', { tables: [engineTable(b), latencyTable(b), resourceTable(b)], charts: [chart] }),
      i.baseline
        ? section('deltas', 'Deltas against the previous benchmark of this model', { paragraphs: [`Baseline: benchmark ${i.baseline.id}, finished ${time(i.baseline.finished_at)}.`], tables: [deltaTable(b, i.baseline)] })
        : section('deltas', 'Deltas against the previous benchmark of this model', { paragraphs: ['no baseline: no earlier completed benchmark of this model exists.'] }),
      section('constraints', 'Constraint evaluation', { tables: [constraintTable(b)] }),
      section('selection', 'Selection reasoning', {
        paragraphs: [selection ? selection.summary : 'The benchmark recorded no selection.'],
        ...listOf(true, selection?.steps ?? []),
        tables: [notSelectedTable(b)],
      }),
      section('recommendations', 'Recommendations', { list: { ordered: false, items: recommendations(i) } }),
    ],
  };
  const chosen = cellOf(b);
  const simple: ReportDocument = {
    ...base,
    view: 'simple',
    title: `Benchmark: ${name} (summary)`,
    sections: [
      section('selected', 'The selected engine', {
        paragraphs: [chosen ? `${chosen.engine.key} (${chosen.engine.engine}, ${chosen.engine.variant}${chosen.engine.threads === null ? '' : `, ${String(chosen.engine.threads)} thread(s)`}) at batch size ${String(chosen.cell.batch_size)}` : 'none meets the constraints'],
      }),
      section('key_numbers', 'Three key numbers', { tables: [{ id: 'key_numbers', title: 'Key numbers', columns: ['Number', 'Value'], rows: keyNumbers(b) }], charts: [chart] }),
      section('why', 'Why', { paragraphs: [selection?.summary ?? 'The benchmark recorded no selection.'], ...listOf(false, (selection?.not_selected ?? []).map((n) => `${n.engine_key}: ${n.reason}`)) }),
      section('deployment', 'Deployment steps', { list: { ordered: true, items: deploymentSteps(b) } }),
    ],
  };
  return { technical, simple };
}
