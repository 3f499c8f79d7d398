import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type MouseEvent } from 'react';
import { useSearchParams } from 'wouter';
import { AuditLogPage } from '@inkwell/contracts';
import { api, apiHref } from '../../../api/api-client';
import { renewSessionIfNeeded } from '../../../api/auth-api';
import { errorMessage } from '../../../api/error-message';
import { t } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { PageHeader } from '../../../ui/card';
import { EmptyState, ErrorPanel, Loading } from '../../../ui/feedback';
import { AuditFilterForm } from './audit-filter-form';
import { filterFromSearch, searchFromFilter, type AuditFilter } from './audit-filters';
import { AuditTable } from './audit-table';
import { useLiveTail } from './use-live-tail';
import { useVerify, VerifyButton, VerifyOutcome } from './verify-panel';

const PAGE_SIZE = 50;

const linkButton =
  'inline-flex min-h-11 items-center justify-center rounded-md border border-slate-300 bg-white px-4 font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700';

function TailStatus({ on, state, announced }: { readonly on: boolean; readonly state: string; readonly announced: number }) {
  if (!on) return <p role="status" className="sr-only" />;
  return (
    <p role="status" className="text-sm text-slate-700">
      {state === 'open' ? t('audit.tailOpen') : t('audit.tailConnecting')}{' '}
      {announced > 0 ? (announced === 1 ? t('audit.tailNew1') : t('audit.tailNew', { n: announced })) : null}
    </p>
  );
}

/**
 * The export can be any size, so the browser downloads it itself (streamed to disk, not held in a
 * Blob); its access cookie may have expired, though, so the session is renewed first, then a
 * link of our own is followed (not this one: its handler would run again).
 */
function followAfterRenewal(e: MouseEvent<HTMLAnchorElement>): void {
  e.preventDefault();
  const href = e.currentTarget.href;
  void renewSessionIfNeeded()
    .catch(() => false)
    .then(() => {
      const a = document.createElement('a');
      a.href = href;
      a.download = '';
      document.body.append(a);
      a.click();
      a.remove();
    });
}

/**
 * The audit log: filters kept in the URL (a filtered view can be shared or reloaded), pages of
 * events by cursor, a live tail that prepends new matching events, CSV export of the same
 * filters, and the hash chain's verification.
 */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  // Keyed by the query string's text: the params object is new on every render.
  const filter = useMemo(() => filterFromSearch(new URLSearchParams(search)), [search]);
  const [tailOn, setTailOn] = useState(false);
  const tail = useLiveTail(filter, tailOn);
  const verify = useVerify();

  const results = useInfiniteQuery({
    queryKey: ['admin', 'audit', filter],
    queryFn: ({ pageParam, signal }) => api('get', '/api/admin/audit-logs', { query: { ...filter, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) }, schema: AuditLogPage, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });

  // The tail sends what is stored after it opens; what was stored between this page's load and
  // then is in neither list, so the first page is read again once the stream is open (an event in
  // both is shown once: rows are keyed by seq).
  const tailOpen = tailOn && tail.state === 'open';
  const { refetch } = results;
  useEffect(() => {
    if (tailOpen) void refetch();
  }, [tailOpen, refetch]);

  const apply = (next: AuditFilter) => setParams(searchFromFilter(next));
  const fresh = useMemo(() => new Set(tail.events.map((e) => e.seq)), [tail.events]);
  const loaded = results.data?.pages.flatMap((p) => p.items) ?? [];
  const rows = [...tail.events, ...loaded.filter((e) => !fresh.has(e.seq))];
  const exportHref = apiHref('/api/admin/audit-logs/export.csv', { query: filter });

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <AuditFilterForm key={search} filter={filter} onApply={apply} />
      <section aria-labelledby="audit-results">
        <h2 id="audit-results" className="mb-3 text-lg font-semibold">
          {t('audit.resultsHeading')}
        </h2>
        <div className="mb-4 flex flex-wrap items-start gap-2">
          <Button variant={tailOn ? 'primary' : 'secondary'} aria-pressed={tailOn} onClick={() => setTailOn((on) => !on)}>
            {t('audit.tail')}
          </Button>
          <a className={linkButton} href={exportHref} download onClick={followAfterRenewal}>
            {t('audit.export')}
          </a>
          <VerifyButton verify={verify} />
        </div>
        <div className="mb-3">
          <VerifyOutcome verify={verify} />
          <TailStatus on={tailOn} state={tail.state} announced={tail.announced} />
        </div>
        {results.isPending ? (
          <Loading label={t('audit.loading')} />
        ) : !results.data ? (
          <ErrorPanel message={errorMessage(results.error)} onRetry={() => void results.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState message={t('audit.empty')} />
        ) : (
          <>
            <AuditTable rows={rows} fresh={fresh} />
            <div className="mt-4 flex flex-wrap items-center gap-3">
              <p className="text-slate-700">{t('audit.shown', { n: rows.length })}</p>
              {results.hasNextPage ? (
                <Button variant="secondary" onClick={() => void results.fetchNextPage()} disabled={results.isFetchingNextPage}>
                  {results.isFetchingNextPage ? t('audit.loadingMore') : t('audit.loadMore')}
                </Button>
              ) : (
                <p className="text-slate-700">{t('audit.end')}</p>
              )}
            </div>
            {/* A later page that failed keeps the pages already shown. */}
            {results.isFetchNextPageError ? <ErrorPanel message={errorMessage(results.error)} onRetry={() => void results.fetchNextPage()} /> : null}
          </>
        )}
      </section>
    </>
  );
}
