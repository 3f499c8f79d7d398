import { BENCHMARK_METRICS, BenchmarkMetric, CONSTRAINT_OPS, ConstraintOp } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { metricWord } from './benchmark-queries';
import { Button } from '../../ui/button';
import { SelectField, TextField } from '../../ui/field';

export interface ConstraintRow {
  readonly key: number;
  readonly metric: BenchmarkMetric;
  readonly op: ConstraintOp;
  /** As typed; parsed when the form is sent. */
  readonly value: string;
}

interface Props {
  readonly rows: readonly ConstraintRow[];
  readonly onChange: (rows: ConstraintRow[]) => void;
}

const MAX_ROWS = 20;

/** Constraint rows (metric, operator, value), each checked per engine and batch size by the trainer. */
export function ConstraintsEditor({ rows, onChange }: Props) {
  const update = (key: number, patch: Partial<ConstraintRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () => onChange([...rows, { key: Math.max(0, ...rows.map((r) => r.key)) + 1, metric: 'p99_ms', op: '<', value: '' }]);
  return (
    <fieldset className="mb-4 min-w-0">
      <legend className="mb-1 font-medium text-slate-900">{t('benchmarks.form.constraints')}</legend>
      <p className="mb-3 text-sm text-slate-700">{t('benchmarks.form.constraintsHint')}</p>
      {rows.length === 0 ? <p className="mb-3 text-slate-800">{t('benchmarks.form.noConstraints')}</p> : null}
      <ol className="space-y-2">
        {rows.map((r, i) => (
          <li key={r.key} className="grid grid-cols-1 items-end gap-x-3 rounded-md border border-slate-200 p-3 sm:grid-cols-[minmax(0,1fr)_6rem_minmax(0,1fr)_auto]">
            <SelectField
              label={t('benchmarks.form.metric', { n: i + 1 })}
              value={r.metric}
              onChange={(e) => update(r.key, { metric: BenchmarkMetric.parse(e.target.value) })}
              options={BENCHMARK_METRICS.map((m) => ({ value: m, label: metricWord(m) }))}
            />
            <SelectField label={t('benchmarks.form.op', { n: i + 1 })} value={r.op} onChange={(e) => update(r.key, { op: ConstraintOp.parse(e.target.value) })} options={CONSTRAINT_OPS.map((o) => ({ value: o, label: o }))} />
            <TextField label={t('benchmarks.form.value', { n: i + 1 })} name={`constraint-${r.key}`} inputMode="decimal" value={r.value} onChange={(e) => update(r.key, { value: e.target.value })} />
            <Button variant="secondary" className="mb-4" onClick={() => onChange(rows.filter((x) => x.key !== r.key))}>
              {t('benchmarks.form.remove', { n: i + 1 })}
            </Button>
          </li>
        ))}
      </ol>
      <Button variant="secondary" className="mt-3" disabled={rows.length >= MAX_ROWS} onClick={add}>
        {t('benchmarks.form.addConstraint')}
      </Button>
    </fieldset>
  );
}
