import { t } from '../../i18n/i18n';
import { cx } from '../../ui/cx';
import type { Cell } from './models-queries';

/*
 * A confusion matrix as an HTML table whose cells are coloured by how much of their row they hold:
 * blue on the diagonal (read right), red off it (misread). Every cell shows its number too, so the
 * colour is never the only way to tell. Text colours are chosen per shade for AA contrast.
 */

const BLUE = ['bg-white text-slate-900', 'bg-blue-50 text-slate-900', 'bg-blue-200 text-slate-900', 'bg-blue-400 text-slate-950', 'bg-blue-700 text-white', 'bg-blue-900 text-white'] as const;
const RED = ['bg-white text-slate-900', 'bg-red-50 text-slate-900', 'bg-red-200 text-slate-900', 'bg-red-400 text-slate-950', 'bg-red-700 text-white', 'bg-red-900 text-white'] as const;
const GREEN = ['bg-white text-slate-900', 'bg-green-50 text-slate-900', 'bg-green-200 text-slate-900', 'bg-green-400 text-slate-950', 'bg-green-700 text-white', 'bg-green-900 text-white'] as const;

/** The shade (0..5) of a share of the row. */
function shareLevel(share: number): number {
  if (share <= 0) return 0;
  if (share <= 0.01) return 1;
  if (share <= 0.05) return 2;
  if (share <= 0.2) return 3;
  if (share <= 0.6) return 4;
  return 5;
}

/** The shade (0..5) of a difference in images. */
function diffLevel(d: number): number {
  const n = Math.abs(d);
  if (n === 0) return 0;
  if (n <= 2) return 1;
  if (n <= 9) return 2;
  if (n <= 29) return 3;
  if (n <= 99) return 4;
  return 5;
}

interface HeatmapProps {
  readonly caption: string;
  /** counts[true][predicted]; in `difference` mode, B − A. */
  readonly counts: readonly (readonly number[])[];
  readonly mode?: 'counts' | 'difference';
  /** Clickable cells (the images behind them): each is a button. */
  readonly onSelect?: (cell: Cell) => void;
  readonly selected?: Cell | null;
}

export function ConfusionHeatmap({ caption, counts, mode = 'counts', onSelect, selected }: HeatmapProps) {
  const rowTotals = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const labels = counts.map((_, i) => i);
  const classOf = (truth: number, predicted: number, n: number): string => {
    if (mode === 'difference') {
      // B − A: more right answers on the diagonal, fewer misreads off it, is better.
      const better = truth === predicted ? n > 0 : n < 0;
      return (better ? GREEN : RED)[diffLevel(n)] ?? '';
    }
    const share = (rowTotals[truth] ?? 0) > 0 ? n / (rowTotals[truth] ?? 1) : 0;
    return (truth === predicted ? BLUE : RED)[shareLevel(share)] ?? '';
  };
  const shown = (n: number): string => (mode === 'difference' && n > 0 ? `+${n}` : String(n));
  return (
    <div>
      {/* relative: the sr-only header words are absolutely positioned; without it they escape this scroll box and widen the page. */}
      <div className="relative w-full overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label={caption}>
        <table className="mx-auto border-collapse text-center text-sm tabular-nums">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="px-1 py-1 text-xs font-semibold text-slate-800">
                {t('models.cm.corner')}
              </th>
              {labels.map((p) => (
                <th key={p} scope="col" className="min-w-8 px-1 py-1 font-semibold text-slate-900">
                  <span className="sr-only">{t('models.cm.readAs')} </span>
                  {p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {counts.map((row, truth) => (
              <tr key={truth}>
                <th scope="row" className="px-2 py-1 font-semibold text-slate-900">
                  <span className="sr-only">{t('models.cm.trueDigit')} </span>
                  {truth}
                </th>
                {row.map((n, predicted) => {
                  const label = t(mode === 'difference' ? 'models.cm.cellDiff' : 'models.cm.cell', { truth, predicted, n: shown(n) });
                  const isSelected = selected?.true === truth && selected.predicted === predicted;
                  const tone = classOf(truth, predicted, n);
                  return (
                    <td key={predicted} className="border border-slate-200 p-0">
                      {onSelect ? (
                        <button
                          type="button"
                          aria-label={label}
                          aria-pressed={isSelected}
                          onClick={() => onSelect({ true: truth, predicted })}
                          className={cx(
                            'block min-h-9 w-full min-w-9 px-1 py-1.5 focus-visible:outline-3 focus-visible:-outline-offset-3 focus-visible:outline-amber-500',
                            tone,
                            isSelected && 'outline-3 -outline-offset-3 outline-amber-500',
                          )}
                        >
                          {shown(n)}
                        </button>
                      ) : (
                        <span aria-label={label} role="img" className={cx('block min-h-9 min-w-9 px-1 py-1.5', tone)}>
                          {shown(n)}
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-2 text-sm text-slate-800">{t(mode === 'difference' ? 'models.cm.legendDiff' : 'models.cm.legend')}</p>
    </div>
  );
}
