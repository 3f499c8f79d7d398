import { useState } from 'react';
import { Link } from 'wouter';
import { roleAtLeast } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { Button } from '../../ui/button';
import { PageHeader } from '../../ui/card';
import { EmptyState, ErrorPanel, Loading } from '../../ui/feedback';
import { ImportModelDialog } from './import-model-dialog';
import { ModelFilterBar } from './model-filter-bar';
import { ModelsTable } from './models-table';
import { PAGE_SIZE, useModelList, type ModelFilters } from './models-queries';

const compareHref = (ids: readonly string[]): string => `/models/compare?a=${encodeURIComponent(ids[0] ?? '')}&b=${encodeURIComponent(ids[1] ?? '')}`;

export function ModelsPage() {
  const { user } = useSession();
  const engineer = user !== null && roleAtLeast(user.role, 'engineer');
  const [filters, setFilters] = useState<Omit<ModelFilters, 'page'>>({ family: '', source: '', status: '', sort: 'created_at', order: 'desc' });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [importing, setImporting] = useState(false);
  const list = useModelList({ ...filters, page });
  const data = list.data;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.page_size)) : 1;
  const from = data && data.total > 0 ? (data.page - 1) * data.page_size + 1 : 0;
  const to = data ? from + Math.max(0, data.items.length - 1) : 0;

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(-2)));

  return (
    <>
      <PageHeader
        title={t('models.title')}
        description={t('models.description')}
        actions={
          <>
            {selected.length === 2 ? (
              <Link href={compareHref(selected)} className="inline-flex min-h-11 items-center rounded-md bg-blue-700 px-4 font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700">
                {t('models.compareSelected')}
              </Link>
            ) : null}
            {engineer ? (
              <Button variant="secondary" onClick={() => setImporting(true)}>
                {t('models.import.open')}
              </Button>
            ) : null}
          </>
        }
      />
      <ModelFilterBar
        value={filters}
        onChange={(next) => {
          setFilters(next);
          setPage(1);
        }}
      />
      <p className="mb-3 text-slate-800" aria-live="polite">
        {selected.length === 2 ? t('models.selectedTwo') : t('models.selectHint', { n: selected.length })}
      </p>
      {list.isPending ? (
        <Loading label={t('models.loading')} />
      ) : list.isError && !data ? (
        <ErrorPanel message={errorMessage(list.error)} onRetry={() => void list.refetch()} />
      ) : data ? (
        <div aria-busy={list.isFetching}>
          {list.isError ? <ErrorPanel message={errorMessage(list.error)} onRetry={() => void list.refetch()} /> : null}
          {data.items.length === 0 ? <EmptyState message={t('models.empty')} /> : <ModelsTable versions={data.items} selected={selected} onToggle={toggle} />}
          <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
            <p role="status" className="text-slate-800">
              {data.total > 0 ? t('models.count', { from, to, total: data.total.toLocaleString() }) : ''}
            </p>
            {data.total > PAGE_SIZE ? (
              <div className="flex items-center gap-2">
                <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => setPage((p) => Math.max(1, p - 1))}>
                  {t('models.prev')}
                </Button>
                <span className="text-slate-800">{t('models.pageOf', { page, pages: lastPage.toLocaleString() })}</span>
                <Button variant="secondary" size="sm" disabled={page >= lastPage} onClick={() => setPage((p) => Math.min(lastPage, p + 1))}>
                  {t('models.next')}
                </Button>
              </div>
            ) : null}
          </div>
        </div>
      ) : null}
      {engineer ? <ImportModelDialog open={importing} onOpenChange={setImporting} /> : null}
    </>
  );
}
