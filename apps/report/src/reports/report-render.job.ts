import { UnrecoverableError } from 'bullmq';
import type { JobContext } from '@inkwell/queue';
import type { ReportRenderPayload, ReportRenderResult } from '@inkwell/contracts';
import { BenchmarkInputs, benchmarkTime, previousBenchmarkId } from '../benchmark/benchmark-inputs';
import { benchmarkDocuments } from '../benchmark/benchmark-report';
import { ComparisonInputs, ComparedVersion, comparisonTime } from '../comparison/comparison-inputs';
import { comparisonDocuments } from '../comparison/comparison-report';
import type { ReportDocument } from '../render/report-document';
import { renderAll } from '../render/render-report';
import type { ReportFonts } from '../render/report-pdf';
import type { ReportsStore, StoredReport } from './reports.store';
import type { TrainerClient } from './trainer-client';

export interface ReportRenderDeps {
  readonly store: ReportsStore;
  readonly trainer: TrainerClient;
  readonly fonts: () => Promise<ReportFonts>;
  readonly now: () => Date;
}

type Inputs = ComparisonInputs | BenchmarkInputs;

/**
 * A benchmark and the previous completed benchmark of the same model (the list route, filtered by
 * the model's version set), both from the trainer. Only a completed benchmark has a report: a
 * queued or running one would show half a table, a failed one no selection.
 */
async function fetchBenchmark(deps: ReportRenderDeps, id: string, requestId: string): Promise<BenchmarkInputs> {
  const benchmark = await deps.trainer.benchmark(id, requestId);
  if (benchmark.status !== 'completed') throw new UnrecoverableError(`benchmark ${id} is ${benchmark.status}: only a completed benchmark has a report`);
  const previous = previousBenchmarkId(benchmark, await deps.trainer.benchmarks(requestId));
  const baseline = previous === null ? null : await deps.trainer.benchmark(previous, requestId);
  return BenchmarkInputs.parse({ kind: 'benchmark', benchmark, baseline });
}

/** The inputs of a report, fetched from the trainer, and the subject's time. */
async function fetchInputs(deps: ReportRenderDeps, report: StoredReport, requestId: string): Promise<{ inputs: Inputs; createdAt: string }> {
  if (report.kind === 'benchmark') {
    const [id] = report.subject_ids;
    if (!id) throw new UnrecoverableError('a benchmark report names one benchmark');
    const inputs = await fetchBenchmark(deps, id, requestId);
    return { inputs, createdAt: benchmarkTime(inputs) };
  }
  const [a, b] = report.subject_ids;
  if (!a || !b) throw new UnrecoverableError('a comparison report names two versions');
  const [comparison, va, vb] = await Promise.all([deps.trainer.compare(a, b, requestId), deps.trainer.version(a, requestId), deps.trainer.version(b, requestId)]);
  const inputs = ComparisonInputs.parse({ kind: 'comparison', comparison, a: ComparedVersion.parse(va), b: ComparedVersion.parse(vb) });
  return { inputs, createdAt: comparisonTime(inputs) };
}

const documentsOf = (inputs: Inputs): { technical: ReportDocument; simple: ReportDocument } => (inputs.kind === 'benchmark' ? benchmarkDocuments(inputs) : comparisonDocuments(inputs));

/**
 * `report.render`: fetch the inputs, render both views in every format, store them with the
 * inputs. A report already ready is left as it is (a job delivered twice). On its last attempt a
 * failure marks the report failed with the reason; asking for it again re-queues it.
 */
export async function reportRenderJob(deps: ReportRenderDeps, payload: ReportRenderPayload, ctx: JobContext<'report', 'report.render'>): Promise<ReportRenderResult> {
  const report = await deps.store.get(payload.report_id);
  if (!report) throw new UnrecoverableError(`report ${payload.report_id} does not exist`);
  if (report.status === 'ready') return { report_id: report.id, status: 'ready', files: Object.keys(report.files).length };
  try {
    const { inputs, createdAt } = await fetchInputs(deps, report, ctx.requestId);
    const files = await renderAll(documentsOf(inputs), await deps.fonts());
    await deps.store.complete(report.id, createdAt, inputs, files, deps.now());
    return { report_id: report.id, status: 'ready', files: files.length };
  } catch (err) {
    const attempts = ctx.job.opts.attempts ?? 1;
    const last = err instanceof UnrecoverableError || ctx.job.attemptsMade + 1 >= attempts;
    if (last) await deps.store.fail(report.id, err instanceof Error ? err.message : String(err), deps.now());
    throw err;
  }
}
