import { AppError, type ReadFields, type ServingEngine } from '@inkwell/contracts';
import { type ImageLimits, type PixelBox, preprocess, preprocessNumber } from '@inkwell/imaging';
import type { Engine } from '../engine/engine';
import type { DigitCounter } from './digit-counter';
import { argmax, chooseNumber, readSlotsOf } from './number-choice';
import type { PreprocessGate } from './preprocess-gate';

export interface ReadOptions {
  readonly limits: ImageLimits;
  readonly uncertainThreshold: number;
  readonly gate: PreprocessGate;
  /** How long the image may wait in the engine for others to share its run: set by batch jobs, which want full runs more than a quick answer. */
  readonly patienceUs?: number;
  /** Number mode's digit-count model (absent: cuts are chosen without it). */
  readonly digitCounter?: DigitCounter;
}

export interface DigitReading {
  readonly digit: number;
  readonly confidence: number;
  readonly probs: readonly number[];
  readonly modelId: string;
  readonly engine: ServingEngine;
  readonly uncertain: boolean;
  readonly visualPng: Uint8Array | null;
}

/**
 * Bytes -> digit: preprocess (format from the bytes, limits on the header, MNIST layout), classify
 * with the active ensemble, and flag answers not to trust: low calibrated confidence, several
 * separate digits, or a shape that is no digit.
 */
export async function readDigit(engine: Engine, bytes: Uint8Array, fields: ReadFields, opts: ReadOptions, signal: AbortSignal): Promise<DigitReading> {
  // A single read (no patience: nobody to wait for) goes ahead of a batch job's items.
  const pre = await opts.gate.run(() => preprocess(bytes, { invert: fields.invert, center: fields.center ?? true, visualize: fields.visualize ?? false, limits: opts.limits }), signal, opts.patienceUs === undefined);
  if (signal.aborted) throw signal.reason instanceof AppError ? signal.reason : new AppError('timeout', 'Deadline passed');
  const { probs, set } = await engine.classify(pre.pixels, signal, opts.patienceUs);
  const digit = argmax(probs);
  const confidence = probs[digit] ?? 0;
  return {
    digit,
    confidence,
    probs: Array.from(probs),
    modelId: set.modelId,
    engine: set.engine,
    uncertain: confidence < opts.uncertainThreshold || pre.separateDigitCandidates >= 2 || !pre.digitLike,
    visualPng: pre.visualPng,
  };
}

export interface NumberDigitReading {
  readonly digit: number;
  readonly confidence: number;
  readonly probs: readonly number[];
  /** In the uploaded image's pixels. */
  readonly box: PixelBox;
  readonly uncertain: boolean;
}

export interface NumberReading {
  /** The digits, left to right. */
  readonly number: string;
  /** Product of the digits' confidences: the chance the whole number is right, if each digit's confidence is calibrated. */
  readonly confidence: number;
  readonly digits: readonly NumberDigitReading[];
  readonly modelId: string;
  readonly engine: ServingEngine;
  readonly uncertain: boolean;
}

/**
 * Bytes -> number (`mode=number`): the same decode and limits as one digit, the ink grouped into
 * slots left to right (preprocessNumber), every way of cutting every slot classified in one engine
 * request, and per slot the cut the model reads best kept (number-choice.ts). A digit is
 * uncertain as a single read is (low confidence, no digit-like shape); the number is if any digit is.
 */
export async function readNumber(engine: Engine, bytes: Uint8Array, fields: ReadFields, opts: ReadOptions, signal: AbortSignal): Promise<NumberReading> {
  const pre = await opts.gate.run(() => preprocessNumber(bytes, { invert: fields.invert, center: fields.center ?? true, limits: opts.limits }), signal, opts.patienceUs === undefined);
  if (signal.aborted) throw signal.reason instanceof AppError ? signal.reason : new AppError('timeout', 'Deadline passed');
  // Every option of every slot in one engine request: the digits of one image share a run.
  const images = pre.slots.flatMap((slot) => slot.options.flatMap((o) => o.map((d) => d.pixels)));
  const [{ probs, set }, counts] = await Promise.all([engine.classifyMany(images, signal, opts.patienceUs), opts.digitCounter?.countCutSlots(pre.slots, signal) ?? null]);
  const read = readSlotsOf(pre.slots, probs, counts, (d, p, digit) => ({ probs: Array.from(p), box: d.box, uncertain: (p[digit] ?? 0) < opts.uncertainThreshold || !d.digitLike }));
  const digits: NumberDigitReading[] = chooseNumber(read).flatMap((o, s) => (read[s]?.options[o] ?? []).map(({ digit, confidence, probs, box, uncertain }) => ({ digit, confidence, probs, box, uncertain })));
  return {
    number: digits.map((d) => String(d.digit)).join(''),
    confidence: digits.reduce((c, d) => c * d.confidence, 1),
    digits,
    modelId: set.modelId,
    engine: set.engine,
    uncertain: digits.some((d) => d.uncertain),
  };
}
