import type { GateResult } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { cx } from '../../ui/cx';
import { pct } from './model-format';

/** What the promotion gate measured and decided, in words. */
export function GateSummary({ gate }: { readonly gate: GateResult }) {
  return (
    <div role="status" className={cx('rounded-md border p-3', gate.passed ? 'border-green-300 bg-green-50 text-green-950' : 'border-red-300 bg-red-50 text-red-950')}>
      <p className="font-semibold">{t(gate.passed ? 'models.gate.passed' : 'models.gate.refused')}</p>
      <p>
        {t('models.gate.numbers', {
          candidate: pct(gate.candidate_accuracy),
          active: gate.active_accuracy === null ? t('models.gate.noActive') : pct(gate.active_accuracy),
          floor: pct(gate.floor),
          drop: pct(gate.max_drop),
        })}
      </p>
      {gate.failures.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {gate.failures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
