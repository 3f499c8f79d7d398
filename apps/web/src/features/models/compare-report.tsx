import { Link } from 'wouter';
import type { ReportFormat } from '@inkwell/contracts';
import { apiHref } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { FormError, Loading } from '../../ui/feedback';
import { useReport, useRequestReport } from './models-queries';

const FORMATS: readonly ReportFormat[] = ['pdf', 'csv'];
const linkClass = 'font-medium text-blue-800 underline hover:text-blue-900';

/** The comparison report (engineers ask for it): rendered by the report service, then downloadable as PDF or CSV. */
export function CompareReport({ a, b }: { readonly a: string; readonly b: string }) {
  const request = useRequestReport();
  const reportId = request.data?.id ?? null;
  const report = useReport(reportId);
  const status = report.data?.status ?? request.data?.status;
  return (
    <div>
      {request.data ? null : (
        <Button variant="secondary" disabled={request.isPending} onClick={() => request.mutate({ a, b })}>
          {request.isPending ? t('confirm.busy') : t('models.report.request')}
        </Button>
      )}
      <FormError message={request.error ? errorMessage(request.error) : null} />
      <div aria-live="polite">
        {reportId && status === 'queued' ? <Loading label={t('models.report.rendering')} /> : null}
        {reportId && status === 'failed' ? <p className="text-red-900">{t('models.report.failed', { reason: report.data?.status_reason ?? t('state.none') })}</p> : null}
        {reportId && status === 'ready' ? (
          <ul className="flex flex-wrap gap-4">
            {FORMATS.flatMap((format) =>
              (['technical', 'simple'] as const).map((view) => (
                <li key={`${view}.${format}`}>
                  <a className={linkClass} href={apiHref('/api/reports/{id}', { params: { id: reportId }, query: { view, format } })} download>
                    {t('models.report.download', { format: format.toUpperCase(), view: t(view === 'technical' ? 'models.report.technical' : 'models.report.simple') })}
                  </a>
                </li>
              )),
            )}
            <li>
              <Link className={linkClass} href={`/reports/${reportId}`}>
                {t('models.report.open')}
              </Link>
            </li>
          </ul>
        ) : null}
      </div>
    </div>
  );
}
