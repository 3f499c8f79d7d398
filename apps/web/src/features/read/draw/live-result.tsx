import { useId } from 'react';
import { t } from '../../../i18n/i18n';
import { Loading } from '../../../ui/feedback';
import { Table, Td, Th, Tr } from '../../../ui/table';
import { percent, topThree } from '../reading';
import type { LiveReading, LoadFailure } from './live-model';
import type { LiveState } from './live-scheduler';


function failureText(f: LoadFailure): string {
  const reason =
    f.kind === 'download' ? t('draw.modelFailed.download', { status: f.status }) : f.kind === 'checksum' ? t('draw.modelFailed.checksum') : t('draw.modelFailed.runtime', { detail: f.detail });
  return t('draw.modelFailed', { reason });
}

/** Words for the screen-reader announcement made when a stroke ends. */
export function announcementText(reading: LiveReading | null): string {
  if (!reading) return '';
  if (reading.kind === 'no_digit') return t('draw.announceNone');
  const best = topThree(reading.probs)[0];
  return best ? t('draw.announce', { digit: best.digit, pct: percent(best.prob) }) : '';
}

function Probabilities({ probs }: { readonly probs: readonly number[] }) {
  const top = topThree(probs);
  const best = top[0];
  if (!best) return null;
  return (
    <>
      <p className="flex items-baseline gap-2 text-lg font-semibold text-slate-900">
        {t('draw.looksLike')}
        <span className="text-5xl leading-none font-bold text-blue-800" data-testid="live-digit">
          {best.digit}
        </span>
      </p>
      <p className="mt-2 text-slate-800">{t('draw.confidence', { pct: percent(best.prob) })}</p>
      <div aria-hidden="true" className="mt-1 h-2 w-full overflow-hidden rounded-full bg-slate-200">
        <div className="h-full bg-blue-700" style={{ width: `${Math.round(best.prob * 100)}%` }} />
      </div>
      <h4 className="mt-3 font-medium text-slate-900">{t('draw.top3')}</h4>
      <ol className="mt-1 space-y-0.5 text-slate-800">
        {top.map((r) => (
          <li key={r.digit}>{t('draw.topItem', { digit: r.digit, pct: percent(r.prob) })}</li>
        ))}
      </ol>
      <details className="mt-3">
        <summary className="cursor-pointer rounded text-blue-800 underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700">{t('draw.allProbs')}</summary>
        <Table caption={t('draw.allProbsCaption')} className="mt-2">
          <thead>
            <Tr>
              <Th>{t('draw.colDigit')}</Th>
              <Th>{t('draw.colProb')}</Th>
            </Tr>
          </thead>
          <tbody>
            {probs.map((p, digit) => (
              <Tr key={digit}>
                <Td>{digit}</Td>
                <Td className="font-mono tabular-nums">{p.toFixed(6)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </details>
    </>
  );
}

/**
 * The live guess: not a live region itself (it changes ten times a second while drawing); the
 * panel's status line announces it once per stroke.
 */
export function LiveResult({ state }: { readonly state: LiveState }) {
  const { model, reading, updating } = state;
  const titleId = useId();
  let body;
  if (model.kind === 'failed') body = <p className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">{failureText(model.failure)}</p>;
  else if (model.kind === 'loading') body = <Loading label={t('draw.modelLoading')} />;
  else if (!reading) body = <p className="text-slate-700">{model.kind === 'idle' ? t('draw.idle') : t('draw.keepDrawing')}</p>;
  else if (reading.kind === 'no_digit') body = <p className="text-slate-800">{t('draw.keepDrawing')}</p>;
  else body = <Probabilities probs={reading.probs} />;
  return (
    <section aria-labelledby={titleId} aria-busy={updating || model.kind === 'loading'} className="min-w-0 flex-1">
      <h3 id={titleId} className="mb-2 font-semibold text-slate-900">
        {t('draw.liveTitle')}
      </h3>
      {body}
    </section>
  );
}
