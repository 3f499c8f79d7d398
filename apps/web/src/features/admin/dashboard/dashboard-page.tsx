import { lazy, Suspense } from 'react';
import { errorMessage } from '../../../api/error-message';
import { t } from '../../../i18n/i18n';
import { PageHeader } from '../../../ui/card';
import { ErrorBoundary } from '../../../ui/error-boundary';
import { Badge, ErrorPanel, Loading } from '../../../ui/feedback';
import { AlertsBanner } from './alerts-banner';
import { StatTiles } from './stat-tiles';
import { useLiveStats, type LiveState } from './use-live-stats';

// Recharts is the heaviest part of the admin portal: the tiles show before it has loaded.
const DashboardCharts = lazy(async () => ({ default: (await import('./dashboard-charts')).DashboardCharts }));

const LIVE_WORDS = { live: 'dashboard.live', connecting: 'dashboard.connecting', reconnecting: 'dashboard.reconnecting' } as const;

function LiveIndicator({ state, updatedAt }: { readonly state: LiveState; readonly updatedAt: string | null }) {
  return (
    <p role="status" className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
      <Badge tone={state === 'live' ? 'good' : 'warn'}>{t(LIVE_WORDS[state])}</Badge>
      {updatedAt ? <span>{t('dashboard.updatedAt', { time: new Date(updatedAt).toLocaleTimeString() })}</span> : null}
    </p>
  );
}

/** The system dashboard: today's usage, live over SSE; firing alerts; trends per day and per minute. */
export function DashboardPage() {
  const { query, live } = useLiveStats();
  const stats = query.data;
  return (
    <>
      <PageHeader title={t('dashboard.title')} description={t('dashboard.description')} actions={<LiveIndicator state={live} updatedAt={stats?.generated_at ?? null} />} />
      <AlertsBanner />
      {stats ? (
        <>
          <section aria-labelledby="tiles-heading" className="mb-8">
            <h2 id="tiles-heading" className="mb-3 text-xl font-semibold">
              {t('dashboard.tiles')}
            </h2>
            <StatTiles stats={stats} />
          </section>
          <section aria-labelledby="charts-heading">
            <h2 id="charts-heading" className="mb-3 text-xl font-semibold">
              {t('dashboard.charts')}
            </h2>
            <ErrorBoundary what={t('boundary.charts')}>
              <Suspense fallback={<Loading label={t('dashboard.chartsLoading')} />}>
                <DashboardCharts series={stats.series} />
              </Suspense>
            </ErrorBoundary>
          </section>
        </>
      ) : query.isError ? (
        <ErrorPanel message={errorMessage(query.error)} onRetry={() => void query.refetch()} />
      ) : (
        <Loading label={t('dashboard.loading')} />
      )}
    </>
  );
}
