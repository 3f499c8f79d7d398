import type { TuningGeneration, TuningTrialColumns } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { formatPct } from '../training/training-queries';
import { XyChart } from './xy-chart';

/** The points where the best completed objective so far rises, in trial order. */
export function bestSoFar(columns: TuningTrialColumns): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  let best = -Infinity;
  columns.index.forEach((index, i) => {
    const v = columns.value[i];
    if (columns.status[i] !== 'completed' || v === null || v === undefined || v <= best) return;
    best = v;
    out.push({ x: index, y: v });
  });
  return out;
}

export function BestSoFarChart({ columns }: { readonly columns: TuningTrialColumns }) {
  const points = bestSoFar(columns);
  const last = points.at(-1);
  const summary = last ? t('tuning.bestCurve.summary', { n: columns.index.length.toLocaleString(), best: formatPct(last.y), trial: last.x, rises: points.length }) : t('tuning.bestCurve.empty');
  return (
    <XyChart
      title={t('tuning.bestCurve.title')}
      summary={summary}
      xLabel={t('tuning.bestCurve.x')}
      format={(y) => formatPct(y)}
      xDomain={[columns.index[0] ?? 0, columns.index.at(-1) ?? 0]}
      series={[{ name: t('tuning.bestCurve.title'), stroke: 'stroke-blue-700', fill: 'fill-blue-700', points, step: true, dots: true }]}
      table={{ caption: t('tuning.bestCurve.caption'), columns: [t('tuning.bestCurve.colTrial'), t('tuning.bestCurve.colBest')], rows: points.map((p) => [String(p.x), formatPct(p.y)]) }}
    />
  );
}

export function GenerationsChart({ generations }: { readonly generations: readonly TuningGeneration[] }) {
  const best = generations.flatMap((g) => (g.best === null ? [] : [{ x: g.generation, y: g.best }]));
  const mean = generations.flatMap((g) => (g.mean === null ? [] : [{ x: g.generation, y: g.mean }]));
  const lastBest = best.at(-1);
  const summary = lastBest ? t('tuning.generations.summary', { n: generations.length, best: formatPct(lastBest.y) }) : t('tuning.generations.empty');
  return (
    <XyChart
      title={t('tuning.generations.title')}
      summary={summary}
      xLabel={t('tuning.generations.x')}
      format={(y) => formatPct(y)}
      series={[
        { name: t('tuning.generations.best'), stroke: 'stroke-blue-700', fill: 'fill-blue-700', points: best, dots: true },
        { name: t('tuning.generations.mean'), stroke: 'stroke-orange-700', fill: 'fill-orange-700', points: mean, dots: true },
      ]}
      table={{
        caption: t('tuning.generations.caption'),
        columns: [t('tuning.generations.x'), t('tuning.generations.trials'), t('tuning.generations.best'), t('tuning.generations.mean')],
        rows: generations.map((g) => [String(g.generation), String(g.trial_indices.length), formatPct(g.best), formatPct(g.mean)]),
      }}
    />
  );
}

/** Each searched parameter's share of the objective's variance, largest first, as labelled bars. */
export function ImportanceBars({ importance }: { readonly importance: Readonly<Record<string, number>> }) {
  const rows = Object.entries(importance).sort((a, b) => b[1] - a[1]);
  return (
    <ul className="space-y-2" aria-label={t('tuning.importance.title')}>
      {rows.map(([name, share]) => (
        <li key={name} className="grid grid-cols-[minmax(6rem,10rem)_1fr_4rem] items-center gap-3">
          <span className="truncate font-mono text-slate-900">{name}</span>
          <span className="h-4 rounded bg-slate-100" aria-hidden="true">
            <span className="block h-4 rounded bg-blue-700" style={{ width: `${Math.max(0, Math.min(1, share)) * 100}%` }} />
          </span>
          <span className="text-right tabular-nums text-slate-900">{formatPct(share)}</span>
        </li>
      ))}
    </ul>
  );
}
