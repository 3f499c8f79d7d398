import { useState } from 'react';
import type { RocCurveView } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { CurveChart, DIGIT_COLORS, MACRO_COLOR, MICRO_COLOR, type Series } from './curve-chart';

const auc = (v: number | null): string => (v === null ? t('state.none') : v.toFixed(4));

/** One-vs-rest ROC curves per digit and the micro/macro averages, each shown or hidden by its own checkbox. */
export function RocPanel({ roc }: { readonly roc: RocCurveView }) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const all: (Series & { readonly auc: number | null })[] = [
    ...roc.per_class.map((c) => ({ key: `d${c.label}`, label: t('models.roc.digit', { digit: c.label }), color: DIGIT_COLORS[c.label % DIGIT_COLORS.length] ?? MICRO_COLOR, x: c.fpr, y: c.tpr, auc: c.auc })),
    { key: 'micro', label: t('models.roc.micro'), color: MICRO_COLOR, dash: '6 3', x: roc.micro.fpr, y: roc.micro.tpr, auc: roc.micro.auc },
    { key: 'macro', label: t('models.roc.macro'), color: MACRO_COLOR, dash: '2 2', x: roc.macro.fpr, y: roc.macro.tpr, auc: roc.macro.auc },
  ];
  return (
    <div className="grid gap-4 md:grid-cols-[minmax(0,22rem)_minmax(0,1fr)] [&>*]:min-w-0">
      <CurveChart label={t('models.roc.chart')} xLabel={t('models.roc.x')} yLabel={t('models.roc.y')} diagonal series={all.filter((s) => !hidden.has(s.key))} />
      <fieldset className="min-w-0">
        <legend className="mb-2 font-medium text-slate-900">{t('models.roc.toggle')}</legend>
        <ul className="grid grid-cols-1 gap-1 sm:grid-cols-2">
          {all.map((s) => (
            <li key={s.key}>
              <label className="flex min-h-8 items-center gap-2 text-slate-900">
                <input type="checkbox" className="size-4 accent-blue-700" checked={!hidden.has(s.key)} onChange={() => toggle(s.key)} />
                <svg width="20" height="8" aria-hidden="true">
                  <line x1="0" y1="4" x2="20" y2="4" stroke={s.color} strokeWidth="3" strokeDasharray={s.dash} />
                </svg>
                <span>{t('models.roc.item', { label: s.label, auc: auc(s.auc) })}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
    </div>
  );
}
