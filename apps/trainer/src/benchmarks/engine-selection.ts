import {
  constraintText,
  type BenchmarkCell,
  type BenchmarkConstraint,
  type BenchmarkEngineResult,
  type BenchmarkRankBy,
  type BenchmarkSelection,
  type ConstraintEvaluation,
} from '@inkwell/contracts';

/** Numbers in reasons: six significant digits, so the text is stable and readable. */
export const num = (n: number): string => String(Number(n.toPrecision(6)));

interface Candidate {
  readonly engine: BenchmarkEngineResult;
  readonly cell: BenchmarkCell;
  /** Position in the request (engine index, then batch index): the last tie-break. */
  readonly order: number;
}

const rankValue = (c: Candidate, by: BenchmarkRankBy): number => (by === 'throughput' ? c.cell.throughput : c.cell.latency.p99_ms);
const describeRank = (c: Candidate, by: BenchmarkRankBy): string =>
  by === 'throughput' ? `throughput ${num(c.cell.throughput)} img/s` : `p99 ${num(c.cell.latency.p99_ms)} ms`;
const label = (c: Candidate): string => `${c.engine.key} at batch ${String(c.cell.batch_size)}`;

/** Higher throughput first (or lower p99), then lower peak RSS, then the request's order: a total order, so the choice is reproducible. */
function compare(a: Candidate, b: Candidate, by: BenchmarkRankBy): number {
  const primary = by === 'throughput' ? rankValue(b, by) - rankValue(a, by) : rankValue(a, by) - rankValue(b, by);
  if (primary !== 0) return primary;
  if (a.cell.peak_rss_mb !== b.cell.peak_rss_mb) return a.cell.peak_rss_mb - b.cell.peak_rss_mb;
  return a.order - b.order;
}

/** What kept an engine's cells out, batch by batch: `batch 1: p99_ms = 7.2 (needs < 5)`. */
function failures(engine: BenchmarkEngineResult, evals: readonly ConstraintEvaluation[]): string {
  return evals
    .filter((e) => e.engine_key === engine.key && !e.passed)
    .map((e) => `batch ${String(e.batch_size)}: ${e.checks.filter((c) => !c.passed).map((c) => `${c.constraint.metric} = ${c.actual === null ? 'not measured' : num(c.actual)} (needs ${c.constraint.op} ${num(c.constraint.value)})`).join(', ')}`)
    .join('; ');
}

/**
 * Engine selection (FR5.4): the engine x batch size cells that meet every constraint, ranked by
 * throughput (or p99 latency), then by peak RSS. Each step is written down, and every engine not
 * chosen says why (unavailable, failed, no cell met the constraints, or ranked lower).
 */
export function selectEngine(engines: readonly BenchmarkEngineResult[], evals: readonly ConstraintEvaluation[], constraints: readonly BenchmarkConstraint[], rankBy: BenchmarkRankBy): BenchmarkSelection {
  const steps: string[] = [];
  const measured = engines.filter((e) => e.available && e.error === null && e.cells.length > 0);
  const left = engines.filter((e) => !measured.includes(e));
  steps.push(`${String(engines.length)} engine configuration(s) requested; ${String(measured.length)} measured${left.length > 0 ? `; left out: ${left.map((e) => `${e.key} (${e.unavailable_reason ?? e.error ?? 'no measurements'})`).join(', ')}` : ''}.`);

  const passed = new Set(evals.filter((e) => e.passed).map((e) => `${e.engine_key}|${String(e.batch_size)}`));
  const all: Candidate[] = [];
  measured.forEach((engine, i) => engine.cells.forEach((cell, j) => all.push({ engine, cell, order: i * 1000 + j })));
  const candidates = all.filter((c) => passed.has(`${c.engine.key}|${String(c.cell.batch_size)}`));
  steps.push(
    constraints.length === 0
      ? `No constraints: all ${String(all.length)} measured engine x batch size cells are candidates.`
      : `Constraints ${constraints.map(constraintText).join(', ')}: ${String(candidates.length)} of ${String(all.length)} engine x batch size cells meet all of them${candidates.length > 0 ? ` (${candidates.map(label).join(', ')})` : ''}.`,
  );

  const ranked = [...candidates].sort((a, b) => compare(a, b, rankBy));
  const best = ranked[0];
  const notSelected: { engine_key: string; reason: string }[] = [];
  for (const e of left) notSelected.push({ engine_key: e.key, reason: e.available ? `failed while measuring: ${e.error ?? 'no measurements'}` : `unavailable: ${e.unavailable_reason ?? 'unknown reason'}` });

  if (!best) {
    steps.push('Nothing is selected: no engine meets every constraint at any batch size.');
    for (const e of measured) notSelected.push({ engine_key: e.key, reason: `meets the constraints at no batch size (${failures(e, evals)})` });
    return { rank_by: rankBy, selected: null, summary: measured.length === 0 ? 'No engine could be measured: nothing selected.' : 'No engine meets every constraint: nothing selected.', steps, not_selected: notSelected };
  }

  steps.push(`Ranked by ${rankBy === 'throughput' ? 'throughput (highest first)' : 'p99 latency (lowest first)'}, then by peak RSS (lowest first): ${ranked.slice(0, 5).map((c, i) => `${String(i + 1)}. ${label(c)} (${describeRank(c, rankBy)}, peak RSS ${num(c.cell.peak_rss_mb)} MB)`).join('; ')}${ranked.length > 5 ? `; ${String(ranked.length - 5)} more` : ''}.`);
  steps.push(`Selected ${label(best)}.`);
  for (const e of measured) {
    if (e === best.engine) continue;
    const own = ranked.findIndex((c) => c.engine === e);
    const mine = ranked[own];
    if (!mine) {
      notSelected.push({ engine_key: e.key, reason: `meets the constraints at no batch size (${failures(e, evals)})` });
      continue;
    }
    const tie = rankValue(mine, rankBy) === rankValue(best, rankBy);
    notSelected.push({
      engine_key: e.key,
      reason: tie
        ? `its best cell (batch ${String(mine.cell.batch_size)}) ties on ${rankBy} but ranks #${String(own + 1)} on peak RSS or request order (${num(mine.cell.peak_rss_mb)} MB against ${num(best.cell.peak_rss_mb)} MB)`
        : `its best cell (batch ${String(mine.cell.batch_size)}, ${describeRank(mine, rankBy)}) ranks #${String(own + 1)} behind ${label(best)} (${describeRank(best, rankBy)})`,
    });
  }
  const why = constraints.length === 0 ? `the best ${rankBy === 'throughput' ? 'throughput' : 'p99 latency'} (${describeRank(best, rankBy)})` : `it meets every constraint and has the best ${rankBy === 'throughput' ? 'throughput' : 'p99 latency'} among those that do (${describeRank(best, rankBy)})`;
  return {
    rank_by: rankBy,
    selected: { engine_key: best.engine.key, engine: best.engine.engine, threads: best.engine.threads, variant: best.engine.variant, batch_size: best.cell.batch_size },
    summary: `${label(best)}: ${why}.`,
    steps,
    not_selected: notSelected,
  };
}
