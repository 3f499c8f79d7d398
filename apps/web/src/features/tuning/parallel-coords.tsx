import { useMemo } from 'react';
import type { SearchParam, SearchSpace, TuningTrialColumns } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { formatPct } from '../training/training-queries';
import { formatParam } from './tuning-queries';

/** Objective bands, worst to best: darker is better, each band one <path> (thousands of trials stay a handful of elements). */
const BANDS = ['stroke-slate-400', 'stroke-sky-600', 'stroke-blue-700', 'stroke-indigo-800', 'stroke-fuchsia-800'] as const;
const SWATCH = ['bg-slate-400', 'bg-sky-600', 'bg-blue-700', 'bg-indigo-800', 'bg-fuchsia-800'] as const;
const H = 260;
const PAD = { top: 28, bottom: 34, side: 48 };
/** At least this wide (viewBox units), so two axes are not drawn as a tall narrow box; each further axis adds AXIS_GAP. */
const MIN_W = 600;
const AXIS_GAP = 130;

type Value = string | number | boolean | null;

interface Axis {
  readonly name: string;
  /** Where a value sits on the axis, 0 (bottom) to 1 (top); null: the trial has no such value. */
  readonly at: (v: Value) => number | null;
  /** Labels along the axis: [position, text]. */
  readonly ticks: readonly (readonly [number, string])[];
}

function axisOf(name: string, p: SearchParam): Axis {
  if (p.kind === 'choice') {
    const n = p.values.length;
    const pos = (i: number) => (n === 1 ? 0.5 : i / (n - 1));
    return { name, at: (v) => (v === null ? null : ((i) => (i < 0 ? null : pos(i)))(p.values.findIndex((x) => x === v))), ticks: p.values.map((x, i) => [pos(i), String(x)] as const) };
  }
  const log = p.log === true && p.low > 0;
  const f = (x: number) => (log ? Math.log10(x) : x);
  const [lo, hi] = [f(p.low), f(p.high)];
  const at = (v: Value) => (typeof v !== 'number' || hi === lo ? null : Math.min(1, Math.max(0, (f(v) - lo) / (hi - lo))));
  return { name, at, ticks: [[0, formatParam(p.low)], [1, formatParam(p.high)]] };
}

interface Props {
  readonly space: SearchSpace;
  readonly columns: TuningTrialColumns;
}

/**
 * Parallel coordinates: one vertical axis per searched parameter and one for the objective; each
 * rated trial is a line across them, coloured by its objective. A parameter a trial did not have
 * (a condition left it out) breaks its line there. The trial table is the same data for keyboards
 * and screen readers.
 */
export function ParallelCoords({ space, columns }: Props) {
  const drawn = useMemo(() => {
    const rated = columns.value.flatMap((v, i) => (v === null ? [] : [{ i, v }]));
    if (rated.length === 0) return null;
    const vs = rated.map((r) => r.v);
    const [vLo, vHi] = [Math.min(...vs), Math.max(...vs)];
    const objective: Axis = {
      name: t('tuning.objective'),
      at: (v) => (typeof v !== 'number' ? null : vHi === vLo ? 0.5 : (v - vLo) / (vHi - vLo)),
      ticks: [[0, formatPct(vLo)], [1, formatPct(vHi)]],
    };
    const axes = [...Object.entries(space).map(([n, p]) => axisOf(n, p)), objective];
    const width = Math.max(MIN_W, PAD.side * 2 + AXIS_GAP * (axes.length - 1));
    const gap = (width - PAD.side * 2) / Math.max(1, axes.length - 1);
    const x = (k: number) => PAD.side + k * gap;
    const y = (u: number) => PAD.top + (1 - u) * (H - PAD.top - PAD.bottom);
    const paths = BANDS.map(() => [] as string[]);
    for (const { i, v } of rated) {
      const band = vHi === vLo ? BANDS.length - 1 : Math.min(BANDS.length - 1, Math.floor(((v - vLo) / (vHi - vLo)) * BANDS.length));
      let d = '';
      let pen = false;
      axes.forEach((a, k) => {
        const raw = k === axes.length - 1 ? v : (columns.params[a.name]?.[i] ?? null);
        const u = a.at(raw);
        if (u === null) {
          pen = false;
          return;
        }
        d += `${pen ? 'L' : 'M'}${x(k)},${y(u).toFixed(1)}`;
        pen = true;
      });
      paths[band]?.push(d);
    }
    return { axes, width, x, y, paths, count: rated.length, vLo, vHi };
  }, [space, columns]);

  if (!drawn) return <p className="text-slate-700">{t('tuning.parallel.empty')}</p>;
  const { axes, width, x, y, paths, count, vLo, vHi } = drawn;
  const summary = t('tuning.parallel.summary', { n: count.toLocaleString(), params: axes.slice(0, -1).map((a) => a.name).join(', '), low: formatPct(vLo), high: formatPct(vHi) });
  return (
    <figure className="min-w-0">
      <div className="overflow-x-auto">
        <svg viewBox={`0 0 ${width} ${H}`} role="img" aria-label={summary} className="h-auto w-full max-w-4xl min-w-[32rem] rounded border border-slate-200 bg-white" data-parallel-lines={count}>
          {paths.map((ds, b) => (ds.length > 0 ? <path key={BANDS[b]} d={ds.join('')} fill="none" className={BANDS[b]} strokeWidth={b === BANDS.length - 1 ? 1.5 : 1} strokeOpacity={count > 500 ? 0.35 : 0.8} /> : null))}
          {axes.map((a, k) => (
            <g key={a.name}>
              <line x1={x(k)} x2={x(k)} y1={y(0)} y2={y(1)} className="stroke-slate-700" strokeWidth={1.5} />
              <text x={x(k)} y={14} textAnchor={k === 0 ? 'start' : k === axes.length - 1 ? 'end' : 'middle'} dx={k === 0 ? -PAD.side + 4 : k === axes.length - 1 ? PAD.side - 4 : 0} className="fill-slate-900 font-mono text-[12px] font-semibold">
                {a.name}
              </text>
              {a.ticks.map(([u, label]) => (
                <text key={`${u}:${label}`} x={x(k) + 5} y={y(u) + (u === 0 ? 14 : u === 1 ? -4 : 4)} className="fill-slate-700 text-[11px]" paintOrder="stroke" stroke="white" strokeWidth={3}>
                  {label}
                </text>
              ))}
            </g>
          ))}
        </svg>
      </div>
      <figcaption className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-800">
        <span>{t('tuning.parallel.legend', { low: formatPct(vLo), high: formatPct(vHi) })}</span>
        <span className="flex" aria-hidden="true">
          {SWATCH.map((s) => (
            <span key={s} className={`inline-block h-3 w-6 ${s}`} />
          ))}
        </span>
        <span>{t('tuning.parallel.alt')}</span>
      </figcaption>
    </figure>
  );
}
