import { useEffect, useId, useRef } from 'react';
import type { Dataset } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { Card } from '../../ui/card';
import { formatCount } from './datasets-queries';

type Stats = NonNullable<Dataset['stats']>;

/** One bar per digit, as a list (each item's words are its number), so it reads without the picture. */
function ClassBars({ counts }: { readonly counts: readonly number[] }) {
  const id = useId();
  const most = Math.max(1, ...counts);
  return (
    <div>
      <h3 id={id} className="mb-2 font-semibold text-slate-900">
        {t('datasets.stats.classes')}
      </h3>
      <ul aria-labelledby={id} className="space-y-1">
        {counts.map((n, digit) => (
          <li key={digit} className="grid grid-cols-[7.5rem_1fr] items-center gap-2 text-sm text-slate-900">
            <span className="whitespace-nowrap tabular-nums">{t('datasets.stats.classBar', { digit, n: formatCount(n) })}</span>
            <span aria-hidden="true" className="block h-4 rounded-sm bg-slate-100">
              <span className="block h-4 rounded-sm bg-blue-700" style={{ width: `${(n / most) * 100}%` }} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The 28x28 mean digit, drawn at 6x on a canvas (784 pixels; an SVG of 784 rects is heavier). */
function MeanImage({ pixels }: { readonly pixels: readonly number[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(28, 28);
    // The stats hold mean pixel values 0..255 (white ink on black, as MNIST stores digits).
    const most = Math.max(1, ...pixels);
    pixels.forEach((v, i) => {
      const g = Math.round((v / most) * 255);
      image.data.set([g, g, g, 255], i * 4);
    });
    ctx.putImageData(image, 0, 0);
  }, [pixels]);
  return (
    <figure>
      <figcaption className="mb-2 font-semibold text-slate-900">{t('datasets.stats.meanImage')}</figcaption>
      <canvas ref={canvas} width={28} height={28} role="img" aria-label={t('datasets.stats.meanImageAlt')} className="size-40 rounded border border-slate-300 [image-rendering:pixelated]" />
    </figure>
  );
}

/** 256 bars of log-scaled counts: pixel 0 outnumbers the rest a hundredfold, so linear bars would show one spike. */
function PixelHistogram({ counts }: { readonly counts: readonly number[] }) {
  const total = Math.max(1, counts.reduce((a, b) => a + b, 0));
  const top = Math.log1p(Math.max(1, ...counts));
  const pct = (n: number): string => ((n / total) * 100).toFixed(1);
  return (
    <figure className="min-w-0">
      <figcaption className="mb-2 font-semibold text-slate-900">{t('datasets.stats.histogram')}</figcaption>
      <svg viewBox="0 0 256 100" preserveAspectRatio="none" role="img" aria-label={t('datasets.stats.histogramAlt', { zero: pct(counts[0] ?? 0), full: pct(counts[255] ?? 0) })} className="h-40 w-full rounded border border-slate-300 bg-white">
        {counts.map((n, v) => {
          const h = (Math.log1p(n) / top) * 100;
          return <rect key={v} x={v} y={100 - h} width={1} height={h} className="fill-blue-700" />;
        })}
      </svg>
      <p className="mt-1 text-sm text-slate-700">{t('datasets.stats.histogramAxis')}</p>
    </figure>
  );
}

export function DatasetStats({ stats }: { readonly stats: Stats }) {
  const id = useId();
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-1 text-xl font-semibold text-slate-900">
        {t('datasets.stats.title')}
      </h2>
      <p className="mb-4 text-slate-700">{t('datasets.stats.count', { n: formatCount(stats.count), duplicates: formatCount(stats.duplicate_count) })}</p>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr_2fr]">
        <ClassBars counts={stats.class_counts} />
        <MeanImage pixels={stats.mean_image} />
        <PixelHistogram counts={stats.pixel_histogram} />
      </div>
    </Card>
  );
}
