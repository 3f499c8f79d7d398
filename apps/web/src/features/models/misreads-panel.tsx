import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { ErrorPanel, Loading } from '../../ui/feedback';
import { useMisreads, type Cell } from './models-queries';

/** The test images behind the chosen confusion-matrix cell, as the version's stored predictions say. */
export function MisreadsPanel({ id, cell }: { readonly id: string; readonly cell: Cell | null }) {
  const misreads = useMisreads(id, cell);
  if (!cell) return <p className="mt-4 text-slate-800">{t('models.misreads.hint')}</p>;
  const right = cell.true === cell.predicted;
  const title = t(right ? 'models.misreads.titleRight' : 'models.misreads.title', { truth: cell.true, predicted: cell.predicted });
  return (
    <section aria-labelledby="misreads-title" className="mt-4">
      <h3 id="misreads-title" className="mb-2 text-lg font-semibold text-slate-900">
        {title}
      </h3>
      <div aria-live="polite">
        {misreads.isPending ? (
          <Loading label={t('models.misreads.loading')} />
        ) : misreads.isError ? (
          <ErrorPanel message={errorMessage(misreads.error)} onRetry={() => void misreads.refetch()} />
        ) : misreads.data.total === 0 ? (
          <p className="text-slate-800">{t(right ? 'models.misreads.noneRight' : 'models.misreads.none', { truth: cell.true, predicted: cell.predicted })}</p>
        ) : (
          <>
            <p className="mb-2 text-slate-800">{t('models.misreads.count', { shown: misreads.data.items.length, total: misreads.data.total })}</p>
            <ul className="grid grid-cols-[repeat(auto-fill,minmax(4.5rem,1fr))] gap-2" aria-label={title}>
              {misreads.data.items.map((m) => (
                <li key={m.index} className="rounded border border-slate-200 bg-white p-1 text-center">
                  <img
                    src={`data:image/png;base64,${m.png_b64}`}
                    width={56}
                    height={56}
                    className="mx-auto [image-rendering:pixelated]"
                    alt={t('models.misreads.alt', { index: m.index, truth: cell.true, predicted: cell.predicted })}
                  />
                  <span className="text-xs text-slate-800">#{m.index}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
