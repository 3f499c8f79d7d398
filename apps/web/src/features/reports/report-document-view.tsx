import { lazy, Suspense, type ReactNode } from 'react';
import { t } from '../../i18n/i18n';
import { ErrorBoundary } from '../../ui/error-boundary';
import { Loading } from '../../ui/feedback';
import { Table, Td, Th, Tr } from '../../ui/table';
import type { ReportChart, ReportDocument, ReportSection, ReportTable } from '@inkwell/contracts';

const SeriesChart = lazy(async () => ({ default: (await import('../benchmarks/series-chart')).SeriesChart }));

type Level = 2 | 3;
function Heading({ level, className, children }: { readonly level: 2 | 3 | 4; readonly className: string; readonly children: ReactNode }) {
  if (level === 2) return <h2 className={className}>{children}</h2>;
  if (level === 3) return <h3 className={className}>{children}</h3>;
  return <h4 className={className}>{children}</h4>;
}

function DocTable({ table }: { readonly table: ReportTable }) {
  return (
    <Table caption={table.title} className="mb-4">
      <thead>
        <tr>
          {table.columns.map((c, i) => (
            <Th key={i}>{c}</Th>
          ))}
        </tr>
      </thead>
      <tbody className="tabular-nums">
        {table.rows.map((row, r) => (
          <Tr key={r}>
            {row.map((cell, i) =>
              i === 0 ? (
                <Th key={i} scope="row" className="bg-white font-medium">
                  {cell}
                </Th>
              ) : (
                <Td key={i}>{cell}</Td>
              ),
            )}
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}

const number = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

/** A report's chart drawn with the app's chart, its numbers in a table under a disclosure. */
function DocChart({ chart }: { readonly chart: ReportChart }) {
  return (
    <figure className="mb-4 min-w-0">
      <figcaption className="mb-2 font-semibold text-slate-900">{chart.title}</figcaption>
      <ErrorBoundary what={t('boundary.charts')}>
        <Suspense fallback={<Loading />}>
          <SeriesChart label={chart.title} xLabel={chart.x_label} yLabel={chart.y_label} categories={chart.categories} lines={chart.series} format={number} />
        </Suspense>
      </ErrorBoundary>
      <details className="mt-2">
        <summary className="cursor-pointer font-medium text-blue-800 focus-visible:outline-2 focus-visible:outline-blue-700">{t('reports.chartNumbers')}</summary>
        <DocTable table={{ id: chart.id, title: chart.title, columns: [chart.x_label, ...chart.series.map((s) => s.name)], rows: chart.categories.map((c, i) => [c, ...chart.series.map((s) => (s.values[i] === null || s.values[i] === undefined ? t('state.none') : number(s.values[i])))]) }} />
      </details>
    </figure>
  );
}

function DocSection({ section, level }: { readonly section: ReportSection; readonly level: 3 | 4 }) {
  const List = section.list?.ordered ? 'ol' : 'ul';
  return (
    <section className="mt-6 min-w-0" data-report-section={section.id}>
      <Heading level={level} className="mb-2 text-lg font-semibold text-slate-900">
        {section.heading}
      </Heading>
      {section.paragraphs.map((p, i) => (
        <p key={i} className="mb-2 text-slate-900">
          {p}
        </p>
      ))}
      {section.list ? (
        <List className={`mb-3 space-y-1 pl-6 text-slate-900 ${section.list.ordered ? 'list-decimal' : 'list-disc'}`}>
          {section.list.items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </List>
      ) : null}
      {section.tables.map((tb) => (
        <DocTable key={tb.id} table={tb} />
      ))}
      {section.charts.map((c) => (
        <DocChart key={c.id} chart={c} />
      ))}
    </section>
  );
}

/** A report's JSON form shown natively: the same content as its PDF and HTML, in the app's styles. */
export function ReportDocumentView({ doc, level }: { readonly doc: ReportDocument; readonly level: Level }) {
  return (
    <article className="min-w-0" data-report-view={doc.view}>
      <Heading level={level} className="mb-2 text-xl font-semibold break-words text-slate-900">
        {doc.title}
      </Heading>
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_minmax(0,1fr)]">
        {doc.meta.map(([k, v], i) => (
          <div key={i} className="contents">
            <dt className="text-sm text-slate-700">{k}</dt>
            <dd className="font-medium break-all text-slate-900">{v}</dd>
          </div>
        ))}
      </dl>
      {doc.sections.map((s) => (
        <DocSection key={s.id} section={s} level={level === 2 ? 3 : 4} />
      ))}
    </article>
  );
}
