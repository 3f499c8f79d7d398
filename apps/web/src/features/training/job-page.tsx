import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useState } from 'react';
import { toast } from 'sonner';
import { Link, useParams } from 'wouter';
import { TrainingJob, TrainJobEvent } from '@inkwell/contracts';
import { api, apiHref } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { useEventStream } from '../../api/event-stream';
import { t, type MessageKey } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Card, PageHeader } from '../../ui/card';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Badge, ErrorPanel, Loading } from '../../ui/feedback';
import { curvesOf, withReport, type Reports } from './job-curves';
import { LineChart } from './line-chart';
import { fetchJob, formatEta, formatPct, formatWhen, isFinished, JOB_STATUS_TONE, jobKey, jobStatusWord, shortId, TRAINING_KEY } from './training-queries';

/** While queued the position and ETA change as other jobs finish; the stream says nothing of them. */
const QUEUED_POLL_MS = 2_000;
/** While running the stream carries everything; this only covers a stream that cannot connect. */
const RUNNING_POLL_MS = 10_000;

const back = (
  <Link href="/training" className="mb-4 inline-block text-blue-800 underline underline-offset-2">
    {t('training.job.back')}
  </Link>
);

export function TrainingJobPage() {
  const { id = '' } = useParams<{ id: string }>();
  const job = useQuery({
    queryKey: jobKey(id),
    queryFn: ({ signal }) => fetchJob(id, signal),
    refetchInterval: (q) => (q.state.data?.status === 'queued' ? QUEUED_POLL_MS : q.state.data?.status === 'running' ? RUNNING_POLL_MS : false),
  });
  if (job.isPending) {
    return (
      <>
        {back}
        <Loading label={t('training.job.loading')} />
      </>
    );
  }
  if (job.isError) {
    return (
      <>
        {back}
        <h1 className="mb-2 text-2xl font-semibold text-slate-900">{t('training.job.title', { id: shortId(id) })}</h1>
        <ErrorPanel message={errorMessage(job.error)} onRetry={() => void job.refetch()} />
      </>
    );
  }
  return (
    <>
      {back}
      <JobView job={job.data} />
    </>
  );
}

const STREAM_WORD: Readonly<Record<'connecting' | 'open' | 'error', MessageKey>> = { connecting: 'training.job.stream.connecting', open: 'training.job.stream.open', error: 'training.job.stream.error' };

function JobView({ job }: { readonly job: TrainingJob }) {
  const curvesId = useId();
  const detailsId = useId();
  const queryClient = useQueryClient();
  const [reports, setReports] = useState<Reports>(() => new Map());
  // The stream replays the job's events from the start (the curves of a finished job too) and
  // ends with the final status; after that there is nothing more to hear.
  const [streamDone, setStreamDone] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const onEvent = useCallback(
    (e: TrainJobEvent) => {
      if (e.type === 'progress') {
        setReports((r) => withReport(r, e));
        return;
      }
      if (isFinished(e.status)) setStreamDone(true);
      // The row says more than the event (timings, the model version's metrics): ask for it.
      void queryClient.invalidateQueries({ queryKey: TRAINING_KEY });
    },
    [queryClient],
  );
  const stream = useEventStream(streamDone ? null : apiHref('/api/jobs/{id}/events', { params: { id: job.id } }), ['progress', 'status'], TrainJobEvent, onEvent);
  const cancel = useMutation({
    mutationFn: () => api('post', '/api/jobs/{id}/cancel', { params: { id: job.id }, schema: TrainingJob }),
    onSuccess: async (updated) => {
      setConfirming(false);
      queryClient.setQueryData(jobKey(job.id), updated);
      toast.success(t('training.job.cancelledToast'));
      await queryClient.invalidateQueries({ queryKey: TRAINING_KEY });
    },
  });

  // Events expire; a finished job whose stream replayed nothing still shows its last report.
  const shown = reports.size === 0 && job.progress ? withReport(reports, job.progress) : reports;
  const { loss, accuracy } = curvesOf(shown);
  const latest = [...shown.values()].at(-1) ?? job.progress;
  const finished = isFinished(job.status);
  const m = job.model_version?.metrics;
  const facts: [MessageKey, string][] = [
    ['training.job.family', job.family],
    ['training.job.dataset', job.dataset_id],
    ['training.job.epochs', String(job.epochs)],
    ['training.job.seed', String(job.seed)],
    ['training.job.maxSamples', job.max_train_samples === null ? t('state.none') : job.max_train_samples.toLocaleString()],
    ['training.job.hyperparameters', Object.keys(job.hyperparameters).length === 0 ? t('state.none') : JSON.stringify(job.hyperparameters)],
    ['training.job.created', formatWhen(job.created_at)],
    ['training.job.started', formatWhen(job.started_at)],
    ['training.job.finished', formatWhen(job.finished_at)],
    ['training.job.modelVersion', job.model_version_id ?? t('state.none')],
  ];

  return (
    <>
      <PageHeader
        title={t('training.job.title', { id: shortId(job.id) })}
        actions={
          finished ? null : (
            <Button variant="danger" onClick={() => setConfirming(true)}>
              {t('training.job.cancel')}
            </Button>
          )
        }
      />
      <div className="space-y-6">
        <Card>
          <div role="status" aria-live="polite" className="space-y-2 text-slate-900">
            <p className="flex flex-wrap items-center gap-2">
              <span className="sr-only">{t('training.job.status', { status: jobStatusWord(job.status) })}</span>
              <span aria-hidden="true" data-job-status={job.status}>
                <Badge tone={JOB_STATUS_TONE[job.status]}>{jobStatusWord(job.status)}</Badge>
              </span>
              {finished ? null : <span className="text-sm text-slate-700">{t('training.job.live', { state: t(STREAM_WORD[stream]) })}</span>}
            </p>
            {job.status === 'queued' && job.queue_position !== null ? (
              <p>
                {t('training.job.queuePosition', { n: job.queue_position })} {job.eta_s === null ? t('training.job.queueNoEta') : t('training.job.queueEta', { eta: formatEta(job.eta_s) })}
              </p>
            ) : null}
            {job.status === 'running' && latest ? (
              <p>{t('training.job.running', { epoch: latest.epoch, epochs: job.epochs, step: latest.step, rate: Math.round(latest.samples_per_s).toLocaleString(), eta: formatEta(latest.eta_s) })}</p>
            ) : null}
            {job.status === 'failed' ? <p className="text-red-800">{t('training.job.failed', { error: job.error ?? t('state.none') })}</p> : null}
            {job.status === 'cancelled' ? <p>{t('training.job.cancelledNote')}</p> : null}
            {m ? <p className="font-medium">{t('training.job.completed', { accuracy: formatPct(m.accuracy), f1: formatPct(m.macro.f1), logLoss: m.log_loss.toFixed(3), count: m.count.toLocaleString() })}</p> : null}
            {job.model_version_id ? (
              <p>
                <Link href={`/models/${job.model_version_id}`} className="font-medium text-blue-800 underline underline-offset-2">
                  {t('training.job.openModel')}
                </Link>
              </p>
            ) : null}
          </div>
        </Card>
        <Card aria-labelledby={curvesId}>
          <h2 id={curvesId} className="mb-4 text-xl font-semibold text-slate-900">
            {t('training.job.curves')}
          </h2>
          {shown.size === 0 ? <p className="mb-4 text-slate-700">{t('training.job.waiting')}</p> : null}
          <div className="grid gap-6 lg:grid-cols-2">
            <LineChart title={t('training.chart.loss')} points={loss} format={(y) => y.toFixed(3)} />
            <LineChart title={t('training.chart.accuracy')} points={accuracy} yDomain={[0, 1]} format={(y) => formatPct(y)} />
          </div>
        </Card>
        <Card aria-labelledby={detailsId}>
          <h2 id={detailsId} className="mb-4 text-xl font-semibold text-slate-900">
            {t('training.job.details')}
          </h2>
          <dl className="grid gap-3 sm:grid-cols-2">
            {facts.map(([label, value]) => (
              <div key={label} className="min-w-0">
                <dt className="text-sm text-slate-700">{t(label)}</dt>
                <dd className="font-medium break-all text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          setConfirming(open);
          if (!open) cancel.reset();
        }}
        title={t('training.job.cancelTitle')}
        body={t('training.job.cancelBody')}
        confirmLabel={t('training.job.cancelConfirm')}
        keepLabel={t('training.job.keep')}
        tone="danger"
        busy={cancel.isPending}
        error={cancel.error}
        onConfirm={() => cancel.mutate()}
      />
    </>
  );
}
