import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link } from 'wouter';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Card } from '../../ui/card';
import { Badge, EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { Table, Td, Th, Tr } from '../../ui/table';
import { fetchJobs, formatPct, formatWhen, isFinished, JOB_STATUS_TONE, jobsKey, jobStatusWord, shortId } from './training-queries';

/** While a job is queued or running the list asks again this often (its page has the live view). */
const ACTIVE_REFRESH_MS = 5_000;

export function JobsList() {
  const id = useId();
  const jobs = useQuery({
    queryKey: jobsKey,
    queryFn: ({ signal }) => fetchJobs(signal),
    refetchInterval: (q) => (q.state.data?.some((j) => !isFinished(j.status)) ? ACTIVE_REFRESH_MS : false),
  });
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('training.jobs.title')}
      </h2>
      {jobs.isPending ? (
        <Loading label={t('training.jobs.loading')} />
      ) : jobs.isError ? (
        <ErrorPanel message={errorMessage(jobs.error)} onRetry={() => void jobs.refetch()} />
      ) : jobs.data.length === 0 ? (
        <EmptyState message={t('training.jobs.empty')} />
      ) : (
        <Table caption={t('training.jobs.caption')} className="max-h-[28rem] overflow-y-auto">
          <thead>
            <tr>
              <Th>{t('training.col.job')}</Th>
              <Th>{t('training.col.family')}</Th>
              <Th>{t('training.col.dataset')}</Th>
              <Th>{t('training.col.status')}</Th>
              <Th>{t('training.col.progress')}</Th>
              <Th>{t('training.col.accuracy')}</Th>
              <Th>{t('training.col.created')}</Th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((j) => (
              <Tr key={j.id}>
                <Td>
                  <Link href={`/training/${j.id}`} className="font-mono font-medium text-blue-800 underline underline-offset-2">
                    {shortId(j.id)}
                  </Link>
                </Td>
                <Td className="font-mono">{j.family}</Td>
                <Td className="max-w-48 break-all">{j.dataset_id}</Td>
                <Td>
                  <Badge tone={JOB_STATUS_TONE[j.status]}>{jobStatusWord(j.status)}</Badge>
                </Td>
                <Td className="whitespace-nowrap">{j.progress ? t('training.jobs.progress', { epoch: j.progress.epoch, epochs: j.epochs }) : t('state.none')}</Td>
                <Td className="tabular-nums">{formatPct(j.model_version?.metrics.accuracy ?? null)}</Td>
                <Td className="whitespace-nowrap">{formatWhen(j.created_at)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
