import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { toast } from 'sonner';
import { BATCH_ARCHIVE_FIELD, BATCH_FILES_FIELD, BatchCreated } from '@inkwell/contracts';
import { ApiError } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { upload } from '../../api/upload';
import { t } from '../../i18n/i18n';
import { isAdmin, useSession } from '../../session/session';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { DropZone } from '../../ui/drop-zone';
import { FormError, ProgressBar } from '../../ui/feedback';
import { ALL_JOBS_KEY, fetchLimits, LIMITS_KEY } from './batch-queries';
import { checkSelection, describeSelection, formatBytes, type Selection } from './batch-selection';

type Phase = { readonly kind: 'idle' } | { readonly kind: 'checking' } | { readonly kind: 'uploading'; readonly share: number };

const ACCEPT = '.zip,.png,.jpg,.jpeg,application/zip,image/png,image/jpeg';

function formOf(selection: Selection): FormData {
  const form = new FormData();
  if (selection.kind === 'zip') form.append(BATCH_ARCHIVE_FIELD, selection.file, selection.file.name);
  else for (const f of selection.files) form.append(BATCH_FILES_FIELD, f, f.name);
  return form;
}

/** Words for a refused upload: a 413 says which limit, and that splitting the batch is the way on. */
function refusal(e: unknown): string {
  if (e instanceof ApiError && e.code === 'too_large') return t('batch.submit.refusedTooLarge', { reason: /[.!?]$/.test(e.message) ? e.message : `${e.message}.` });
  return errorMessage(e);
}

/** Picks a ZIP or images (drop or picker), checks them here, then uploads with progress and a way to stop. */
export function BatchSubmit() {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const titleId = useId();
  const hintId = useId();
  const [selection, setSelection] = useState<Selection | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const aborter = useRef<AbortController | null>(null);
  // Only admins may read the limits; everyone else (or an admin whose read fails: the limits are a
  // courtesy, not a gate) learns them from the server's 413.
  const limits = useQuery({ queryKey: LIMITS_KEY, queryFn: ({ signal }) => fetchLimits(signal), enabled: isAdmin(user), staleTime: 5 * 60_000, retry: false });

  async function choose(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    setError(null);
    setNotice(null);
    setSelection(null);
    setPhase({ kind: 'checking' });
    const checked = await checkSelection(files, limits.data ?? null);
    setPhase({ kind: 'idle' });
    if (checked.ok) setSelection(checked.selection);
    else setError(checked.message);
  }

  async function start(chosen: Selection): Promise<void> {
    const controller = new AbortController();
    aborter.current = controller;
    setError(null);
    setNotice(null);
    setPhase({ kind: 'uploading', share: 0 });
    try {
      const created = await upload('/api/batch', { args: {}, form: formOf(chosen), schema: BatchCreated, signal: controller.signal, onProgress: (share) => setPhase({ kind: 'uploading', share }) });
      setSelection(null);
      toast.success(t('batch.submit.queued', { n: created.total_images }));
      await queryClient.invalidateQueries({ queryKey: ALL_JOBS_KEY });
    } catch (e) {
      if (controller.signal.aborted) setNotice(t('batch.submit.cancelled'));
      else setError(refusal(e));
    } finally {
      aborter.current = null;
      setPhase({ kind: 'idle' });
    }
  }

  const busy = phase.kind !== 'idle';
  const limitsText = limits.data ? t('batch.submit.limits', { images: limits.data.max_images.toLocaleString(), size: formatBytes(limits.data.max_upload_bytes) }) : null;

  return (
    <Card className="mb-6" aria-labelledby={`${titleId}-title`}>
      <h2 id={`${titleId}-title`} className="mb-4 text-xl font-semibold text-slate-900">
        {t('batch.submit.title')}
      </h2>
      <DropZone
        onFiles={(files) => void choose(files)}
        accept={ACCEPT}
        multiple
        disabled={busy}
        label={t('batch.submit.drop')}
        activeLabel={t('batch.submit.dropActive')}
        inputLabel={t('batch.submit.pick')}
        describedBy={hintId}
      />
      <p id={hintId} className="mt-2 text-sm text-slate-700">
        {t('batch.submit.hint')} {limitsText}
      </p>

      <FormError message={error} />
      <div role="status" aria-live="polite" className="mt-3 text-slate-800">
        {phase.kind === 'checking' ? t('batch.submit.checking') : null}
        {phase.kind === 'uploading' ? (phase.share < 1 ? t('batch.submit.uploading', { pct: Math.round(phase.share * 100) }) : t('batch.submit.unpacking')) : null}
        {phase.kind === 'idle' && notice ? notice : null}
      </div>

      {phase.kind === 'uploading' ? (
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <div className="min-w-40 flex-1">
            <ProgressBar value={phase.share} label={t('batch.submit.progress')} />
          </div>
          <Button variant="secondary" onClick={() => aborter.current?.abort()}>
            {t('batch.submit.cancelUpload')}
          </Button>
        </div>
      ) : null}

      {selection && phase.kind === 'idle' ? (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <p className="min-w-0 font-medium break-all text-slate-900">{describeSelection(selection)}</p>
          <Button onClick={() => void start(selection)}>{t('batch.submit.start')}</Button>
          <Button variant="ghost" onClick={() => setSelection(null)}>
            {t('batch.submit.clear')}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
