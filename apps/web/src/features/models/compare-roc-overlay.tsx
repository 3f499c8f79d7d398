import { useState } from 'react';
import type { ModelComparisonView, RocCurveView } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { ErrorPanel, Loading } from '../../ui/feedback';
import { Table, Td, Th, Tr } from '../../ui/table';
import { CurveChart, DIGIT_COLORS, MACRO_COLOR, MICRO_COLOR, type Series } from './curve-chart';
import { useRoc } from './models-queries';

interface CurveRef {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly of: (roc: RocCurveView) => { readonly fpr: readonly number[]; readonly tpr: readonly number[]; readonly auc: number | null } | undefined;
}

const CURVES: readonly CurveRef[] = [
  { key: 'micro', label: t('models.roc.micro'), color: MICRO_COLOR, of: (r) => r.micro },
  { key: 'macro', label: t('models.roc.macro'), color: MACRO_COLOR, of: (r) => r.macro },
  ...Array.from({ length: 10 }, (_, d): CurveRef => ({ key: `d${d}`, label: t('models.roc.digit', { digit: d }), color: DIGIT_COLORS[d] ?? MICRO_COLOR, of: (r) => r.per_class.find((c) => c.label === d) })),
];

const auc = (v: number | null | undefined): string => (v === null || v === undefined ? t('state.none') : v.toFixed(4));
const signed = (a: number | null | undefined, b: number | null | undefined): string => {
  if (a === null || a === undefined || b === null || b === undefined) return t('state.none');
  const d = b - a;
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(4)}`;
};

/**
 * Both versions' ROC curves on one chart: A solid, B dashed, in the curve's colour, each curve
 * (micro, macro, a digit) shown or hidden by its own checkbox; the AUCs of every curve are the
 * table beside it, which is also the chart's accessible alternative.
 */
export function CompareRocOverlay({ c }: { readonly c: ModelComparisonView }) {
  const ra = useRoc(c.a.id, true);
  const rb = useRoc(c.b.id, true);
  const [shown, setShown] = useState<ReadonlySet<string>>(() => new Set(['micro']));
  if (ra.isPending || rb.isPending) return <Loading label={t('models.rocOverlay.loading')} />;
  if (ra.isError || rb.isError) return <ErrorPanel message={errorMessage(ra.error ?? rb.error)} onRetry={() => void Promise.all([ra.refetch(), rb.refetch()])} />;
  const toggle = (key: string) =>
    setShown((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const series: Series[] = CURVES.filter((k) => shown.has(k.key)).flatMap((k) => {
    const out: Series[] = [];
    const a = k.of(ra.data);
    const b = k.of(rb.data);
    if (a) out.push({ key: `a-${k.key}`, label: `A ${k.label}`, color: k.color, x: a.fpr, y: a.tpr });
    if (b) out.push({ key: `b-${k.key}`, label: `B ${k.label}`, color: k.color, dash: '6 3', x: b.fpr, y: b.tpr });
    return out;
  });
  const names = CURVES.filter((k) => shown.has(k.key)).map((k) => k.label);
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)] [&>*]:min-w-0">
      <div>
        <CurveChart
          label={names.length === 0 ? t('models.rocOverlay.chartEmpty') : t('models.rocOverlay.chart', { a: c.a.name, b: c.b.name, curves: names.join(', ') })}
          xLabel={t('models.roc.x')}
          yLabel={t('models.roc.y')}
          diagonal
          series={series}
        />
        <p className="mt-2 flex flex-wrap gap-4 text-sm text-slate-800">
          <span className="flex items-center gap-2">
            <svg width="24" height="8" aria-hidden="true">
              <line x1="0" y1="4" x2="24" y2="4" stroke="#0f172a" strokeWidth="3" />
            </svg>
            <span className="break-all">{t('models.rocOverlay.solid', { name: c.a.name })}</span>
          </span>
          <span className="flex items-center gap-2">
            <svg width="24" height="8" aria-hidden="true">
              <line x1="0" y1="4" x2="24" y2="4" stroke="#0f172a" strokeWidth="3" strokeDasharray="6 3" />
            </svg>
            <span className="break-all">{t('models.rocOverlay.dashed', { name: c.b.name })}</span>
          </span>
        </p>
      </div>
      <div className="min-w-0">
        <fieldset className="mb-4 min-w-0">
          <legend className="mb-2 font-medium text-slate-900">{t('models.rocOverlay.toggle')}</legend>
          <ul className="grid grid-cols-2 gap-1 sm:grid-cols-3">
            {CURVES.map((k) => (
              <li key={k.key}>
                <label className="flex min-h-8 items-center gap-2 text-slate-900">
                  <input type="checkbox" className="size-4 accent-blue-700" checked={shown.has(k.key)} onChange={() => toggle(k.key)} />
                  <svg width="16" height="8" aria-hidden="true">
                    <line x1="0" y1="4" x2="16" y2="4" stroke={k.color} strokeWidth="3" />
                  </svg>
                  <span>{k.label}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <Table caption={t('models.rocOverlay.table')}>
          <thead>
            <tr>
              <Th>{t('models.rocOverlay.curve')}</Th>
              <Th className="break-all whitespace-normal">{t('models.compare.aCol', { name: c.a.name })}</Th>
              <Th className="break-all whitespace-normal">{t('models.compare.bCol', { name: c.b.name })}</Th>
              <Th>{t('models.compare.delta')}</Th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {CURVES.map((k) => {
              const a = k.of(ra.data)?.auc;
              const b = k.of(rb.data)?.auc;
              return (
                <Tr key={k.key}>
                  <Th scope="row" className="bg-white font-medium">
                    {k.label}
                  </Th>
                  <Td>{auc(a)}</Td>
                  <Td>{auc(b)}</Td>
                  <Td>{signed(a, b)}</Td>
                </Tr>
              );
            })}
          </tbody>
        </Table>
      </div>
    </div>
  );
}
