import { t } from '../../i18n/i18n';
import { Table, Td, Th, Tr } from '../../ui/table';

export interface Series {
  readonly name: string;
  /** Tailwind stroke and fill classes (contrast 3:1 or more on white). */
  readonly stroke: string;
  readonly fill: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** Hold each value until the next point (a best-so-far curve). */
  readonly step?: boolean;
  /** Dots at every point; off for curves of thousands of points. */
  readonly dots?: boolean;
}

interface Props {
  readonly title: string;
  /** What a screen reader hears for the picture. */
  readonly summary: string;
  readonly xLabel: string;
  readonly series: readonly Series[];
  readonly format: (y: number) => string;
  /** The x range when the points do not span it (a best-so-far curve ends at the last trial, not at its last rise). */
  readonly xDomain?: readonly [number, number];
  /** The same numbers, for keyboard and screen-reader users (and anyone wanting exact values). */
  readonly table: { readonly caption: string; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] };
}

const W = 600;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 30 };

/** A small SVG chart of one or more series that scales to its box, with a legend and a table under a disclosure. */
export function XyChart({ title, summary, xLabel, series, format, xDomain, table }: Props) {
  const all = series.flatMap((s) => s.points);
  const xs = [...all.map((p) => p.x), ...(xDomain ?? [])];
  const ys = all.map((p) => p.y);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (!Number.isFinite(x0) || x1 - x0 < 1e-9) [x0, x1] = [Number.isFinite(x0) ? x0 : 0, (Number.isFinite(x0) ? x0 : 0) + 1];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!Number.isFinite(y0)) [y0, y1] = [0, 1];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.01, y1 + 0.01];
  const sx = (x: number): number => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number): number => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const pathOf = (s: Series): string => {
    let d = '';
    let prevY: number | null = null;
    for (const p of s.points) {
      if (prevY === null) d += `M${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
      else d += s.step ? `H${sx(p.x).toFixed(1)}V${sy(p.y).toFixed(1)}` : `L${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
      prevY = p.y;
    }
    const last = s.points.at(-1);
    if (s.step && last && last.x < x1) d += `H${sx(x1).toFixed(1)}`;
    return d;
  };
  const ticks = [0, 1, 2, 3, 4].map((i) => y0 + ((y1 - y0) * i) / 4);
  return (
    <figure className="min-w-0">
      <figcaption className="mb-2 font-semibold text-slate-900">{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="h-auto w-full rounded border border-slate-200 bg-white">
        {ticks.map((v) => (
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
          {xLabel} {x1}
        </text>
        {series.map((s) => (
          <g key={s.name}>
            {s.points.length > 1 ? <path d={pathOf(s)} fill="none" className={s.stroke} strokeWidth={2} /> : null}
            {s.dots || s.points.length === 1 ? s.points.map((p) => <circle key={`${p.x}:${p.y}`} cx={sx(p.x)} cy={sy(p.y)} r={3} className={s.fill} />) : null}
          </g>
        ))}
      </svg>
      {series.length > 1 ? (
        <ul className="mt-2 flex flex-wrap gap-4 text-sm text-slate-800" aria-hidden="true">
          {series.map((s) => (
            <li key={s.name} className="flex items-center gap-2">
              <svg width="20" height="4" aria-hidden="true">
                <line x1="0" x2="20" y1="2" y2="2" className={s.stroke} strokeWidth={3} />
              </svg>
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="mt-2">
        <summary className="cursor-pointer font-medium text-blue-800 focus-visible:outline-2 focus-visible:outline-blue-700">{t('tuning.chart.table')}</summary>
        <Table caption={table.caption} className="mt-2 max-h-64 overflow-y-auto">
          <thead>
            <tr>
              {table.columns.map((c) => (
                <Th key={c}>{c}</Th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <Tr key={r.join('|')}>
                {r.map((cell, i) => (
                  <Td key={`${i}:${cell}`} className="tabular-nums">
                    {cell}
                  </Td>
                ))}
              </Tr>
            ))}
          </tbody>
        </Table>
      </details>
    </figure>
  );
}
