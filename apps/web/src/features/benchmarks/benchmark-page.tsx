import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useState } from 'react';
import { Link, useParams } from 'wouter';
import { BenchmarkEvent, roleAtLeast, type BenchmarkRecord } from '@inkwell/contracts';
import { apiHref } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { useEventStream } from '../../api/event-stream';
import { t, type MessageKey } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Card, PageHeader } from '../../ui/card';
import { Badge, ErrorPanel, Loading, ProgressBar } from '../../ui/feedback';
import { formatDateTime, shortId } from '../models/model-format';
import { ReportPanel } from '../reports/report-panel';
import { BENCHMARKS_KEY, benchmarkKey, isFinished, STATUS_TONE, statusWord, useBenchmark, withEngine } from './benchmark-queries';
import { BenchmarkResults } from './benchmark-results';
import { BenchmarkSelectionCard } from './benchmark-selection';

const back = (
  <Link href="/benchmarks" className="mb-4 inline-block text-blue-800 underline underline-offset-2">
    {t('benchmarks.back')}
  </Link>
);

export function BenchmarkPage() {
  const { id = '' } = useParams<{ id: string }>();
  const record = useBenchmark(id);
  return (
    <>
      {back}
      {record.isPending ? (
        <Loading label={t('benchmarks.detail.loading')} />
      ) : record.data === undefined ? (
        <>
          <h1 className="mb-2 text-2xl font-semibold text-slate-900">{t('benchmarks.detail.title', { id: shortId(id) })}</h1>
          <ErrorPanel message={errorMessage(record.error)} onRetry={() => void record.refetch()} />
        </>
      ) : (
        <>
          {/* A failed refetch keeps the page it had: the failure shows above it. */}
          {record.isError ? <ErrorPanel message={errorMessage(record.error)} onRetry={() => void record.refetch()} /> : null}
          <BenchmarkView record={record.data} />
        </>
      )}
    </>
  );
}

const STREAM_WORD: Readonly<Record<'connecting' | 'open' | 'error', MessageKey>> = {
  connecting: 'benchmarks.stream.connecting',
  open: 'benchmarks.stream.open',
  error: 'benchmarks.stream.error',
};

function Progress({ record, stream }: { readonly record: BenchmarkRecord; readonly stream: 'connecting' | 'open' | 'error' }) {
  const p = record.progress;
  const finished = isFinished(record.status);
  return (
    <Card>
      <div className="space-y-3 text-slate-900">
        <p className="flex flex-wrap items-center gap-2">
          <span data-benchmark-status={record.status}>
            <Badge tone={STATUS_TONE[record.status]}>{statusWord(record.status)}</Badge>
          </span>
          {finished ? null : <span className="text-sm text-slate-700">{t('benchmarks.stream.live', { state: t(STREAM_WORD[stream]) })}</span>}
        </p>
        <ProgressBar value={p.cells_total === 0 ? 0 : p.cells_done / p.cells_total} label={t('benchmarks.progress.label')} />
        <p role="status" aria-live="polite" data-testid="benchmark-progress">
          {t('benchmarks.progress.cells', { done: p.cells_done, total: p.cells_total })}
          {p.current_engine ? ` ${t('benchmarks.progress.now', { engine: p.current_engine, batch: p.current_batch_size ?? t('state.none') })}` : ''}
          {record.status === 'completed' ? ` ${t('benchmarks.progress.completed')}` : ''}
        </p>
        {record.status === 'failed' ? <p className="text-red-800 wrap-anywhere">{t('benchmarks.progress.failed', { error: record.error ?? t('state.none') })}</p> : null}
      </div>
    </Card>
  );
}

function Facts({ record }: { readonly record: BenchmarkRecord }) {
  const id = useId();
  const r = record.request;
  const m = record.machine;
  const facts: [MessageKey, string][] = [
    ['benchmarks.facts.model', `${r.model_version_id === 'active' ? t('benchmarks.facts.activeSet') : ''}${record.model_names.join(', ')}`],
    ['benchmarks.facts.testSet', record.test_set],
    ['benchmarks.facts.batches', r.batch_sizes.join(', ')],
    ['benchmarks.facts.runs', r.duration_s === undefined ? t('benchmarks.facts.iterations', { n: r.iterations, warmup: r.warmup_iterations, forks: r.forks }) : t('benchmarks.facts.duration', { s: r.duration_s, warmup: r.warmup_iterations, forks: r.forks })],
    ['benchmarks.facts.constraints', r.constraints.length === 0 ? t('state.none') : r.constraints.map((c) => `${c.metric} ${c.op} ${String(c.value)}`).join(', ')],
    ['benchmarks.facts.rankBy', r.rank_by],
    ['benchmarks.facts.machine', m ? t('benchmarks.facts.machineText', { cpu: m.cpu_model, cores: m.cores, platform: m.platform, ort: m.onnxruntime }) : t('state.none')],
    ['benchmarks.facts.probe', m?.speed_probe ? t('benchmarks.facts.probeText', { values: m.speed_probe.map((p) => p.toFixed(0)).join(', ') }) : t('state.none')],
    ['benchmarks.facts.created', formatDateTime(record.created_at)],
    ['benchmarks.facts.finished', record.finished_at ? formatDateTime(record.finished_at) : t('state.none')],
  ];
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('benchmarks.facts.title')}
      </h2>
      <dl className="grid gap-3 sm:grid-cols-2">
        {facts.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-sm text-slate-700">{t(label)}</dt>
            <dd className="font-medium break-words text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function BenchmarkView({ record }: { readonly record: BenchmarkRecord }) {
  const reportId = useId();
  const queryClient = useQueryClient();
  const { user } = useSession();
  const engineer = user !== null && roleAtLeast(user.role, 'engineer');
  // The stream replays from the start and ends with the final status; a finished benchmark's
  // record already holds everything, so its page opens no stream.
  const [streamDone, setStreamDone] = useState(() => isFinished(record.status));
  const onEvent = useCallback(
    (e: BenchmarkEvent) => {
      const key = benchmarkKey(record.id);
      if (e.type === 'progress') {
        queryClient.setQueryData<BenchmarkRecord>(key, (r) => (r ? { ...r, status: r.status === 'queued' ? 'running' : r.status, progress: e.progress } : r));
        return;
      }
      if (e.type === 'engine') {
        queryClient.setQueryData<BenchmarkRecord>(key, (r) => (r ? withEngine(r, e.engine) : r));
        return;
      }
      if (isFinished(e.status)) setStreamDone(true);
      // The constraint checks and the selection come with the whole record: ask for it.
      void queryClient.invalidateQueries({ queryKey: BENCHMARKS_KEY });
    },
    [queryClient, record.id],
  );
  const stream = useEventStream(streamDone ? null : apiHref('/api/benchmarks/{id}/events', { params: { id: record.id } }), ['progress', 'engine', 'status'], BenchmarkEvent, onEvent);
  return (
    <>
      <PageHeader title={t('benchmarks.detail.title', { id: shortId(record.id) })} description={t('benchmarks.detail.description', { models: record.model_names.join(', ') })} />
      <div className="grid gap-6 [&>*]:min-w-0">
        <Progress record={record} stream={stream} />
        <BenchmarkResults record={record} />
        <BenchmarkSelectionCard record={record} />
        <Card aria-labelledby={reportId}>
          <h2 id={reportId} className="mb-4 text-xl font-semibold text-slate-900">
            {t('benchmarks.report.title')}
          </h2>
          {record.status === 'completed' ? (
            <ReportPanel request={{ kind: 'benchmark', benchmark_id: record.id }} canRequest={engineer} level={3} />
          ) : (
            <p className="text-slate-800">{t('benchmarks.report.notYet')}</p>
          )}
        </Card>
        <Facts record={record} />
      </div>
    </>
  );
}
