import { AppError } from '@inkwell/contracts';
import type { GrayImage } from './gray-image';
import { isLightOnDark } from './polarity';
import { PIPELINE_PARAMS } from './pipeline-params';
import { type CoreOptions, type InkLabelling, labelInk, layOutSelection, looksLikeDigit, noDigit } from './preprocess-core';
import { ALL_CUTS, type CutKind, type NumberSlot, numberGroups, slotsOf } from './number-cut-options';
import { type NumberSegment, partHas } from './number-segment';
import { type Box, type DigitSelection, digitCandidates } from './select-digit';

/** Most digits one number may have: a page of text is not a number, and each digit costs a model run. */
export const MAX_NUMBER_DIGITS = 20;
/**
 * Most ink components (after specks) number mode groups: a broken stroke or two per digit is a
 * few, and this is several times that for every digit allowed. Past it the image is texture (a
 * page of dots, dashes, hatching), refused before grouping and cutting, which run on the
 * inference service's event loop.
 */
export const MAX_NUMBER_MARKS = 8 * MAX_NUMBER_DIGITS;
/** Most 28x28 inputs one number sends to the model, over all slots and ways of cutting them (each is a model run, times TTA). */
export const MAX_NUMBER_INPUTS = 64;
/** Ever fewer kinds of cut, for when a number's options would pass MAX_NUMBER_INPUTS: bent and three-way cuts go first, then every cut. */
const CUT_LEVELS: readonly ReadonlySet<CutKind>[] = [ALL_CUTS, new Set<CutKind>(['column'])];
const NO_CUTS: ReadonlySet<CutKind> = new Set<CutKind>();

export interface NumberDigitCore {
  /** 28x28 row-major ink intensities, laid out exactly as a single digit is. */
  readonly pixels: Float32Array;
  /** The digit's ink box in the working image (inclusive pixel coordinates). */
  readonly box: Box;
  readonly deskewDegrees: number;
  /** False when this piece does not look like a digit (a dash, a solid blob). */
  readonly digitLike: boolean;
  /** Its width over the height of one of the number's digits (see NumberSlotCore.aspect). */
  readonly aspect: number;
}

/** One place in the number and its ways of being read (see number-cut-options.ts): options[0] is the ink read as one digit. */
export interface NumberSlotCore {
  /** Each option's digits, left to right. */
  readonly options: readonly (readonly NumberDigitCore[])[];
  /** Per option, the strokes its cuts cross (see NumberSlot.crossings). */
  readonly crossings: readonly number[];
  /** Width over one digit's height: how wide the ink is for one digit. */
  readonly aspect: number;
}

export interface NumberCoreResult {
  /** Left to right. */
  readonly slots: readonly NumberSlotCore[];
  readonly inverted: boolean;
  readonly inkThreshold: number;
  readonly componentCount: number;
}

const P = PIPELINE_PARAMS;

/**
 * The pixel half of number mode: the same polarity, ink threshold and components as a single
 * digit (preprocess-core.ts), grouped into slots by number-cut-options.ts (a slot that may be
 * touching digits comes with several ways of cutting it, for the model to choose from), each digit
 * of each option then laid out by the single-digit code (crop, deskew, MNIST layout) from the same
 * working image.
 */
export function preprocessNumberGray(gray: GrayImage, options: CoreOptions): NumberCoreResult {
  if (gray.width < 1 || gray.height < 1 || gray.data.length !== gray.width * gray.height) {
    throw new Error(`preprocessNumberGray: ${gray.width}x${gray.height} does not match ${gray.data.length} bytes`);
  }
  if (options.invert !== undefined) return withPolarity(gray, options.invert, options, true) ?? noDigit();
  // As for one digit: when the guessed polarity holds no digit, the other gets a try.
  const guess = isLightOnDark(gray);
  return withPolarity(gray, guess, options, true) ?? otherPolarity(gray, !guess, options) ?? noDigit();
}

function otherPolarity(gray: GrayImage, inverted: boolean, options: CoreOptions): NumberCoreResult | null {
  try {
    return withPolarity(gray, inverted, options, false);
  } catch {
    return null;
  }
}

function withPolarity(gray: GrayImage, inverted: boolean, options: CoreOptions, first: boolean): NumberCoreResult | null {
  const inked = labelInk(gray, inverted, first);
  const { solid, candidates } = digitCandidates(inked.components, inked.width, inked.height);
  if (candidates.length > MAX_NUMBER_MARKS) {
    throw new AppError('preprocessing_failed', `Too many separate marks to read as a number; crop to the number (at most ${MAX_NUMBER_DIGITS} digits).`, { reason: 'too_many_marks', max_digits: MAX_NUMBER_DIGITS });
  }
  const grouping = numberGroups(candidates, inked.labels, inked.width);
  if (grouping.groups.length === 0) return inked.mostlyInk ? noDigit() : null;
  // A piece too small to read is a mark beside the number (a full stop, a speck), not a digit; a cut that leaves one is no option.
  const isReadable = (s: NumberSegment): boolean => s.area >= P.minDigit.area && Math.max(s.box.maxX - s.box.minX + 1, s.box.maxY - s.box.minY + 1) >= P.minDigit.height;
  // Counted before any cut is looked for: cutting costs far more than grouping.
  const groups = grouping.groups.filter(isReadable);
  if (groups.length === 0) throw new AppError('preprocessing_failed', 'The digits are too small to read; write them larger or crop closer.', { reason: 'too_small' });
  if (groups.length > MAX_NUMBER_DIGITS) {
    throw new AppError('preprocessing_failed', `Found ${groups.length} digit-like marks; number mode reads at most ${MAX_NUMBER_DIGITS} digits.`, { reason: 'too_many_digits', max_digits: MAX_NUMBER_DIGITS });
  }
  const readable = affordableSlots((kinds) =>
    slotsOf({ ...grouping, groups }, inked.labels, inked.width, kinds).map((slot) => {
      const kept = slot.options.flatMap((o, k) => (o.every(isReadable) ? [k] : []));
      return { ...slot, options: kept.map((k) => slot.options[k] ?? []), crossings: kept.map((k) => slot.crossings[k] ?? 0) };
    }),
  );
  return {
    slots: readable.map((slot) => {
      // One digit's height, as the slot's aspect was measured against: each piece's width over it.
      const whole = slot.options[0]?.[0]?.box;
      const oneHeight = whole === undefined ? 1 : (whole.maxX - whole.minX + 1) / slot.aspect;
      return {
        aspect: slot.aspect,
        crossings: slot.crossings,
        options: slot.options.map((o) => o.map((s) => ({ ...layOutSegment(inked, s, options.center), aspect: (s.box.maxX - s.box.minX + 1) / oneHeight }))),
      };
    }),
    inverted,
    inkThreshold: inked.threshold,
    componentCount: solid.length,
  };
}

/**
 * The slots with as many ways of cutting them as MAX_NUMBER_INPUTS allows: all kinds of cut, else
 * straight cuts only, else each slot whole (at most MAX_NUMBER_DIGITS inputs, always affordable).
 */
function affordableSlots(slotsWith: (kinds: ReadonlySet<CutKind>) => NumberSlot[]): NumberSlot[] {
  for (const kinds of CUT_LEVELS) {
    const slots = slotsWith(kinds);
    const inputs = slots.reduce((n, slot) => n + slot.options.reduce((m, o) => m + o.length, 0), 0);
    if (inputs <= MAX_NUMBER_INPUTS) return slots;
  }
  return slotsWith(NO_CUTS);
}

/** Label of the one segment in the relabelled copy handed to the single-digit crop. */
const SEGMENT = 1;

/**
 * One segment through the single-digit layout. The crop keeps a 1-pixel soft ring around the kept
 * pixels, read from the ink map, so the neighbours' ink (the other side of a cut, a digit 1 px
 * away) is blanked in a copy first: only this digit's pixels and the paper around them remain.
 */
function layOutSegment(inked: InkLabelling, s: NumberSegment, center: boolean): Omit<NumberDigitCore, 'aspect'> {
  const { width, height, labels } = inked;
  const ink = inked.ink.slice();
  const own = new Int32Array(labels.length);
  const isMine = (l: number, x: number, y: number): boolean => s.parts.some((p) => p.label === l && partHas(p, x, y));
  const y0 = Math.max(0, s.box.minY - 1);
  const y1 = Math.min(height - 1, s.box.maxY + 1);
  const x0 = Math.max(0, s.box.minX - 1);
  const x1 = Math.min(width - 1, s.box.maxX + 1);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      const l = labels[i] ?? 0;
      if (l === 0) continue;
      if (isMine(l, x, y)) own[i] = SEGMENT;
      else ink[i] = 0;
    }
  }
  const selection: DigitSelection = { kept: [SEGMENT], box: s.box, keptArea: s.area, componentCount: 1, separateDigitCandidates: 1, droppedEdgeComponents: 0 };
  const { pixels, deskewDegrees } = layOutSelection({ ...inked, ink, labels: own }, selection, center);
  return { pixels, box: s.box, deskewDegrees, digitLike: looksLikeDigit(selection, s.box.maxX - s.box.minX + 1, s.box.maxY - s.box.minY + 1) };
}
