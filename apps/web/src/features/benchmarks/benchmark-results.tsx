import { lazy, Suspense, useId, useState } from 'react';
import { constraintText, type BenchmarkCell, type BenchmarkRecord, type ConstraintEvaluation } from '@inkwell/contracts';
import { t, type MessageKey } from '../../i18n/i18n';
import { Card } from '../../ui/card';
import { ErrorBoundary } from '../../ui/error-boundary';
import { Badge, Loading } from '../../ui/feedback';
import { SelectField } from '../../ui/field';
import { Table, Td, Th, Tr } from '../../ui/table';
import { pct } from '../models/model-format';
import { ms, perSecond } from './benchmark-queries';

const SeriesChart = lazy(async () => ({ default: (await import('./series-chart')).SeriesChart }));

function Verdict({ evaluation }: { readonly evaluation: ConstraintEvaluation | undefined }) {
  if (!evaluation || evaluation.checks.length === 0) return <span className="text-slate-700">{t('benchmarks.verdict.none')}</span>;
  if (evaluation.passed) return <Badge tone="good">{t('benchmarks.verdict.pass')}</Badge>;
  const failed = evaluation.checks.filter((c) => !c.passed);
  return (
    <span className="flex flex-col items-start gap-1">
      <Badge tone="bad">{t('benchmarks.verdict.fail')}</Badge>
      <span className="text-sm">
        {failed.map((c) => t('benchmarks.verdict.check', { constraint: constraintText(c.constraint), actual: c.actual === null ? t('state.none') : String(Number(c.actual.toPrecision(4))) })).join('; ')}
      </span>
    </span>
  );
}

const COLUMNS = [
  'benchmarks.col.engine',
  'benchmarks.col.batch',
  'benchmarks.col.mean',
  'benchmarks.col.p50',
  'benchmarks.col.p95',
  'benchmarks.col.p99',
  'benchmarks.col.max',
  'benchmarks.col.throughput',
  'benchmarks.col.cpu',
  'benchmarks.col.rss',
  'benchmarks.col.accuracy',
  'benchmarks.col.warmup',
  'benchmarks.col.verdict',
] as const;

/** One row per engine x batch size; an engine that was not measured says why in one row. */
function ResultsTable({ record }: { readonly record: BenchmarkRecord }) {
  const evaluation = (key: string, cell: BenchmarkCell) => record.constraints.find((c) => c.engine_key === key && c.batch_size === cell.batch_size);
  return (
    <Table caption={t('benchmarks.results.caption')}>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <Th key={c}>{t(c)}</Th>
          ))}
        </tr>
      </thead>
      <tbody className="tabular-nums">
        {record.engines.flatMap((e) => {
          if (!e.available || e.error !== null || e.cells.length === 0) {
            return [
              <Tr key={e.key} data-engine={e.key}>
                <Th scope="row" className="bg-white font-mono font-medium">
                  {e.key}
                </Th>
                <Td colSpan={COLUMNS.length - 1} className="text-slate-800">
                  {!e.available
                    ? t('benchmarks.results.unavailable', { reason: e.unavailable_reason ?? t('state.none') })
                    : e.error !== null
                      ? t('benchmarks.results.error', { error: e.error })
                      : t('benchmarks.results.noCells')}
                </Td>
              </Tr>,
            ];
          }
          return e.cells.map((c) => {
            const ev = evaluation(e.key, c);
            return (
              <Tr key={`${e.key}-${c.batch_size}`} data-engine={e.key} data-batch={c.batch_size} data-verdict={ev === undefined || ev.checks.length === 0 ? 'none' : ev.passed ? 'pass' : 'fail'}>
                <Th scope="row" className="bg-white font-mono font-medium">
                  {e.key}
                </Th>
                <Td>{c.batch_size}</Td>
                <Td>{ms(c.latency.mean_ms)}</Td>
                <Td>{ms(c.latency.p50_ms)}</Td>
                <Td>{ms(c.latency.p95_ms)}</Td>
                <Td>{ms(c.latency.p99_ms)}</Td>
                <Td>{ms(c.latency.max_ms)}</Td>
                <Td>{perSecond(c.throughput)}</Td>
                <Td>{c.cpu_pct.toFixed(0)}</Td>
                <Td>{c.peak_rss_mb.toFixed(0)}</Td>
                <Td>{pct(e.accuracy?.accuracy)}</Td>
                <Td className="whitespace-nowrap">
                  {t('benchmarks.results.warmup', { n: c.warmup.iterations, ms: ms(c.warmup.total_ms) })}
                  {c.stable === false && <span className="block text-amber-900">{t('benchmarks.results.unsteady')}</span>}
                </Td>
                <Td className="min-w-48">
                  <Verdict evaluation={ev} />
                </Td>
              </Tr>
            );
          });
        })}
      </tbody>
    </Table>
  );
}

const LATENCIES = ['p50_ms', 'p95_ms', 'p99_ms', 'mean_ms'] as const;
type Latency = (typeof LATENCIES)[number];
const isLatency = (v: string): v is Latency => (LATENCIES as readonly string[]).includes(v);
const LATENCY_WORD: Readonly<Record<Latency, MessageKey>> = { p50_ms: 'benchmarks.latency.p50_ms', p95_ms: 'benchmarks.latency.p95_ms', p99_ms: 'benchmarks.latency.p99_ms', mean_ms: 'benchmarks.latency.mean_ms' };

function LatencyChart({ record }: { readonly record: BenchmarkRecord }) {
  const [metric, setMetric] = useState<Latency>('p50_ms');
  const measured = record.engines.filter((e) => e.cells.length > 0);
  const batches = [...new Set(measured.flatMap((e) => e.cells.map((c) => c.batch_size)))].sort((a, b) => a - b);
  const lines = measured.map((e) => ({ name: e.key, values: batches.map((b) => e.cells.find((c) => c.batch_size === b)?.latency[metric] ?? null) }));
  const label = t('benchmarks.chart.label', { metric: t(LATENCY_WORD[metric]), engines: measured.map((e) => e.key).join(', ') });
  return (
    <figure className="min-w-0">
      <div className="max-w-xs">
        <SelectField label={t('benchmarks.chart.metric')} value={metric} onChange={(e) => isLatency(e.target.value) && setMetric(e.target.value)} options={LATENCIES.map((m) => ({ value: m, label: t(LATENCY_WORD[m]) }))} />
      </div>
      {measured.length === 0 ? (
        <p className="text-slate-700">{t('benchmarks.chart.empty')}</p>
      ) : (
        <ErrorBoundary what={t('boundary.charts')}>
          <Suspense fallback={<Loading />}>
            <SeriesChart label={label} xLabel={t('benchmarks.chart.x')} yLabel={t('benchmarks.chart.y', { metric: t(LATENCY_WORD[metric]) })} categories={batches.map(String)} lines={lines} format={ms} />
          </Suspense>
        </ErrorBoundary>
      )}
      <figcaption className="mt-2 text-sm text-slate-700">{t('benchmarks.chart.caption')}</figcaption>
    </figure>
  );
}

/** The measured numbers: the table (also the chart's accessible alternative) and latency by batch size. */
export function BenchmarkResults({ record }: { readonly record: BenchmarkRecord }) {
  const tableId = useId();
  const chartId = useId();
  return (
    <>
      <Card aria-labelledby={tableId}>
        <h2 id={tableId} className="mb-2 text-xl font-semibold text-slate-900">
          {t('benchmarks.results.title')}
        </h2>
        <p className="mb-4 text-sm text-slate-700">{t('benchmarks.results.units')}</p>
        {record.engines.length === 0 ? <p className="text-slate-700">{t('benchmarks.results.waiting')}</p> : <ResultsTable record={record} />}
      </Card>
      <Card aria-labelledby={chartId}>
        <h2 id={chartId} className="mb-4 text-xl font-semibold text-slate-900">
          {t('benchmarks.chart.title')}
        </h2>
        <LatencyChart record={record} />
      </Card>
    </>
  );
}
