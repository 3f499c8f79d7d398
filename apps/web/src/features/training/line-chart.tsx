import { useId } from 'react';
import { t } from '../../i18n/i18n';
import { Table, Td, Th, Tr } from '../../ui/table';

export interface ChartPoint {
  /** The global training step (x). */
  readonly x: number;
  readonly y: number;
  readonly epoch: number;
  readonly step: number;
}

interface Props {
  readonly title: string;
  readonly points: readonly ChartPoint[];
  /** Fixed y range (accuracy: 0..1); otherwise the points' own range. */
  readonly yDomain?: readonly [number, number];
  readonly format: (y: number) => string;
}

const W = 600;
const H = 220;
const PAD = { left: 52, right: 12, top: 12, bottom: 30 };

function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (hi <= lo) return [lo];
  return Array.from({ length: count + 1 }, (_, i) => lo + ((hi - lo) * i) / count);
}

/**
 * A small SVG line chart that scales to its box (so it never widens the page), named by a summary
 * a screen reader hears, with the same numbers as a table under a disclosure.
 */
export function LineChart({ title, points, yDomain, format }: Props) {
  const id = useId();
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(0, ...xs), Math.max(1, ...xs)];
  let [y0, y1] = yDomain ?? [Math.min(...ys), Math.max(...ys)];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const sx = (x: number): number => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number): number => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const last = points.at(-1);
  const summary = last ? t('training.chart.summary', { title, n: points.length, latest: format(last.y), step: last.x }) : t('training.chart.empty', { title });
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  return (
    <figure className="min-w-0" data-chart-points={points.length}>
      <figcaption id={id} className="mb-2 font-semibold text-slate-900">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="h-auto w-full rounded border border-slate-200 bg-white">
        {niceTicks(y0, y1).map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(v)} y2={sy(v)} className="stroke-slate-200" />
            <text x={PAD.left - 6} y={sy(v) + 4} textAnchor="end" className="fill-slate-700 text-[11px]">
              {format(v)}
            </text>
          </g>
        ))}
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="stroke-slate-500" />
        <text x={PAD.left} y={H - 8} className="fill-slate-700 text-[11px]">
          {x0}
        </text>
        <text x={W - PAD.right} y={H - 8} textAnchor="end" className="fill-slate-700 text-[11px]">
          {t('training.chart.x')} {x1}
        </text>
        {points.length > 1 ? <path d={path} fill="none" className="stroke-blue-700" strokeWidth={2} /> : null}
        {points.map((p) => (
          <circle key={`${p.epoch}-${p.step}`} cx={sx(p.x)} cy={sy(p.y)} r={3} className="fill-blue-700" />
        ))}
      </svg>
      <details className="mt-2">
        <summary className="cursor-pointer font-medium text-blue-800 focus-visible:outline-2 focus-visible:outline-blue-700">{t('training.chart.table')}</summary>
        <Table caption={t('training.chart.tableCaption', { title })} className="mt-2 max-h-64 overflow-y-auto">
          <thead>
            <tr>
              <Th>{t('training.chart.epoch')}</Th>
              <Th>{t('training.chart.step')}</Th>
              <Th>{t('training.chart.value')}</Th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <Tr key={`${p.epoch}-${p.step}`}>
                <Td className="tabular-nums">{p.epoch}</Td>
                <Td className="tabular-nums">{p.x}</Td>
                <Td className="tabular-nums">{format(p.y)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </details>
    </figure>
  );
}
