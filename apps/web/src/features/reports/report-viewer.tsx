import { useState } from 'react';
import { toast } from 'sonner';
import type { ReportFormat, ReportSummary, ReportView } from '@inkwell/contracts';
import { apiFile, apiHref } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { ErrorPanel, Loading } from '../../ui/feedback';
import { saveBlob } from '../read/reading';
import { ReportDocumentView } from './report-document-view';
import { REPORT_FORMATS, REPORT_VIEWS, reportViewInline, reportViewWord, useReportDocument } from './report-queries';

/**
 * Fetches through the API client (which renews an expired session) and saves: the browser
 * following the link itself would fail on an expired access cookie without a word.
 */
async function download(id: string, view: ReportView, format: ReportFormat): Promise<void> {
  try {
    const file = await apiFile('/api/reports/{id}', { params: { id }, query: { view, format } });
    saveBlob(file.blob, file.filename ?? `report-${id}-${view}.${format}`);
  } catch (e) {
    toast.error(errorMessage(e));
  }
}

export function ReportDownloads({ id, view }: { readonly id: string; readonly view: ReportView }) {
  return (
    <ul className="flex flex-wrap gap-2" aria-label={t('reports.downloads', { view: reportViewInline(view) })}>
      {REPORT_FORMATS.map((format) => (
        <li key={format}>
          <a
            href={apiHref('/api/reports/{id}', { params: { id }, query: { view, format } })}
            download
            // The link stays a link (open in a new tab, copy its address); a plain click goes through the client.
            onClick={(e) => {
              e.preventDefault();
              void download(id, view, format);
            }}
            className="inline-flex min-h-11 items-center rounded-md border border-slate-300 px-3 font-medium text-blue-800 underline-offset-2 hover:bg-blue-50 hover:underline focus-visible:outline-2 focus-visible:outline-blue-700"
          >
            {t('reports.download', { view: reportViewInline(view), format: format.toUpperCase() })}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** A ready report: technical or simple view shown in the page, and its four files for that view. */
export function ReportViewer({ report, level }: { readonly report: ReportSummary; readonly level: 2 | 3 }) {
  const [view, setView] = useState<ReportView>('technical');
  const doc = useReportDocument(report.id, view, report.status === 'ready');
  return (
    <div className="min-w-0 space-y-4">
      <div role="group" aria-label={t('reports.viewPicker')} className="flex flex-wrap gap-2">
        {REPORT_VIEWS.map((v) => (
          <Button key={v} size="sm" variant={view === v ? 'primary' : 'secondary'} aria-pressed={view === v} onClick={() => setView(v)}>
            {t('reports.showView', { view: reportViewWord(v) })}
          </Button>
        ))}
      </div>
      <ReportDownloads id={report.id} view={view} />
      <div className="rounded-lg border border-slate-200 p-4">
        {doc.isPending ? (
          <Loading label={t('reports.loadingView')} />
        ) : doc.isError ? (
          <ErrorPanel message={errorMessage(doc.error)} onRetry={() => void doc.refetch()} />
        ) : (
          <ReportDocumentView doc={doc.data} level={level} />
        )}
      </div>
    </div>
  );
}
