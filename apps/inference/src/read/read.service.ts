import { AppError, type ReadFields } from '@inkwell/contracts';
import { preprocess, type ImageLimits } from '@inkwell/imaging';
import type { Engine } from '../engine/engine';
import type { PreprocessGate } from './preprocess-gate';

export interface ReadOptions {
  readonly limits: ImageLimits;
  readonly uncertainThreshold: number;
  readonly gate: PreprocessGate;
  /** How long the image may wait in the engine for others to share its run: set by batch jobs, which want full runs more than a quick answer. */
  readonly patienceUs?: number;
}

export interface DigitReading {
  readonly digit: number;
  readonly confidence: number;
  readonly probs: readonly number[];
  readonly modelId: string;
  readonly uncertain: boolean;
  readonly visualPng: Uint8Array | null;
}

const argmax = (p: Float32Array): number => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] ?? 0) > (p[best] ?? 0)) best = i;
  return best;
};

/**
 * Bytes -> digit: preprocess (format from the bytes, limits on the header, MNIST layout), classify
 * with the active ensemble, and flag answers not to trust: low calibrated confidence, several
 * separate digits, or a shape that is no digit.
 */
export async function readDigit(engine: Engine, bytes: Uint8Array, fields: ReadFields, opts: ReadOptions, signal: AbortSignal): Promise<DigitReading> {
  const pre = await opts.gate.run(() => preprocess(bytes, { invert: fields.invert, center: fields.center ?? true, visualize: fields.visualize ?? false, limits: opts.limits }), signal);
  if (signal.aborted) throw signal.reason instanceof AppError ? signal.reason : new AppError('timeout', 'Deadline passed');
  const { probs, set } = await engine.classify(pre.pixels, signal, opts.patienceUs);
  const digit = argmax(probs);
  const confidence = probs[digit] ?? 0;
  return {
    digit,
    confidence,
    probs: Array.from(probs),
    modelId: set.modelId,
    uncertain: confidence < opts.uncertainThreshold || pre.separateDigitCandidates >= 2 || !pre.digitLike,
    visualPng: pre.visualPng,
  };
}
