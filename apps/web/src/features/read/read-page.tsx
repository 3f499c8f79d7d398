import { useMutation } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { ReadAnyResponse } from '@inkwell/contracts';
import { ApiError } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { upload } from '../../api/upload';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Card, PageHeader } from '../../ui/card';
import { ErrorBoundary } from '../../ui/error-boundary';
import { ErrorPanel, FormError, Loading } from '../../ui/feedback';
import { checkImage, limitText } from './check-image';
import { ImagePicker } from './image-picker';
import { useNoStrayDrops, useObjectUrl, usePastedFile, useReadLimits } from './read-hooks';
import { ReadResult } from './read-result';
import type { Reading } from './reading';

interface ReadRequest {
  readonly file: File;
  readonly signal: AbortSignal;
}

async function readImage({ file, signal }: ReadRequest): Promise<Reading> {
  const form = new FormData();
  form.append('file', file, file.name || 'image');
  form.append('visualize', 'true');
  // The table's schema for /v1/read covers both modes; this page asks for one digit (no mode),
  // so the number shape would be the server answering something else than asked.
  const response = await upload('/v1/read', { args: {}, form, schema: ReadAnyResponse, signal });
  if ('mode' in response) throw new ApiError(200, null, t('error.unreadable'));
  return { response, fileName: file.name, readAt: new Date().toISOString() };
}

// The drawing panel (its own chunk; onnxruntime-web loads later still, on the first stroke).
const DrawPanel = lazy(async () => ({ default: (await import('./draw/draw-panel')).DrawPanel }));

// Asking again helps only when the server could not answer (unreachable, busy, slow); a refused
// file stays refused.
const worthRetrying = (e: unknown): boolean => e instanceof ApiError && (e.status === 0 || e.status >= 500);

/** The guest reader at `/`: choose (drop, pick, paste, photograph) an image, check it, read it, show and download the answer. */
export function ReadPage() {
  const limits = useReadLimits();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const preview = useObjectUrl(file);
  const read = useMutation({ mutationFn: readImage });
  const inFlight = useRef<AbortController | null>(null);
  // Checks are async (the first bytes are read); only the latest choice may land.
  const choice = useRef(0);
  const zone = useRef<HTMLButtonElement>(null);
  const resultBox = useRef<HTMLDivElement>(null);

  const cancel = (): void => {
    inFlight.current?.abort();
    inFlight.current = null;
    read.reset();
  };
  const start = (f: File): void => {
    cancel();
    const controller = new AbortController();
    inFlight.current = controller;
    read.mutate({ file: f, signal: controller.signal });
  };
  const choose = async (next: File, thenRead: boolean): Promise<void> => {
    const mine = ++choice.current;
    cancel();
    setProblem(null);
    const why = await checkImage(next, limits.data);
    if (mine !== choice.current) return;
    setFile(why ? null : next);
    setProblem(why);
    if (!why && thenRead) start(next);
  };
  const another = (): void => {
    choice.current++;
    cancel();
    setFile(null);
    setProblem(null);
    zone.current?.focus();
  };

  // On one column the answer can be below the fold (after drawing, say); bring it into view.
  useEffect(() => {
    if (read.data) resultBox.current?.scrollIntoView({ block: 'nearest' });
  }, [read.data]);

  usePastedFile((f) => void choose(f, false), !read.isPending);
  useNoStrayDrops();

  const hint = limits.data ? t('read.choose.types', { limit: limitText(limits.data) }) : t('read.choose.typesNoLimit');

  return (
    <>
      <PageHeader title={t('read.title')} description={t('read.intro')} />
      {/* One column on phones in the order choose, result, draw (the answer right under the image);
          two on wide screens, the result on the right beside both ways in. */}
      <div className="grid gap-6 lg:grid-cols-2 lg:grid-rows-[auto_1fr]">
        <Card aria-labelledby="read-choose-title" className="min-w-0 lg:col-start-1 lg:row-start-1">
          <h2 id="read-choose-title" className="mb-4 text-xl font-semibold text-slate-900">
            {t('read.choose.title')}
          </h2>
          <ImagePicker onFile={(f) => void choose(f, false)} disabled={read.isPending} hint={hint} zoneRef={zone} />
          <FormError message={problem} />
          {file && preview ? (
            <figure className="mt-4">
              <img src={preview} alt={t('read.preview.alt', { name: file.name })} className="max-h-64 w-auto max-w-full rounded border border-slate-300 bg-white object-contain" />
              <figcaption className="mt-2 text-sm break-all text-slate-700">
                {t('read.preview.size', { name: file.name, size: Math.max(1, Math.round(file.size / 1024)) })}
              </figcaption>
              {read.data ? null : (
                <Button className="mt-3" onClick={() => start(file)} disabled={read.isPending}>
                  {read.isPending ? t('read.action.reading') : t('read.action.read')}
                </Button>
              )}
            </figure>
          ) : null}
        </Card>
        <div ref={resultBox} className="min-w-0 lg:col-start-2 lg:row-span-2 lg:row-start-1 lg:self-start">
          <Card aria-labelledby="read-result-title">
            <h2 id="read-result-title" className="mb-4 text-xl font-semibold text-slate-900">
              {t('read.result.title')}
            </h2>
            <div aria-live="polite">
              {read.isPending ? (
                <p className="flex items-center gap-2 text-slate-700">
                  <span aria-hidden="true" className="inline-block size-4 animate-spin rounded-full border-2 border-slate-300 border-t-blue-700" />
                  {t('read.result.reading')}
                </p>
              ) : read.isError ? (
                <ErrorPanel message={errorMessage(read.error)} onRetry={worthRetrying(read.error) && file ? () => start(file) : undefined} />
              ) : read.data ? (
                <ReadResult reading={read.data} onAnother={another} />
              ) : (
                <p className="text-slate-700">{t('read.result.empty')}</p>
              )}
            </div>
          </Card>
        </div>

        <div className="min-w-0 lg:col-start-1 lg:row-start-2 lg:self-start">
          <ErrorBoundary what={t('boundary.drawPad')}>
            <Suspense fallback={<Loading />}>
              <DrawPanel
                onRead={(f) => {
                  choice.current++;
                  setFile(f);
                  setProblem(null);
                  start(f);
                }}
                busy={read.isPending}
                serverModelId={read.data?.response.model_id ?? null}
              />
            </Suspense>
          </ErrorBoundary>
        </div>
      </div>
    </>
  );
}
