import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';

/**
 * The canvas's backing store, in pixels, whatever its size on screen. The server resizes an image
 * only when its longest side is over 256 (PIPELINE_PARAMS.working.maxSide), so at 256 the browser
 * and the server preprocess the very same pixels.
 */
export const CANVAS_SIDE = 256;
/** Stroke width in backing pixels: about MNIST's pen relative to its box once the digit is scaled to 20 px. */
export const STROKE_WIDTH = 16;

export interface InkCallbacks {
  readonly onStrokeStart: () => void;
  readonly onInk: () => void;
  readonly onStrokeEnd: () => void;
}

function paper(ctx: CanvasRenderingContext2D): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, CANVAS_SIDE, CANVAS_SIDE);
  ctx.fillStyle = '#000000';
  ctx.strokeStyle = '#000000';
  ctx.lineWidth = STROKE_WIDTH;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
}

/**
 * Black round strokes on opaque white, from any pointer (mouse, finger, pen). One pointer draws at
 * a time; the canvas keeps it captured so a stroke leaving the box still ends cleanly.
 */
export function useInkCanvas(callbacks: InkCallbacks) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const ctxRef = useRef<CanvasRenderingContext2D | null>(null);
  const active = useRef<{ id: number; x: number; y: number } | null>(null);
  const cb = useRef(callbacks);
  cb.current = callbacks;
  const [hasInk, setHasInk] = useState(false);

  useEffect(() => {
    const canvas = canvasRef.current;
    // Read back on every live run: keep the pixels on the CPU side.
    const ctx = canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
    if (!ctx) return;
    ctxRef.current = ctx;
    paper(ctx);
  }, []);

  const pointOf = (e: { clientX: number; clientY: number }): { x: number; y: number } | null => {
    const canvas = canvasRef.current;
    if (!canvas) return null;
    const box = canvas.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return null;
    // The canvas may be shown smaller than its backing store (phones): map CSS pixels to backing pixels.
    return { x: ((e.clientX - box.left) * CANVAS_SIDE) / box.width, y: ((e.clientY - box.top) * CANVAS_SIDE) / box.height };
  };

  const onPointerDown = useCallback((e: ReactPointerEvent<HTMLCanvasElement>) => {
    const ctx = ctxRef.current;
    if (!ctx || active.current || (e.pointerType === 'mouse' && e.button !== 0)) return;
    const p = pointOf(e);
    if (!p) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    active.current = { id: e.pointerId, ...p };
    ctx.beginPath();
    ctx.arc(p.x, p.y, STROKE_WIDTH / 2, 0, Math.PI * 2);
    ctx.fill();
    setHasInk(true);
    cb.current.onStrokeStart();
  }, []);

  const onPointerMove = useCallback((e: ReactPointerEvent<HTMLCanvasElement>) => {
    const ctx = ctxRef.current;
    const from = active.current;
    if (!ctx || !from || from.id !== e.pointerId) return;
    // Fast strokes deliver several positions per frame; drawing them all keeps curves round.
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    const points = (events.length > 0 ? events : [e.nativeEvent]).map(pointOf).filter((p) => p !== null);
    if (points.length === 0) return;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    for (const p of points) ctx.lineTo(p.x, p.y);
    ctx.stroke();
    const last = points[points.length - 1] ?? from;
    active.current = { id: from.id, x: last.x, y: last.y };
    cb.current.onInk();
  }, []);

  const onPointerEnd = useCallback((e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (active.current?.id !== e.pointerId) return;
    active.current = null;
    cb.current.onStrokeEnd();
  }, []);

  const clear = useCallback(() => {
    const ctx = ctxRef.current;
    if (!ctx) return;
    active.current = null;
    paper(ctx);
    setHasInk(false);
  }, []);

  /** The drawing's RGBA pixels, as the live model reads them. */
  const pixels = useCallback((): ImageData | null => ctxRef.current?.getImageData(0, 0, CANVAS_SIDE, CANVAS_SIDE) ?? null, []);

  /** The drawing as the PNG the server reads (lossless: the same pixels `pixels()` gives). */
  const toPng = useCallback(
    () =>
      new Promise<File | null>((resolve) => {
        const canvas = canvasRef.current;
        if (!canvas) return resolve(null);
        canvas.toBlob((blob) => resolve(blob ? new File([blob], 'drawing.png', { type: 'image/png' }) : null), 'image/png');
      }),
    [],
  );

  return { canvasRef, hasInk, clear, pixels, toPng, handlers: { onPointerDown, onPointerMove, onPointerUp: onPointerEnd, onPointerCancel: onPointerEnd } };
}
