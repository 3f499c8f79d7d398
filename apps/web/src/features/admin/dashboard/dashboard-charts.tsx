import { useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AdminStats, StatsDay, StatsMinute } from '@inkwell/contracts';
import { t } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { Card } from '../../../ui/card';
import { Table, Td, Th } from '../../../ui/table';

/*
 * Recharts is imported only here, and this module only through `lazy()` from the dashboard page:
 * it stays out of the reader's first load and even out of the dashboard's first paint.
 */

const BLUE = '#1d4ed8';
const RED = '#b91c1c';
const TEAL = '#0f766e';
const AXIS = { fontSize: 12, fill: '#334155' };

const minuteLabel = (iso: string): string => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const dayLabel = (day: string): string => day.slice(5);

/**
 * A chart is a picture to a screen reader: it gets a name (role="img" + aria-label; its own
 * keyboard layer is off, so nothing inside it takes focus) and the same numbers as a table
 * behind a disclosure.
 */
function ChartFrame({ label, table, children }: { readonly label: string; readonly table: ReactNode; readonly children: ReactNode }) {
  return (
    <>
      <div role="img" aria-label={label} className="h-64 w-full min-w-0">
        {children}
      </div>
      <details className="mt-3">
        <summary className="cursor-pointer font-medium text-blue-800 focus-visible:outline-2 focus-visible:outline-blue-700">{t('dashboard.showNumbers')}</summary>
        <div className="mt-2">{table}</div>
      </details>
    </>
  );
}

function DaysTable({ days }: { readonly days: readonly StatsDay[] }) {
  return (
    <Table caption={t('dashboard.dailyTable', { days: days.length })}>
      <thead>
        <tr>
          <Th>{t('dashboard.col.day')}</Th>
          <Th>{t('dashboard.col.images')}</Th>
          <Th>{t('dashboard.col.successes')}</Th>
          <Th>{t('dashboard.col.errors')}</Th>
          <Th>{t('dashboard.col.apiRequests')}</Th>
          <Th>{t('dashboard.col.activeUsers')}</Th>
        </tr>
      </thead>
      <tbody>
        {days.map((d) => (
          <tr key={d.day}>
            <Td className="whitespace-nowrap">{d.day}</Td>
            <Td>{d.images}</Td>
            <Td>{d.successes}</Td>
            <Td>{d.errors}</Td>
            <Td>{d.api_requests}</Td>
            <Td>{d.active_users}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function MinutesTable({ minutes }: { readonly minutes: readonly StatsMinute[] }) {
  return (
    <Table caption={t('dashboard.hourlyTable')}>
      <thead>
        <tr>
          <Th>{t('dashboard.col.minute')}</Th>
          <Th>{t('dashboard.col.images')}</Th>
          <Th>{t('dashboard.col.errors')}</Th>
          <Th>{t('dashboard.col.apiRequests')}</Th>
        </tr>
      </thead>
      <tbody>
        {minutes.map((m) => (
          <tr key={m.minute}>
            <Td className="whitespace-nowrap">{minuteLabel(m.minute)}</Td>
            <Td>{m.images}</Td>
            <Td>{m.errors}</Td>
            <Td>{m.api_requests}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function DailyChart({ series }: { readonly series: AdminStats['series'] }) {
  const [range, setRange] = useState<7 | 30>(7);
  const days = range === 7 ? series.last_7_days : series.last_30_days;
  return (
    <Card aria-labelledby="chart-daily">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 id="chart-daily" className="text-lg font-semibold">
          {t('dashboard.daily')}
        </h3>
        <div role="group" aria-label={t('dashboard.range')} className="flex gap-1">
          {([7, 30] as const).map((n) => (
            <Button key={n} size="sm" variant={range === n ? 'primary' : 'secondary'} aria-pressed={range === n} onClick={() => setRange(n)}>
              {t(n === 7 ? 'dashboard.range7' : 'dashboard.range30')}
            </Button>
          ))}
        </div>
      </div>
      <ChartFrame label={t('dashboard.dailyLabel', { days: range })} table={<DaysTable days={days} />}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={days} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={dayLabel} tick={AXIS} minTickGap={8} />
            <YAxis allowDecimals={false} tick={AXIS} width={40} />
            <Tooltip />
            <Legend />
            <Bar dataKey="images" name={t('dashboard.col.images')} fill={BLUE} isAnimationActive={false} />
            <Bar dataKey="errors" name={t('dashboard.col.errors')} fill={RED} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFrame>
    </Card>
  );
}

function HourlyChart({ minutes }: { readonly minutes: readonly StatsMinute[] }) {
  return (
    <Card aria-labelledby="chart-hourly">
      <h3 id="chart-hourly" className="mb-3 text-lg font-semibold">
        {t('dashboard.hourly')}
      </h3>
      <ChartFrame label={t('dashboard.hourlyLabel')} table={<MinutesTable minutes={minutes} />}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={minutes} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="minute" tickFormatter={minuteLabel} tick={AXIS} minTickGap={16} />
            <YAxis allowDecimals={false} tick={AXIS} width={40} />
            <Tooltip labelFormatter={(v) => (typeof v === 'string' ? minuteLabel(v) : String(v))} />
            <Legend />
            <Line type="linear" dataKey="images" name={t('dashboard.col.images')} stroke={BLUE} dot={false} isAnimationActive={false} />
            <Line type="linear" dataKey="errors" name={t('dashboard.col.errors')} stroke={RED} dot={false} isAnimationActive={false} />
            <Line type="linear" dataKey="api_requests" name={t('dashboard.col.apiRequests')} stroke={TEAL} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
    </Card>
  );
}

/** The trends: per day (7 or 30 days) and per minute (the last hour). */
export function DashboardCharts({ series }: { readonly series: AdminStats['series'] }) {
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <DailyChart series={series} />
      <HourlyChart minutes={series.last_hour} />
    </div>
  );
}
