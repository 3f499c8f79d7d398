import type { CreateReportRequest, ReportKind } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { ErrorPanel, FormError, Loading } from '../../ui/feedback';
import { useReportOf, useRequestReport } from './report-queries';
import { ReportViewer } from './report-viewer';

interface Props {
  readonly request: CreateReportRequest;
  /** Engineers may ask for the report; everyone reads one that exists. */
  readonly canRequest: boolean;
  readonly level: 2 | 3;
}

const subjectOf = (r: CreateReportRequest): readonly string[] => (r.kind === 'benchmark' ? [r.benchmark_id] : [r.a, r.b]);

/**
 * A subject's report: asked for (engineers), waited for while the report queue renders it, then
 * shown in the page with its downloads. The id follows from the subject, so a report someone else
 * asked for is found and shown as well.
 */
export function ReportPanel({ request, canRequest, level }: Props) {
  const kind: ReportKind = request.kind;
  const report = useReportOf(kind, subjectOf(request));
  const ask = useRequestReport();
  if (report.isPending) return <Loading label={t('reports.loading')} />;
  if (report.isError) return <ErrorPanel message={errorMessage(report.error)} onRetry={() => void report.refetch()} />;
  const r = report.data;
  const askButton = (label: string) =>
    canRequest ? (
      <Button variant="secondary" disabled={ask.isPending} onClick={() => ask.mutate(request)}>
        {ask.isPending ? t('confirm.busy') : label}
      </Button>
    ) : null;
  return (
    <div className="min-w-0">
      <FormError message={ask.error ? errorMessage(ask.error) : null} />
      <div aria-live="polite">
        {r === null ? (
          <>
            <p className="mb-3 text-slate-800">{t(canRequest ? 'reports.none' : 'reports.noneViewer')}</p>
            {askButton(t(kind === 'benchmark' ? 'reports.requestBenchmark' : 'reports.requestComparison'))}
          </>
        ) : r.status === 'queued' || ask.isPending ? (
          <Loading label={t('reports.rendering')} />
        ) : r.status === 'failed' ? (
          <>
            <p className="mb-3 text-red-900">{t('reports.failed', { reason: r.status_reason ?? t('state.none') })}</p>
            {askButton(t('reports.requestAgain'))}
          </>
        ) : null}
      </div>
      {r?.status === 'ready' ? <ReportViewer report={r} level={level} /> : null}
    </div>
  );
}
