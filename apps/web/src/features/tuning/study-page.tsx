import { useDeferredValue, useId } from 'react';
import { Link, useParams } from 'wouter';
import { type TrialStatus, type TuningSummary, type TuningTrialColumns } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { t, type MessageKey } from '../../i18n/i18n';
import { Card, PageHeader } from '../../ui/card';
import { Badge, ErrorPanel, Loading } from '../../ui/feedback';
import { formatPct, formatWhen, shortId } from '../training/training-queries';
import { ParallelCoords } from './parallel-coords';
import { StudyActions } from './study-actions';
import { useLiveRefresh } from './study-live';
import { BestSoFarChart, GenerationsChart, ImportanceBars } from './study-charts';
import { TrialTable } from './trial-table';
import { FIRST_TRIALS_VIEW, formatParam, isStudyFinished, methodWord, STUDY_STATUS_TONE, statusWord, useSummary, useTrialPage } from './tuning-queries';

const back = (
  <Link href="/tuning" className="mb-4 inline-block text-blue-800 underline underline-offset-2">
    {t('tuning.study.back')}
  </Link>
);

export function StudyPage() {
  const { id = '' } = useParams<{ id: string }>();
  // The first page of trials is asked for first and drawn on its own: a study of thousands of trials
  // has a heavy summary, and the table need not wait for it.
  const first = useTrialPage(id, FIRST_TRIALS_VIEW);
  const summary = useSummary(id);
  if (summary.isError && !summary.data) {
    return (
      <>
        {back}
        <h1 className="mb-2 text-2xl font-semibold text-slate-900">{t('tuning.study.title', { id: shortId(id) })}</h1>
        <ErrorPanel message={errorMessage(summary.error)} onRetry={() => void summary.refetch()} />
      </>
    );
  }
  const s = summary.data;
  // Columns: the searched parameters, by name; before the summary comes, those the first page's trials have.
  const params = (s ? Object.keys(s.study.space) : [...new Set(first.data?.items.flatMap((tr) => Object.keys(tr.params)) ?? [])]).sort();
  return (
    <>
      {back}
      {/* A failed refetch keeps the page it had: the failure shows above it. */}
      {summary.isError ? <ErrorPanel message={errorMessage(summary.error)} onRetry={() => void summary.refetch()} /> : null}
      {s ? (
        <StudyTop summary={s} />
      ) : (
        <>
          <PageHeader title={t('tuning.study.title', { id: shortId(id) })} />
          <Loading label={t('tuning.study.loading')} />
        </>
      )}
      <div className="mt-6 space-y-6">
        <TrialsCard studyId={id} params={params} bestIndex={s?.study.best?.trial ?? null} />
        {s ? <DetailsCard study={s.study} /> : null}
      </div>
    </>
  );
}

function TrialsCard({ studyId, params, bestIndex }: { readonly studyId: string; readonly params: readonly string[]; readonly bestIndex: number | null }) {
  const id = useId();
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('tuning.trials.title')}
      </h2>
      <TrialTable studyId={studyId} params={params} bestIndex={bestIndex} />
    </Card>
  );
}

function DetailsCard({ study }: { readonly study: TuningSummary['study'] }) {
  const id = useId();
  const facts: [MessageKey, string][] = [
    ['tuning.study.family', study.family],
    ['tuning.study.dataset', study.dataset_id],
    ['tuning.study.method', methodWord(study.method.kind)],
    ['tuning.study.budget', study.budget.max_seconds ? t('tuning.study.budgetTime', { n: study.budget.trials, minutes: Math.round(study.budget.max_seconds / 60) }) : t('tuning.study.budgetTrials', { n: study.budget.trials })],
    ['tuning.study.seed', String(study.seed)],
    ['tuning.study.maxSamples', study.max_train_samples === null ? t('state.none') : study.max_train_samples.toLocaleString()],
    ['tuning.study.space', JSON.stringify(study.space)],
    ['tuning.study.base', Object.keys(study.base_hyperparameters).length === 0 ? t('state.none') : JSON.stringify(study.base_hyperparameters)],
    ['tuning.study.created', formatWhen(study.created_at)],
    ['tuning.study.finished', formatWhen(study.finished_at)],
  ];
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('tuning.study.details')}
      </h2>
      <dl className="grid gap-3 sm:grid-cols-2">
        {facts.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-sm text-slate-700">{t(label)}</dt>
            <dd className="font-mono text-sm break-all text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

const STREAM_WORD: Readonly<Record<'connecting' | 'open' | 'error', MessageKey>> = { connecting: 'tuning.study.stream.connecting', open: 'tuning.study.stream.open', error: 'tuning.study.stream.error' };
const COUNT_ORDER: readonly TrialStatus[] = ['completed', 'running', 'queued', 'pruned', 'failed', 'cancelled'];

/** Everything above the trial table: status and actions, live, and the plots. */
function StudyTop({ summary }: { readonly summary: TuningSummary }) {
  const { study, counts, columns, generations } = summary;
  const [curveId, parallelId, genId, importanceId] = [useId(), useId(), useId(), useId()];
  const finished = isStudyFinished(study.status);
  const stream = useLiveRefresh(study.id, finished);
  // Thousands of trials make the plots the slowest part to draw: the table and controls come first, the plots a moment later.
  const plotted = useDeferredValue<TuningTrialColumns | null>(columns, null);
  // From the counts, which the stream keeps current between summaries (the columns only come with a summary).
  const total = COUNT_ORDER.reduce((n, st) => n + counts[st], 0);
  const countWords = COUNT_ORDER.filter((s) => counts[s] > 0).map((s) => t('tuning.study.countOf', { n: counts[s].toLocaleString(), status: statusWord(s).toLowerCase() }));
  const best = study.best;
  const importance = study.result?.importance ?? null;

  return (
    <>
      <PageHeader
        title={t('tuning.study.title', { id: shortId(study.id) })}
        actions={<StudyActions study={{ id: study.id, status: study.status, hasBest: best !== null, kept: study.kept_version_id !== null, discarded: study.discarded }} />}
      />
      <div className="space-y-6">
        <Card>
          <div role="status" aria-live="polite" className="space-y-2 text-slate-900">
            <p className="flex flex-wrap items-center gap-2">
              <span className="sr-only">{t('tuning.study.status', { status: statusWord(study.status) })}</span>
              <span aria-hidden="true" data-study-status={study.status}>
                <Badge tone={STUDY_STATUS_TONE[study.status]}>{statusWord(study.status)}</Badge>
              </span>
              {finished ? null : <span className="text-sm text-slate-700">{t('tuning.study.live', { state: t(STREAM_WORD[stream]) })}</span>}
            </p>
            <p data-testid="trial-counts">{total === 0 ? t('tuning.study.noTrials') : t('tuning.study.counts', { total: total.toLocaleString(), parts: countWords.join(', ') })}</p>
            {best ? (
              <p className="font-medium" data-testid="best-trial">
                {t('tuning.study.best', { trial: best.trial, value: formatPct(best.value), test: formatPct(best.test_metrics.accuracy), params: Object.entries(best.params).map(([k, v]) => `${k} = ${formatParam(v)}`).join(', ') })}
              </p>
            ) : null}
            {study.status === 'failed' ? <p className="text-red-800">{t('tuning.study.failed', { error: study.error ?? t('state.none') })}</p> : null}
            {study.kept_version_id ? (
              <p>
                <Link href={`/models/${study.kept_version_id}`} className="font-medium text-blue-800 underline underline-offset-2">
                  {t('tuning.study.keptLink', { id: shortId(study.kept_version_id) })}
                </Link>
              </p>
            ) : null}
            {study.discarded ? <p>{t('tuning.study.discardedNote')}</p> : null}
            {study.result?.comparison_note ? <p className="text-sm text-slate-700">{study.result.comparison_note}</p> : null}
          </div>
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card aria-labelledby={curveId}>
            <h2 id={curveId} className="mb-4 text-xl font-semibold text-slate-900">
              {t('tuning.bestCurve.heading')}
            </h2>
            {plotted ? <BestSoFarChart columns={plotted} /> : <Loading label={t('tuning.study.drawing')} />}
          </Card>
          <Card aria-labelledby={importanceId}>
            <h2 id={importanceId} className="mb-4 text-xl font-semibold text-slate-900">
              {t('tuning.importance.title')}
            </h2>
            {importance ? <ImportanceBars importance={importance} /> : <p className="text-slate-700">{!finished ? t('tuning.importance.later') : counts.completed < 3 ? t('tuning.importance.none') : t('tuning.importance.missing')}</p>}
          </Card>
          {generations ? (
            <Card aria-labelledby={genId}>
              <h2 id={genId} className="mb-4 text-xl font-semibold text-slate-900">
                {t('tuning.generations.heading')}
              </h2>
              <GenerationsChart generations={generations} />
            </Card>
          ) : null}
        </div>
        <Card aria-labelledby={parallelId}>
          <h2 id={parallelId} className="mb-4 text-xl font-semibold text-slate-900">
            {t('tuning.parallel.title')}
          </h2>
          {plotted ? <ParallelCoords space={study.space} columns={plotted} /> : <Loading label={t('tuning.study.drawing')} />}
        </Card>
      </div>
    </>
  );
}
