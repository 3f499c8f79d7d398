import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import { Link, useLocation, useParams } from 'wouter';
import type { Dataset } from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Card, PageHeader } from '../../ui/card';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Badge, ErrorPanel, Loading } from '../../ui/feedback';
import { DatasetReport } from './dataset-report';
import { DatasetSplit } from './dataset-split';
import { DatasetStats } from './dataset-stats';
import { DATASET_STATUS_TONE, DATASETS_KEY, datasetKey, datasetStatusWord, fetchDataset, formatBytes } from './datasets-queries';

/** How often a validating dataset is asked about: validation of a small upload takes seconds. */
const VALIDATING_POLL_MS = 1_000;

const linkButton = 'inline-flex min-h-11 items-center justify-center rounded-md bg-blue-700 px-4 font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700';

export function DatasetPage() {
  const { id = '' } = useParams<{ id: string }>();
  const dataset = useQuery({
    queryKey: datasetKey(id),
    queryFn: ({ signal }) => fetchDataset(id, signal),
    refetchInterval: (q) => (q.state.data?.status === 'validating' ? VALIDATING_POLL_MS : false),
  });
  const back = (
    <Link href="/datasets" className="mb-4 inline-block text-blue-800 underline underline-offset-2">
      {t('datasets.detail.back')}
    </Link>
  );
  if (dataset.isPending) {
    return (
      <>
        {back}
        <Loading label={t('datasets.detail.loading')} />
      </>
    );
  }
  if (dataset.isError) {
    return (
      <>
        {back}
        <h1 className="mb-2 text-2xl font-semibold text-slate-900">{t('datasets.title')}</h1>
        <ErrorPanel message={errorMessage(dataset.error)} onRetry={() => void dataset.refetch()} />
      </>
    );
  }
  return (
    <>
      {back}
      <DatasetView dataset={dataset.data} />
    </>
  );
}

function DatasetView({ dataset: d }: { readonly dataset: Dataset }) {
  const filesId = useId();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api('delete', '/api/datasets/{id}', { params: { id: d.id } }),
    onSuccess: async () => {
      setConfirming(false);
      toast.success(t('datasets.delete.done', { name: d.name }));
      await queryClient.invalidateQueries({ queryKey: DATASETS_KEY });
      navigate('/datasets');
    },
  });
  const actions = (
    <>
      {d.status === 'ready' ? (
        <Link href={`/training?dataset=${encodeURIComponent(d.id)}`} className={linkButton}>
          {t('datasets.detail.train')}
        </Link>
      ) : null}
      {d.built_in ? null : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t('datasets.detail.delete')}
        </Button>
      )}
    </>
  );
  return (
    <>
      <PageHeader title={d.name} description={d.description || undefined} actions={actions} />
      <div className="space-y-6">
        <Card>
          <p role="status" aria-live="polite" className="flex flex-wrap items-center gap-2 text-slate-900">
            <span className="sr-only">{t('datasets.detail.status', { status: datasetStatusWord(d.status) })}</span>
            <span aria-hidden="true">
              <Badge tone={DATASET_STATUS_TONE[d.status]}>{datasetStatusWord(d.status)}</Badge>
            </span>
            {d.built_in ? <Badge>{t('datasets.builtIn')}</Badge> : null}
            <span>
              {d.format} · {formatBytes(d.size_bytes)}
            </span>
          </p>
          {d.status === 'validating' ? <Loading className="mt-3" label={t('datasets.detail.validating')} /> : null}
          {d.status === 'invalid' ? <p className="mt-3 text-red-800">{t('datasets.detail.invalid')}</p> : null}
          {d.files.length > 0 ? (
            <>
              <h2 id={filesId} className="mt-4 mb-1 font-semibold text-slate-900">
                {t('datasets.detail.files')}
              </h2>
              <ul aria-labelledby={filesId} className="list-inside list-disc text-slate-900">
                {d.files.map((f) => (
                  <li key={f.hash + f.name} className="break-all">
                    {f.name} ({formatBytes(f.size_bytes)})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Card>
        {d.report ? <DatasetReport report={d.report} /> : null}
        {d.stats ? <DatasetStats stats={d.stats} /> : null}
        {d.split ? <DatasetSplit split={d.split} /> : null}
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          setConfirming(open);
          if (!open) remove.reset();
        }}
        title={t('datasets.delete.title', { name: d.name })}
        body={t('datasets.delete.body')}
        confirmLabel={t('datasets.delete.confirm')}
        tone="danger"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
      />
    </>
  );
}
