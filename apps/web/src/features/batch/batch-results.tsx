import { useState } from 'react';
import { BatchResultsFormat, type BatchJob } from '@inkwell/contracts';
import { toast } from 'sonner';
import { apiFile, apiHref } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t, type MessageKey } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { saveBlob } from '../read/reading';
import { shortId } from './batch-queries';

const LABEL: Readonly<Record<BatchResultsFormat, MessageKey>> = { csv: 'batch.results.csv', json: 'batch.results.json', zip: 'batch.results.zip' };

/**
 * Fetches through the API client (which renews an expired session) and saves: the browser
 * following the link itself would fail on an expired access cookie without a word.
 */
async function download(job: BatchJob, format: BatchResultsFormat): Promise<void> {
  try {
    const file = await apiFile('/api/batch/{id}/results', { params: { id: job.id }, query: { format } });
    saveBlob(file.blob, file.filename ?? `batch-${job.id}-results.${format}`);
  } catch (e) {
    toast.error(errorMessage(e));
  }
}

/** One link per format the results route offers (`format`: the CSV or JSON alone, or the whole ZIP). */
export function ResultLinks({ job }: { readonly job: BatchJob }) {
  return (
    <span className="flex flex-wrap gap-1">
      {BatchResultsFormat.options.map((format) => (
        <a
          key={format}
          href={apiHref('/api/batch/{id}/results', { params: { id: job.id }, query: { format } })}
          download
          // The link stays a link (open in a new tab, copy its address); a plain click goes through the client.
          onClick={(e) => {
            e.preventDefault();
            void download(job, format);
          }}
          className="inline-flex min-h-8 items-center rounded-md border border-slate-300 px-2 text-sm font-medium text-blue-800 underline-offset-2 hover:bg-blue-50 hover:underline focus-visible:outline-2 focus-visible:outline-blue-700"
        >
          {t(LABEL[format])}
          <span className="sr-only">{t('batch.results.of', { id: shortId(job.id) })}</span>
        </a>
      ))}
    </span>
  );
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** A completed job's counts: how many images read as each digit (bars), failures by reason, uncertain. */
export function SummaryButton({ job }: { readonly job: BatchJob }) {
  const [open, setOpen] = useState(false);
  const summary = job.summary;
  if (!summary) return null;
  const counts = DIGITS.map((d) => ({ d, n: summary.by_digit[d] ?? 0 }));
  const most = Math.max(1, ...counts.map((c) => c.n));
  const errors = Object.entries(summary.by_error).filter(([, n]) => n > 0);
  const id = shortId(job.id);
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
        {t('batch.summary.open')}
        <span className="sr-only">{t('batch.job', { id })}</span>
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={t('batch.summary.title', { id })}
        description={t('batch.summary.description', { done: job.processed - job.failed, failed: job.failed, uncertain: summary.uncertain })}
      >
        <h3 className="mb-2 font-semibold text-slate-900">{t('batch.summary.digits')}</h3>
        <ul className="mb-4 space-y-1">
          {counts.map(({ d, n }) => (
            <li key={d} className="flex items-center gap-2">
              <span className="sr-only">{t('batch.summary.digitCount', { d, n })}</span>
              <span aria-hidden="true" className="w-4 font-mono text-slate-900">
                {d}
              </span>
              <span aria-hidden="true" className="h-3 flex-1 rounded bg-slate-100">
                <span className="block h-3 rounded bg-blue-700" style={{ width: `${(n / most) * 100}%` }} />
              </span>
              <span aria-hidden="true" className="w-12 text-right text-slate-900 tabular-nums">
                {n}
              </span>
            </li>
          ))}
        </ul>
        <h3 className="mb-2 font-semibold text-slate-900">{t('batch.summary.errors')}</h3>
        {errors.length === 0 ? (
          <p className="mb-4 text-slate-700">{t('batch.summary.noErrors')}</p>
        ) : (
          <ul className="mb-4 list-disc pl-5 text-slate-900">
            {errors.map(([code, n]) => (
              <li key={code}>
                <code>{code}</code>: {n}
              </li>
            ))}
          </ul>
        )}
        {job.results_available ? (
          <>
            <h3 className="mb-2 font-semibold text-slate-900">{t('batch.summary.download')}</h3>
            <ResultLinks job={job} />
          </>
        ) : null}
      </Dialog>
    </>
  );
}
