import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { toast } from 'sonner';
import { BatchJob, BatchJobEvent } from '@inkwell/contracts';
import { api, apiHref } from '../../api/api-client';
import { useEventStream } from '../../api/event-stream';
import { t } from '../../i18n/i18n';
import { userByIdQuery } from '../admin/users/users-api';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Badge, ProgressBar } from '../../ui/feedback';
import { Td, Tr } from '../../ui/table';
import { formatEta, formatRate, formatWhen, STATUS_TONE, statusWord } from './batch-format';
import { ALL_JOBS_KEY, isActive, jobsKey, shortId, withJob, type JobScope, type ListedJob } from './batch-queries';
import { ResultLinks, SummaryButton } from './batch-results';

const EVENTS = ['progress', 'status'] as const;

/** The owner's email for a user id (admins may read users); the id itself until then, or for an API key. */
function Owner({ job }: { readonly job: ListedJob }) {
  const isUser = job.owner_kind === 'user' && job.owner_id !== undefined;
  const owner = useQuery({ ...userByIdQuery(job.owner_id ?? ''), enabled: isUser });
  const text = job.owner_kind === 'api_key' ? t('batch.owner.apiKey', { id: job.owner_id ?? '' }) : (owner.data?.email ?? job.owner_id ?? '');
  return <Td className="break-all">{text}</Td>;
}

function CancelJob({ job, scope }: { readonly job: ListedJob; readonly scope: JobScope }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const id = shortId(job.id);
  const cancel = useMutation({
    mutationFn: () => api('post', '/api/batch/{id}/cancel', { params: { id: job.id }, schema: BatchJob }),
    onSuccess: async (fresh) => {
      queryClient.setQueryData<ListedJob[]>(jobsKey(scope), (jobs) => withJob(jobs, fresh));
      setOpen(false);
      toast.success(t('batch.cancel.done', { id }));
      await queryClient.invalidateQueries({ queryKey: ALL_JOBS_KEY });
    },
  });
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        onClick={() => {
          cancel.reset();
          setOpen(true);
        }}
      >
        {t('batch.cancel')}
        <span className="sr-only">{t('batch.job', { id })}</span>
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={t('batch.cancel.title')}
        body={t('batch.cancel.body', { id })}
        confirmLabel={t('batch.cancel.confirm')}
        keepLabel={t('batch.cancel.keep')}
        tone="danger"
        busy={cancel.isPending}
        error={cancel.error}
        onConfirm={() => cancel.mutate()}
      />
    </>
  );
}

/**
 * One job. While it is queued or running (and `live`), its row follows the job's event stream and
 * writes each event into the list's cache, so the whole page sees the same, fresh job; the stream
 * closes once the job has finished (the final `status` event).
 */
export function JobRow({ job, scope, live }: { readonly job: ListedJob; readonly scope: JobScope; readonly live: boolean }) {
  const queryClient = useQueryClient();
  const active = isActive(job.status);
  const onEvent = useCallback(
    (e: BatchJobEvent) => {
      queryClient.setQueryData<ListedJob[]>(jobsKey(scope), (jobs) => withJob(jobs, e.job));
    },
    [queryClient, scope],
  );
  useEventStream(active && live ? apiHref('/api/batch/{id}/events', { params: { id: job.id } }) : null, EVENTS, BatchJobEvent, onEvent);
  const id = shortId(job.id);
  const share = job.total_images > 0 ? job.processed / job.total_images : 0;
  return (
    <Tr>
      <Td>
        <span className="font-mono">{id}</span>
        <span className="block text-sm text-slate-700">{t(job.source === 'zip' ? 'batch.source.zip' : 'batch.source.files')}</span>
      </Td>
      {scope === 'all' ? <Owner job={job} /> : null}
      <Td>
        <Badge tone={STATUS_TONE[job.status]}>{statusWord(job.status)}</Badge>
        {job.error ? <span className="mt-1 block text-sm break-words text-red-800">{t('batch.error.label', { error: job.error })}</span> : null}
      </Td>
      <Td className="min-w-36">
        <span className="tabular-nums">{t('batch.progress.counts', { processed: job.processed.toLocaleString(), total: job.total_images.toLocaleString() })}</span>
        {job.failed > 0 ? <span className="block text-sm text-red-800">{t('batch.progress.failed', { n: job.failed.toLocaleString() })}</span> : null}
        {active ? (
          <span className="mt-1 block">
            <ProgressBar value={share} label={t('batch.progress.label', { id })} />
          </span>
        ) : null}
      </Td>
      <Td className="tabular-nums">{formatRate(job.images_per_s)}</Td>
      <Td className="whitespace-nowrap tabular-nums">{active ? formatEta(job.eta_s) : t('state.none')}</Td>
      <Td className="whitespace-nowrap">{formatWhen(job.created_at)}</Td>
      <Td>
        {/* relative: the links' screen-reader words (absolutely placed) stay inside the table's scroll box. */}
        <span className="relative flex flex-wrap items-center gap-2">
          {active ? <CancelJob job={job} scope={scope} /> : null}
          {job.results_available ? <ResultLinks job={job} /> : null}
          {job.status === 'completed' ? <SummaryButton job={job} /> : null}
          {job.purged_at ? <span className="text-sm text-slate-700">{t('batch.results.purged')}</span> : null}
        </span>
      </Td>
    </Tr>
  );
}
