import type { ReactNode } from 'react';
import type { AdminStats } from '@inkwell/contracts';
import { t } from '../../../i18n/i18n';

const count = (n: number): string => n.toLocaleString();
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** One number with its name (an h3, so the tiles are listed by heading) and a line of detail. */
function Tile({ id, title, value, children }: { readonly id: string; readonly title: string; readonly value: string; readonly children?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h3 id={id} className="text-sm font-medium text-slate-700">
        {title}
      </h3>
      <p className="mt-1 text-3xl font-semibold text-slate-900 tabular-nums" data-testid="tile-value">
        {value}
      </p>
      {children ? <div className="mt-1 text-sm break-words text-slate-700">{children}</div> : null}
    </section>
  );
}

const byKey = (record: Readonly<Record<string, number>>): [string, number][] => Object.entries(record).sort(([a], [b]) => a.localeCompare(b));

/** Today's usage as tiles: one column on a phone, up to four on a desktop. */
export function StatTiles({ stats }: { readonly stats: AdminStats }) {
  const errors = byKey(stats.errors.by_code);
  const failures = byKey(stats.api.failures_by_status);
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-6">
      <Tile id="tile-images" title={t('dashboard.images')} value={count(stats.images_processed.total)}>
        {t('dashboard.imagesSplit', { single: count(stats.images_processed.single), batch: count(stats.images_processed.batch) })}
      </Tile>
      <Tile id="tile-success" title={t('dashboard.successRate')} value={stats.success_rate === null ? t('state.none') : percent.format(stats.success_rate)}>
        {stats.success_rate === null ? t('dashboard.successRateNone') : t('dashboard.successRateDetail', { successes: count(stats.successes), total: count(stats.images_processed.total) })}
      </Tile>
      <Tile id="tile-errors" title={t('dashboard.errors')} value={count(stats.errors.total)}>
        {errors.length === 0 ? (
          t('dashboard.errorsNone')
        ) : (
          <ul>
            {errors.map(([code, n]) => (
              <li key={code}>{t('dashboard.errorCode', { code, n: count(n) })}</li>
            ))}
          </ul>
        )}
      </Tile>
      <Tile id="tile-active" title={t('dashboard.activeUsers')} value={count(stats.active_users.total)}>
        {t('dashboard.activeSplit', { users: count(stats.active_users.users), keys: count(stats.active_users.api_keys) })}
      </Tile>
      <Tile id="tile-api" title={t('dashboard.api')} value={count(stats.api.requests)}>
        <p>{t('dashboard.apiFailures', { n: count(stats.api.failures) })}</p>
        {failures.length > 0 ? <p>{t('dashboard.apiFailuresByStatus', { list: failures.map(([s, n]) => `${s}: ${count(n)}`).join(', ') })}</p> : null}
      </Tile>
      <Tile id="tile-rpm" title={t('dashboard.rpm')} value={count(stats.requests_per_minute)}>
        {t('dashboard.rpmDetail')}
      </Tile>
    </div>
  );
}
