import { Router, type Request, type Response } from 'express';
import { AppError, type Identity, type PredictNumberResponse, type PredictResponse, ReadFields, type ReadNumberResponse, type ReadResponse } from '@inkwell/contracts';
import { parse, requestIdOf } from '@inkwell/http';
import type { InferenceMetrics } from '../metrics/inference-metrics';
import type { ImageRetention } from '../retention/image-retention';
import type { PredictionAudit } from '../audit/prediction-audit';
import type { UsageRecorder } from '../usage/usage-recorder';
import type { DigitReading, NumberReading } from './read.service';
import { type Reader, readErrorCode, topClasses } from './reader';
import { fileSentAsText, singleImageUpload } from './upload';

export interface ReadRouteDeps {
  /** Reads the image; the routes add only HTTP: the form, admission, usage and retention. */
  readonly reader: Reader;
  readonly maxUploadBytes: number;
  readonly admission: Admission;
  readonly usage?: UsageRecorder;
  /** Counts each read per caller per minute for the audit log. */
  readonly audit?: PredictionAudit;
  readonly retention?: ImageRetention;
  readonly metrics?: InferenceMetrics;
}

/**
 * Bounds the requests the engine holds. A request is refused at once if the service is full when
 * it arrives, but takes its place only once its body has arrived: a client trickling its upload
 * must not hold a place meant for work the engine can do (README, "How a read runs").
 */
export class Admission {
  inFlight = 0;
  constructor(readonly limit: number) {}

  get full(): boolean {
    return this.inFlight >= this.limit;
  }

  /** Takes a place until `res` closes; false (and no place) when the service is full. */
  claim(res: { once(event: 'close', listener: () => void): unknown }): boolean {
    if (this.full) return false;
    this.inFlight++;
    res.once('close', () => this.inFlight--);
    return true;
  }
}

const queueFull = (): AppError => new AppError('service_unavailable', 'Inference queue is full; retry shortly', undefined, { 'Retry-After': '1' });

/** What a failed read counts as: an upload cut short because the client left is not a malformed form. */
const outcomeOf = (err: unknown, req: Request, res: Response): string =>
  req.socket.destroyed && !res.headersSent ? 'client_closed' : readErrorCode(err);

type Shape = (r: DigitReading, elapsedMs: number) => ReadResponse | PredictResponse;
type NumberShape = (r: NumberReading, elapsedMs: number) => ReadNumberResponse | PredictNumberResponse;

const toRead: Shape = (r) => ({
  digit: r.digit,
  confidence: r.confidence,
  probs: [...r.probs],
  model_id: r.modelId,
  visual_png_b64: r.visualPng ? Buffer.from(r.visualPng).toString('base64') : null,
  uncertain: r.uncertain,
  engine: r.engine,
});

const toPredict: Shape = (r, elapsedMs) => {
  const top3 = topClasses(r.probs, 3);
  return {
    digit: r.digit,
    confidence: Math.round(r.confidence * 10_000) / 100,
    processing_time_ms: Math.round(elapsedMs * 1000) / 1000,
    probs: [...r.probs],
    top3,
    uncertain: r.uncertain,
    model_id: r.modelId,
    ...(r.visualPng ? { visual_png_b64: Buffer.from(r.visualPng).toString('base64') } : {}),
  };
};

const percent = (p: number): number => Math.round(p * 10_000) / 100;

const toReadNumber: NumberShape = (r) => ({
  mode: 'number',
  number: r.number,
  confidence: r.confidence,
  digits: r.digits.map((d) => ({ digit: d.digit, confidence: d.confidence, probs: [...d.probs], top3: topClasses(d.probs, 3), box: d.box, uncertain: d.uncertain })),
  model_id: r.modelId,
  uncertain: r.uncertain,
  engine: r.engine,
});

const toPredictNumber: NumberShape = (r, elapsedMs) => ({
  mode: 'number',
  number: r.number,
  confidence: percent(r.confidence),
  processing_time_ms: Math.round(elapsedMs * 1000) / 1000,
  digits: r.digits.map((d) => ({ digit: d.digit, confidence: percent(d.confidence), probs: [...d.probs], top3: topClasses(d.probs, 3), box: d.box, uncertain: d.uncertain })),
  model_id: r.modelId,
  uncertain: r.uncertain,
});

export function readRoutes(deps: ReadRouteDeps): Router {
  const r = Router();
  const upload = singleImageUpload(deps.maxUploadBytes);

  const handler = (route: string, shape: Shape, numberShape: NumberShape) => [
    // Refusing before the body is read keeps an overloaded service's refusals cheap.
    (_req: Request, res: Response, next: (err?: unknown) => void) => {
      if (deps.admission.full) return next(queueFull());
      res.locals.readStart = performance.now();
      next();
    },
    upload,
    (req: Request, res: Response, next: (err?: unknown) => void) => {
      // A client gone by now has no answer to wait for; its 'close' has passed, so a place taken
      // now would never be given back.
      if (req.socket.destroyed) return;
      next(deps.admission.claim(res) ? undefined : queueFull());
    },
    async (req: Request, res: Response) => {
      const start = typeof res.locals.readStart === 'number' ? res.locals.readStart : performance.now();
      // A client that leaves gives its queue place back at once (Admission), so its read must leave
      // the lines too (preprocessing, batching), or abandoned work would crowd out the next reads.
      const gone = new AbortController();
      const leave = (): void => {
        if (!res.writableFinished) gone.abort(new AppError('request_timeout', 'The client left before the answer'));
      };
      res.once('close', leave);
      let outcome = 'internal_error';
      // What the retained image is filed under; a number files its confidence and no single digit.
      let reading: { digit: number | null; confidence: number; modelId: string } | null = null;
      try {
        if (!req.file) {
          const body = req.body as Record<string, unknown> | undefined;
          throw typeof body?.file === 'string' ? fileSentAsText() : new AppError('validation_failed', 'Send the image as multipart/form-data in the field "file"');
        }
        const fields = parse(ReadFields, req.body ?? {}, 'form fields');
        const bytes = new Uint8Array(req.file.buffer.buffer, req.file.buffer.byteOffset, req.file.buffer.byteLength);
        if (fields.mode === 'number') {
          const number = await deps.reader.readNumber(bytes, fields, gone.signal);
          reading = { digit: null, confidence: number.confidence, modelId: number.modelId };
          res.json(numberShape(number, performance.now() - start));
        } else {
          const digit = await deps.reader.read(bytes, fields, gone.signal);
          reading = digit;
          res.json(shape(digit, performance.now() - start));
        }
        outcome = 'ok';
      } catch (err) {
        outcome = outcomeOf(err, req, res);
        throw err;
      } finally {
        res.off('close', leave);
        count(res, route, outcome);
        if (req.file) {
          deps.retention?.keep({ requestId: requestIdOf(res), route, outcome, digit: reading?.digit ?? null, confidence: reading?.confidence ?? null, modelId: reading?.modelId ?? null, image: req.file.buffer });
        }
      }
    },
    // Failures before the handler ran (queue full, upload limits, malformed form) count too.
    (err: unknown, req: Request, res: Response, next: (err?: unknown) => void) => {
      count(res, route, outcomeOf(err, req, res));
      next(err);
    },
  ];

  const count = (res: Response, route: string, outcome: string): void => {
    if (res.locals.usageCounted === true) return;
    res.locals.usageCounted = true;
    const start = typeof res.locals.readStart === 'number' ? res.locals.readStart : performance.now();
    deps.usage?.record(route, outcome, performance.now() - start);
    deps.audit?.record(res.locals.identity as Identity | undefined, route, outcome);
    deps.metrics?.predictions.inc({ route, outcome });
  };

  r.post('/v1/read', ...handler('/v1/read', toRead, toReadNumber));
  r.post('/api/predict', ...handler('/api/predict', toPredict, toPredictNumber));
  return r;
}
