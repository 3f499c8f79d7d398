import { Link, useParams } from 'wouter';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Card, PageHeader } from '../../ui/card';
import { Badge, ErrorPanel, Loading } from '../../ui/feedback';
import { shortId } from '../models/model-format';
import { REPORT_STATUS_TONE, reportKindWord, reportStatusWord, useReport } from './report-queries';
import { ReportViewer } from './report-viewer';
import { SubjectLink } from './reports-page';

const back = (
  <Link href="/reports" className="mb-4 inline-block text-blue-800 underline underline-offset-2">
    {t('reports.back')}
  </Link>
);

/** One report: its subject and status, then (once rendered) both views and the four files. */
export function ReportPage() {
  const { id = '' } = useParams<{ id: string }>();
  const report = useReport(id);
  return (
    <>
      {back}
      <PageHeader title={t('reports.one', { id: shortId(id) })} />
      {report.isPending ? (
        <Loading label={t('reports.loading')} />
      ) : report.isError ? (
        <ErrorPanel message={errorMessage(report.error)} onRetry={() => void report.refetch()} />
      ) : report.data === null ? (
        <ErrorPanel message={t('reports.notFound')} />
      ) : (
        <Card>
          <p className="mb-4 flex flex-wrap items-center gap-2 text-slate-900" aria-live="polite">
            <span>{reportKindWord(report.data.kind)}</span>
            <SubjectLink report={report.data} />
            <Badge tone={REPORT_STATUS_TONE[report.data.status]}>{reportStatusWord(report.data.status)}</Badge>
          </p>
          {report.data.status === 'queued' ? <Loading label={t('reports.rendering')} /> : null}
          {report.data.status === 'failed' ? <p className="text-red-900">{t('reports.failed', { reason: report.data.status_reason ?? t('state.none') })}</p> : null}
          {report.data.status === 'ready' ? <ReportViewer report={report.data} level={2} /> : null}
        </Card>
      )}
    </>
  );
}
