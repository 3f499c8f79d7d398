import { useId } from 'react';
import type { Dataset } from '@inkwell/contracts';
import { t, type MessageKey } from '../../i18n/i18n';
import { Card } from '../../ui/card';
import { Table, Td, Th, Tr } from '../../ui/table';
import { formatCount } from './datasets-queries';

type Report = NonNullable<Dataset['report']>;

/** The validation report: counts, then every problem with the row or file it is about. */
export function DatasetReport({ report }: { readonly report: Report }) {
  const id = useId();
  const facts: [MessageKey, string][] = [
    ['datasets.report.format', report.format],
    ['datasets.report.read', formatCount(report.records_read)],
    ['datasets.report.accepted', formatCount(report.accepted)],
    ['datasets.report.rejected', formatCount(report.rejected)],
    ['datasets.report.errors', formatCount(report.error_count)],
    ['datasets.report.warnings', formatCount(report.warning_count)],
  ];
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('datasets.report.title')}
      </h2>
      <dl className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-sm text-slate-700">{t(label)}</dt>
            <dd className="font-semibold text-slate-900 tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {report.problems.length === 0 ? (
        <p className="text-slate-900">{t('datasets.report.noProblems')}</p>
      ) : (
        <>
          <Table caption={t('datasets.report.caption')}>
            <thead>
              <tr>
                <Th>{t('datasets.report.kind')}</Th>
                <Th>{t('datasets.report.row')}</Th>
                <Th>{t('datasets.report.file')}</Th>
                <Th>{t('datasets.report.message')}</Th>
              </tr>
            </thead>
            <tbody>
              {report.problems.map((p, i) => (
                <Tr key={i}>
                  <Td className="font-mono whitespace-nowrap">{p.kind}</Td>
                  <Td className="tabular-nums">{p.row ?? t('state.none')}</Td>
                  <Td className="break-all">{p.file ?? t('state.none')}</Td>
                  <Td className="min-w-48">{p.message}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          {report.problems_truncated ? <p className="mt-2 text-slate-700">{t('datasets.report.truncated')}</p> : null}
        </>
      )}
    </Card>
  );
}
