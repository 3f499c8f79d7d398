import { useQuery } from '@tanstack/react-query';
import { AlertsResponse, type Alert } from '@inkwell/contracts';
import { api } from '../../../api/api-client';
import { errorMessage } from '../../../api/error-message';
import { t } from '../../../i18n/i18n';
import { Badge } from '../../../ui/feedback';

/** The platform evaluates its rules every few seconds; a quarter minute is soon enough for a person. */
const POLL_MS = 15_000;

const time = (iso: string): string => new Date(iso).toLocaleTimeString();

function AlertItem({ alert }: { readonly alert: Alert }) {
  return (
    <li className="flex flex-wrap items-baseline gap-2">
      <Badge tone={alert.severity === 'critical' ? 'bad' : 'warn'}>{t(alert.severity === 'critical' ? 'dashboard.severity.critical' : 'dashboard.severity.warning')}</Badge>
      <span className="font-medium break-words">{alert.summary}</span>
      <span className="text-sm">
        {t('dashboard.alertSince', { time: time(alert.started_at) })}
        {alert.value !== null && alert.threshold !== null ? `; ${t('dashboard.alertValue', { value: alert.value, threshold: alert.threshold })}` : ''}
      </span>
    </li>
  );
}

/** Firing alerts as a banner list above the numbers; a quiet line when none fire. */
export function AlertsBanner() {
  const alerts = useQuery({
    queryKey: ['admin', 'alerts'],
    queryFn: ({ signal }) => api('get', '/api/admin/alerts', { schema: AlertsResponse, signal }),
    refetchInterval: POLL_MS,
  });
  const firing = alerts.data?.firing ?? [];
  const critical = firing.some((a) => a.severity === 'critical');
  return (
    <section aria-labelledby="alerts-heading" className="mb-6">
      <h2 id="alerts-heading" className="sr-only">
        {t('dashboard.alerts')}
      </h2>
      <div role="status">
        {alerts.isError ? (
          <p className="text-red-900">{t('dashboard.alertsError', { reason: errorMessage(alerts.error) })}</p>
        ) : firing.length > 0 ? (
          <div className={critical ? 'rounded-md border border-red-300 bg-red-50 p-4 text-red-950' : 'rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-950'}>
            <p className="mb-2 font-semibold">{firing.length === 1 ? t('dashboard.alertsFiring1') : t('dashboard.alertsFiring', { n: firing.length })}</p>
            <ul className="flex flex-col gap-2">
              {firing.map((a) => (
                <AlertItem key={`${a.rule}-${a.started_at}`} alert={a} />
              ))}
            </ul>
          </div>
        ) : alerts.isSuccess ? (
          <p className="text-slate-700">{t('dashboard.alertsNone')}</p>
        ) : null}
      </div>
    </section>
  );
}
