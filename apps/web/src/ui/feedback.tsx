import { t } from '../i18n/i18n';
import { Button } from './button';
import { cx } from './cx';

/**
 * A form's or a panel's failure, announced as soon as it appears. Renders the live region even
 * when empty so screen readers pick up the first message too.
 */
export function FormError({ message }: { readonly message: string | null }) {
  return (
    <div role="alert" className={message ? 'my-3 rounded-md border border-red-300 bg-red-50 p-3 text-red-900' : undefined}>
      {message}
    </div>
  );
}

/** A failed load: what went wrong and a way to try again. */
export function ErrorPanel({ message, onRetry }: { readonly message: string; readonly onRetry?: () => void }) {
  return (
    <div className="my-4 rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
      <p role="alert">{message}</p>
      {onRetry ? (
        <Button variant="secondary" size="sm" className="mt-3" onClick={onRetry}>
          {t('action.retry')}
        </Button>
      ) : null}
    </div>
  );
}

/** A spinner with its words (never a bare animation: screen readers hear the label). */
export function Loading({ label = t('state.loading'), className }: { readonly label?: string; readonly className?: string }) {
  return (
    <p role="status" className={cx('flex items-center gap-2 text-slate-700', className)}>
      <span aria-hidden="true" className="inline-block size-4 animate-spin rounded-full border-2 border-slate-300 border-t-blue-700" />
      {label}
    </p>
  );
}

export function EmptyState({ message = t('state.empty') }: { readonly message?: string }) {
  return <p className="my-6 text-center text-slate-700">{message}</p>;
}

/** A determinate progress bar (0..1) with its value in words for assistive tech. */
export function ProgressBar({ value, label }: { readonly value: number; readonly label: string }) {
  const pct = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="h-3 w-full overflow-hidden rounded-full bg-slate-200">
      <div className="h-full bg-blue-700 transition-[width]" style={{ width: `${pct}%` }} />
    </div>
  );
}

type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';
const TONES: Record<Tone, string> = {
  neutral: 'bg-slate-100 text-slate-800',
  good: 'bg-green-100 text-green-900',
  warn: 'bg-amber-100 text-amber-900',
  bad: 'bg-red-100 text-red-900',
  info: 'bg-blue-100 text-blue-900',
};

export function Badge({ tone = 'neutral', children }: { readonly tone?: Tone; readonly children: string }) {
  return <span className={cx('inline-block rounded-full px-2 py-0.5 text-sm font-medium', TONES[tone])}>{children}</span>;
}
