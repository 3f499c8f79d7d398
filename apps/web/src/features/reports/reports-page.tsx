import { useId } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ReportKind, type ReportSummary } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Card, PageHeader } from '../../ui/card';
import { Badge, EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { SelectField } from '../../ui/field';
import { Table, Td, Th, Tr } from '../../ui/table';
import { formatDateTime, shortId } from '../models/model-format';
import { REPORT_STATUS_TONE, reportKindWord, reportStatusWord, useReports } from './report-queries';

const linkClass = 'font-medium text-blue-800 underline underline-offset-2';

/** Where the report's subject lives in the app: the benchmark, or the two versions compared. */
export function SubjectLink({ report }: { readonly report: ReportSummary }) {
  const [first, second] = report.subject_ids;
  if (report.kind === 'benchmark' && first) {
    return (
      <Link href={`/benchmarks/${first}`} className={linkClass}>
        {t('reports.subject.benchmark', { id: shortId(first) })}
      </Link>
    );
  }
  if (first && second) {
    return (
      <Link href={`/models/compare?a=${first}&b=${second}`} className={linkClass}>
        {t('reports.subject.comparison', { a: shortId(first), b: shortId(second) })}
      </Link>
    );
  }
  return <>{t('state.none')}</>;
}

/** Every report (comparisons and benchmarks), newest request first, filtered by kind. */
export function ReportsPage() {
  const id = useId();
  const [location, navigate] = useLocation();
  const parsed = ReportKind.safeParse(new URLSearchParams(useSearch()).get('kind'));
  const kind = parsed.success ? parsed.data : null;
  const reports = useReports(kind);
  return (
    <>
      <PageHeader title={t('reports.title')} description={t('reports.description')} />
      <Card aria-labelledby={id}>
        <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
          {t('reports.list')}
        </h2>
        <div className="max-w-xs">
          <SelectField
            label={t('reports.filter.kind')}
            value={kind ?? ''}
            onChange={(e) => navigate(e.target.value ? `${location}?kind=${e.target.value}` : location, { replace: true })}
            options={[{ value: '', label: t('reports.filter.any') }, ...ReportKind.options.map((k) => ({ value: k, label: reportKindWord(k) }))]}
          />
        </div>
        {reports.isPending ? (
          <Loading label={t('reports.loadingList')} />
        ) : reports.isError ? (
          <ErrorPanel message={errorMessage(reports.error)} onRetry={() => void reports.refetch()} />
        ) : reports.data.length === 0 ? (
          <EmptyState message={t('reports.empty')} />
        ) : (
          <Table caption={t('reports.caption')}>
            <thead>
              <tr>
                <Th>{t('reports.col.report')}</Th>
                <Th>{t('reports.col.kind')}</Th>
                <Th>{t('reports.col.subject')}</Th>
                <Th>{t('reports.col.status')}</Th>
                <Th>{t('reports.col.requested')}</Th>
              </tr>
            </thead>
            <tbody>
              {reports.data.map((r) => (
                <Tr key={r.id}>
                  <Td>
                    <Link href={`/reports/${r.id}`} className={`${linkClass} font-mono`} aria-label={t('reports.open', { id: r.id })}>
                      {shortId(r.id)}
                    </Link>
                  </Td>
                  <Td>{reportKindWord(r.kind)}</Td>
                  <Td className="whitespace-nowrap">
                    <SubjectLink report={r} />
                  </Td>
                  <Td>
                    <Badge tone={REPORT_STATUS_TONE[r.status]}>{reportStatusWord(r.status)}</Badge>
                  </Td>
                  <Td className="whitespace-nowrap">{formatDateTime(r.requested_at)}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
