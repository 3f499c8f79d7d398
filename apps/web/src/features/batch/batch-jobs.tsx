import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { isAdmin, useSession } from '../../session/session';
import { Card } from '../../ui/card';
import { EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { Table, Th } from '../../ui/table';
import { JobRow } from './batch-job-row';
import { fetchJobs, isActive, jobsKey, keepNewest, type JobScope, type ListedJob } from './batch-queries';

/**
 * Event streams open at once: the server allows each caller 5, and a browser 6 connections per
 * host over HTTP/1.1; rows past these follow the list's slower refresh instead.
 */
const LIVE_ROWS = 3;
/** How often the list refreshes while a job is active: covers rows without a stream, and new jobs. */
const ACTIVE_REFRESH_MS = 10_000;

export function BatchJobs() {
  const { user } = useSession();
  const admin = isAdmin(user);
  const toggleId = useId();
  const [scope, setScope] = useState<JobScope>('mine');
  const queryClient = useQueryClient();
  const jobs = useQuery({
    queryKey: jobsKey(scope),
    queryFn: async ({ signal }) => keepNewest(await fetchJobs(scope, signal), queryClient.getQueryData<ListedJob[]>(jobsKey(scope))),
    refetchInterval: (q) => (q.state.data?.some((j) => isActive(j.status)) ? ACTIVE_REFRESH_MS : false),
  });
  let liveLeft = LIVE_ROWS;

  return (
    <Card aria-labelledby={`${toggleId}-title`}>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h2 id={`${toggleId}-title`} className="text-xl font-semibold text-slate-900">
          {t('batch.jobs.title')}
        </h2>
        {admin ? (
          <label htmlFor={toggleId} className="inline-flex min-h-11 cursor-pointer items-center gap-2 font-medium text-slate-900">
            <input id={toggleId} type="checkbox" className="size-5 accent-blue-700" checked={scope === 'all'} onChange={(e) => setScope(e.currentTarget.checked ? 'all' : 'mine')} />
            {t('batch.jobs.allUsers')}
          </label>
        ) : null}
      </div>
      {jobs.isPending ? (
        <Loading label={t('batch.jobs.loading')} />
      ) : jobs.isError ? (
        <ErrorPanel message={errorMessage(jobs.error)} onRetry={() => void jobs.refetch()} />
      ) : jobs.data.length === 0 ? (
        <EmptyState message={t('batch.jobs.empty')} />
      ) : (
        <Table caption={t('batch.jobs.caption')}>
          <thead>
            <tr>
              <Th>{t('batch.col.job')}</Th>
              {scope === 'all' ? <Th>{t('batch.col.owner')}</Th> : null}
              <Th>{t('batch.col.status')}</Th>
              <Th>{t('batch.col.progress')}</Th>
              <Th>{t('batch.col.rate')}</Th>
              <Th>{t('batch.col.eta')}</Th>
              <Th>{t('batch.col.created')}</Th>
              <Th>{t('batch.col.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((job) => {
              const live = isActive(job.status) && liveLeft-- > 0;
              return <JobRow key={job.id} job={job} scope={scope} live={live} />;
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
