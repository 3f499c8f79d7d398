import { useState } from 'react';
import { toast } from 'sonner';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { ProgressBar } from '../../ui/feedback';
import { downloadName, percent, readingJson, saveBlob, topThree, type Reading } from './reading';

/** The answer: the digit large, confidence as a bar and a number, the top 3, the hint, what the model saw, the downloads. */
export function ReadResult({ reading, onAnother }: { readonly reading: Reading; readonly onAnother: () => void }) {
  const res = reading.response;
  const [pdfBusy, setPdfBusy] = useState(false);

  const downloadJson = (): void => {
    saveBlob(new Blob([JSON.stringify(readingJson(reading), null, 2)], { type: 'application/json' }), downloadName(reading, 'json'));
  };
  const downloadPdf = async (): Promise<void> => {
    setPdfBusy(true);
    try {
      // Its own chunk, with pdf-lib behind it: loaded on the first click only.
      const { readingPdf } = await import('./reading-pdf');
      const bytes = await readingPdf(reading);
      saveBlob(new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), downloadName(reading, 'pdf'));
    } catch {
      toast.error(t('read.pdfFailed'));
    } finally {
      setPdfBusy(false);
    }
  };

  return (
    <div>
      <div className="flex flex-wrap items-center gap-6">
        <div className="text-center">
          <p className="text-sm font-medium text-slate-700">{t('read.result.digit')}</p>
          <p data-testid="read-digit" className="text-8xl leading-none font-bold text-slate-900">
            {res.digit}
          </p>
        </div>
        {res.visual_png_b64 ? (
          <figure className="text-center">
            <img
              src={`data:image/png;base64,${res.visual_png_b64}`}
              alt={t('read.result.processedAlt')}
              width={112}
              height={112}
              className="size-28 rounded border border-slate-300 bg-black [image-rendering:pixelated]"
            />
            <figcaption className="mt-1 text-sm text-slate-700">{t('read.result.processed')}</figcaption>
          </figure>
        ) : null}
      </div>

      <div className="mt-6">
        <div className="mb-1 flex items-baseline justify-between gap-2">
          <span className="font-medium text-slate-900">
            {t('read.result.confidence')}
          </span>
          <span data-testid="read-confidence" className="font-semibold text-slate-900 tabular-nums">
            {t('read.result.confidenceValue', { percent: percent(res.confidence) })}
          </span>
        </div>
        <ProgressBar value={res.confidence} label={t('read.result.confidence')} />
      </div>

      {res.uncertain ? (
        <p className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 font-medium text-amber-900">{t('read.result.uncertain')}</p>
      ) : null}

      <h3 className="mt-6 mb-2 font-semibold text-slate-900">{t('read.result.top3')}</h3>
      <ol data-testid="read-top3" className="space-y-2">
        {topThree(res.probs).map((c) => (
          <li key={c.digit} className="flex items-center gap-3">
            <span className="w-28 shrink-0 text-slate-900 tabular-nums">{t('read.result.top3Item', { digit: c.digit, percent: percent(c.prob) })}</span>
            <span aria-hidden="true" className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200">
              <span className="block h-full bg-blue-700" style={{ width: `${Math.round(c.prob * 100)}%` }} />
            </span>
          </li>
        ))}
      </ol>

      <p className="mt-4 text-sm break-all text-slate-700">{t('read.result.model', { model: res.model_id })}</p>
      <p className="text-sm text-slate-700">{t('read.result.readAt', { time: new Date(reading.readAt).toLocaleString() })}</p>

      <div className="mt-6 flex flex-wrap gap-2">
        <Button variant="secondary" onClick={downloadJson}>
          {t('read.action.json')}
        </Button>
        <Button variant="secondary" onClick={() => void downloadPdf()} disabled={pdfBusy}>
          {pdfBusy ? t('read.action.pdfBusy') : t('read.action.pdf')}
        </Button>
        <Button onClick={onAnother}>{t('read.action.another')}</Button>
      </div>
    </div>
  );
}
