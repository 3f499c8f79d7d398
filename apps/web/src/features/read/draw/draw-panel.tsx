import { useEffect, useId, useRef, useState } from 'react';
import { t } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { Card } from '../../../ui/card';
import { LiveResult, announcementText } from './live-result';
import { INITIAL_LIVE_STATE, LiveScheduler, noteServerModel, type LiveState } from './live-scheduler';
import { CANVAS_SIDE, useInkCanvas } from './use-ink-canvas';

export interface DrawPanelProps {
  /** Sends the drawing (a 256x256 PNG) to the server; the page shows the server's answer. */
  readonly onRead: (file: File) => void;
  /** True while the page's read is in flight. */
  readonly busy: boolean;
  /** The set the server's last answer came from: the live guess must run the same one. */
  readonly serverModelId: string | null;
}

/**
 * Draw a digit: a canvas for mouse, finger or pen, a guess computed in the browser that updates
 * while drawing (onnxruntime-web and the served model, loaded on the first stroke), and a button
 * for the server's authoritative answer to the same pixels.
 */
export function DrawPanel({ onRead, busy, serverModelId }: DrawPanelProps) {
  const titleId = useId();
  const helpId = useId();
  const [live, setLive] = useState<LiveState>(INITIAL_LIVE_STATE);
  const scheduler = useRef<LiveScheduler | null>(null);
  const ink = useInkCanvas({
    onStrokeStart: () => scheduler.current?.strokeStarted(),
    onInk: () => scheduler.current?.inkAdded(),
    onStrokeEnd: () => scheduler.current?.strokeEnded(),
  });
  const { pixels } = ink;

  useEffect(() => {
    const s = new LiveScheduler(pixels, setLive);
    scheduler.current = s;
    return () => {
      s.dispose();
      scheduler.current = null;
    };
  }, [pixels]);

  useEffect(() => {
    if (serverModelId) noteServerModel(serverModelId);
  }, [serverModelId]);

  const clear = () => {
    ink.clear();
    scheduler.current?.cleared();
  };

  const readOnServer = async () => {
    const file = await ink.toPng();
    if (file) onRead(file);
  };

  return (
    <Card aria-labelledby={titleId}>
      <h2 id={titleId} className="mb-1 text-xl font-semibold text-slate-900">
        {t('draw.title')}
      </h2>
      <p id={helpId} className="mb-4 text-slate-700">
        {t('draw.instructions')}
      </p>
      <div className="flex flex-col gap-6 sm:flex-row sm:items-start">
        <div className="w-64 max-w-full shrink-0">
          <div className="overflow-hidden rounded-md border-2 border-slate-400 bg-white">
            {/* touch-none: the page must not scroll or zoom under a finger that is drawing. */}
            <canvas
              ref={ink.canvasRef}
              width={CANVAS_SIDE}
              height={CANVAS_SIDE}
              role="img"
              aria-label={t('draw.canvasLabel')}
              aria-describedby={helpId}
              className="block aspect-square w-full cursor-crosshair touch-none select-none"
              {...ink.handlers}
            />
          </div>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button variant="secondary" onClick={clear}>
              {t('draw.clear')}
            </Button>
            <Button onClick={() => void readOnServer()} disabled={busy || !ink.hasInk} aria-busy={busy}>
              {busy ? t('draw.reading') : t('draw.readOnServer')}
            </Button>
          </div>
        </div>
        <LiveResult state={live} />
      </div>
      {/* Announced once per stroke, when it ends: the visible guess changes too often to be read out. */}
      <p role="status" className="sr-only" data-testid="live-announcement">
        {announcementText(live.announcement)}
      </p>
    </Card>
  );
}
