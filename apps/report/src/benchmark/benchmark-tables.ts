import { constraintText, type BenchmarkCell, type BenchmarkEngineResult, type BenchmarkRecord } from '@inkwell/contracts';
import { formatCount, formatNumber, formatPercent, formatSigned } from '../render/format';
import type { ReportChart, ReportTable } from '../render/report-document';

/* The technical view's tables and the latency chart, from a BenchmarkRecord only. */

export const ms = (v: number | null | undefined): string => formatNumber(v, 3);
export const ips = (v: number | null | undefined): string => formatNumber(v, 1);
export const mb = (v: number | null | undefined): string => formatNumber(v, 1);

/** The row label of one engine at one batch size (also the CSV's `row`): unique within a record. */
export const cellLabel = (key: string, batch: number): string => `${key} · batch ${String(batch)}`;

interface MeasuredCell {
  readonly engine: BenchmarkEngineResult;
  readonly cell: BenchmarkCell;
}

/** Every measured cell, engines in the record's order, batches in their own. */
export const measuredCells = (b: BenchmarkRecord): MeasuredCell[] => b.engines.flatMap((engine) => engine.cells.map((cell) => ({ engine, cell })));

export function engineTable(b: BenchmarkRecord): ReportTable {
  const note = (e: BenchmarkEngineResult): string => {
    if (!e.available) return `unavailable: ${e.unavailable_reason ?? 'no reason given'}`;
    if (e.error !== null) return `failed while measuring: ${e.error}`;
    if (e.quantization) return `${e.quantization.method}; int8 operators: ${e.quantization.quantized_ops.join(', ') || 'none'}; ${formatCount(e.quantization.size_bytes_before)} → ${formatCount(e.quantization.size_bytes_after)} bytes`;
    return 'measured';
  };
  return {
    id: 'engines',
    title: 'Engines: variant, setup (session creation, quantization, engine build) and test accuracy per variant',
    columns: ['Engine', 'Threads', 'Variant', 'Available', 'Setup ms', 'Accuracy', 'Test images', 'Note'],
    rows: b.engines.map((e) => [
      e.key,
      e.threads === null ? '-' : String(e.threads),
      e.variant,
      e.available ? 'yes' : 'no',
      ms(e.setup_ms),
      formatPercent(e.accuracy?.accuracy),
      e.accuracy ? formatCount(e.accuracy.count) : 'n/a',
      note(e),
    ]),
  };
}

export function latencyTable(b: BenchmarkRecord): ReportTable {
  return {
    id: 'latency',
    title: 'Latency per batch (ms; nearest-rank percentiles of the measured runs)',
    columns: ['Engine · batch', 'Runs', 'Mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'Max ms'],
    rows: measuredCells(b).map(({ engine, cell }) => [
      cellLabel(engine.key, cell.batch_size),
      formatCount(cell.iterations),
      ms(cell.latency.mean_ms),
      ms(cell.latency.p50_ms),
      ms(cell.latency.p95_ms),
      ms(cell.latency.p99_ms),
      ms(cell.latency.max_ms),
    ]),
  };
}

export function resourceTable(b: BenchmarkRecord): ReportTable {
  return {
    id: 'throughput_resources',
    title: 'Throughput, CPU, memory and GPU per batch; warmup timed apart',
    columns: ['Engine · batch', 'Images/s', 'CPU %', 'Peak RSS MB', 'GPU util %', 'GPU mem MB', 'Warmup runs', 'Warmup ms', 'Stable'],
    rows: measuredCells(b).map(({ engine, cell }) => [
      cellLabel(engine.key, cell.batch_size),
      ips(cell.throughput),
      formatNumber(cell.cpu_pct, 1),
      mb(cell.peak_rss_mb),
      formatNumber(cell.gpu?.util_pct, 1),
      mb(cell.gpu?.mem_mb),
      formatCount(cell.warmup.iterations),
      ms(cell.warmup.total_ms),
      // Duration-bound cells only: three windows in a row within 10 % of each other.
      cell.stable === undefined ? 'n/a' : cell.stable ? 'yes' : 'no',
    ]),
  };
}

const forksWithRuns = (c: BenchmarkCell): number => (c.fork_runs ?? []).filter((n) => n > 0).length;

/** Differences (this − baseline) for every engine x batch size both measured. */
export function deltaTable(b: BenchmarkRecord, base: BenchmarkRecord): ReportTable {
  const before = new Map(measuredCells(base).map(({ engine, cell }) => [cellLabel(engine.key, cell.batch_size), cell]));
  const rows: string[][] = [];
  for (const { engine, cell } of measuredCells(b)) {
    const label = cellLabel(engine.key, cell.batch_size);
    const old = before.get(label);
    if (!old) continue;
    // Throughputs under different rules (every fork's runs together before 7 Dec, then the fastest
    // fork, then a fork by its rank, which depends on the number of forks: see BenchmarkCell) are
    // compared through every fork's runs together; so are the same rank of different fork counts
    // (the second fastest of 3 is the median, of 10 the 90th percentile).
    const sameRule = old.throughput_fork_rank === cell.throughput_fork_rank && (old.fork_runs === undefined) === (cell.fork_runs === undefined) && forksWithRuns(old) === forksWithRuns(cell);
    const then = sameRule ? old.throughput : (old.throughput_pooled ?? old.throughput);
    const now = sameRule ? cell.throughput : (cell.throughput_pooled ?? cell.throughput);
    const pct = then > 0 ? ((now - then) / then) * 100 : null;
    rows.push([
      label,
      formatSigned(cell.latency.p50_ms - old.latency.p50_ms, 3),
      formatSigned(cell.latency.p99_ms - old.latency.p99_ms, 3),
      formatSigned(now - then, 1),
      pct === null ? 'n/a' : `${formatSigned(pct, 1)} %`,
      formatSigned(cell.peak_rss_mb - old.peak_rss_mb, 1),
    ]);
  }
  return {
    id: 'deltas',
    title: 'Deltas against the baseline (this − baseline), per engine x batch size measured by both',
    columns: ['Engine · batch', 'Δ p50 ms', 'Δ p99 ms', 'Δ images/s', 'Δ images/s %', 'Δ peak RSS MB'],
    rows,
  };
}

/** A constraint's actual value, in the metric's own unit. */
function actualText(metric: string, v: number | null): string {
  if (v === null) return 'not measured';
  if (metric === 'accuracy') return formatNumber(v, 4);
  if (metric === 'throughput' || metric === 'rss_mb' || metric === 'cpu_pct') return formatNumber(v, 1);
  return ms(v);
}

export function constraintTable(b: BenchmarkRecord): ReportTable {
  const constraints = b.request.constraints;
  return {
    id: 'constraints',
    title: constraints.length === 0 ? 'Constraint evaluation: no constraints were set, so every measured cell passes' : 'Constraint evaluation per engine x batch size (actual value, pass or fail)',
    columns: ['Engine · batch', ...constraints.map(constraintText), 'All met'],
    rows: b.constraints.map((e) => [
      cellLabel(e.engine_key, e.batch_size),
      ...constraints.map((_, k) => {
        const check = e.checks[k];
        return check ? `${actualText(check.constraint.metric, check.actual)} ${check.passed ? 'pass' : 'fail'}` : 'n/a';
      }),
      e.passed ? 'yes' : 'no',
    ]),
  };
}

export function notSelectedTable(b: BenchmarkRecord): ReportTable {
  return {
    id: 'not_selected',
    title: 'Why each other engine was not selected',
    columns: ['Engine', 'Reason'],
    rows: (b.selection?.not_selected ?? []).map((n) => [n.engine_key, n.reason]),
  };
}

/** p50 latency by batch size, one line per measured engine (the request's batch sizes on x). */
export function latencyChart(b: BenchmarkRecord): ReportChart {
  return {
    id: 'latency_by_batch',
    title: 'Latency by batch size (p50, ms per batch)',
    kind: 'line',
    x_label: 'batch size',
    y_label: 'ms',
    categories: b.request.batch_sizes.map(String),
    series: b.engines
      .filter((e) => e.cells.length > 0)
      .map((e) => ({ name: e.key, values: b.request.batch_sizes.map((n) => e.cells.find((c) => c.batch_size === n)?.latency.p50_ms ?? null) })),
  };
}
