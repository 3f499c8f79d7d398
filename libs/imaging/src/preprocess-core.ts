import { AppError } from '@inkwell/contracts';
import { type Component, labelComponents } from './connected-components';
import { deskewRotation, estimateSkew, rotate, tightCrop } from './deskew';
import { cropDigit } from './digit-crop';
import type { FloatImage, GrayImage } from './gray-image';
import { inkMapWithHistogram } from './ink-map';
import { layoutLikeMnist } from './mnist-layout';
import { type InkThreshold, chooseInkThreshold, decisiveInkThreshold } from './ink-threshold';
import { lowResolutionDigit } from './low-resolution-digit';
import { PIPELINE_PARAMS } from './pipeline-params';
import { isLightOnDark } from './polarity';
import { type DigitSelection, selectDigit } from './select-digit';
import { splitOffShadow } from './shadow-split';
import { thickenThinStrokes } from './stroke-width';

export interface CoreOptions {
  /** true: light ink on dark, invert; false: never invert; undefined: decide from the image. */
  readonly invert?: boolean | undefined;
  /** Centre by centre of mass (MNIST) rather than by the digit's box. */
  readonly center: boolean;
}

export interface CoreResult {
  /** 28x28 row-major ink intensities, 0 (background) .. 1 (ink). */
  readonly pixels: Float32Array;
  readonly inverted: boolean;
  /** Threshold on the ink map (0..255), see ink-threshold.ts. */
  readonly inkThreshold: number;
  /** Rotation applied by deskew, degrees clockwise; 0 when none. */
  readonly deskewDegrees: number;
  readonly componentCount: number;
  readonly separateDigitCandidates: number;
  readonly droppedEdgeComponents: number;
  /** False when the kept shape does not look like a digit (a dash, a solid blob). */
  readonly digitLike: boolean;
}

const P = PIPELINE_PARAMS;

function fail(message: string, details?: Record<string, unknown>): never {
  throw new AppError('preprocessing_failed', message, details);
}

/**
 * The pixel half of the pipeline: 8-bit gray (paper light, ink dark, or the reverse) to a 28x28
 * MNIST-style digit. Synchronous and free of I/O, so trainers can run exactly this over raw MNIST
 * arrays and get the inputs inference will see.
 */
export function preprocessGray(gray: GrayImage, options: CoreOptions): CoreResult {
  if (gray.width < 1 || gray.height < 1 || gray.data.length !== gray.width * gray.height) {
    throw new Error(`preprocessGray: ${gray.width}x${gray.height} does not match ${gray.data.length} bytes`);
  }
  // A low-resolution digit cropped to its ink (1.3.0) is read whole, with its grey levels; its
  // polarity comes from its edges, because its ink is no minority for the vote to find.
  const low = lowResolution(gray, options);
  if (low !== null) return low;
  if (options.invert !== undefined) return withPolarity(gray, options.invert, options, true) ?? noDigit();
  // The guess is a vote of light against dark, and a digit cropped to its ink (a "1" with a pixel
  // of paper either side) is mostly ink: read the other way, its paper is two bands along the
  // sides, which are no digit. When the guess finds none, the other polarity gets a try.
  const guess = isLightOnDark(gray);
  return withPolarity(gray, guess, options, true) ?? otherPolarity(gray, !guess, options) ?? noDigit();
}

/** The whole frame as the digit, when it is a low-resolution tight crop (low-resolution-digit.ts); else null. */
function lowResolution(gray: GrayImage, options: CoreOptions): CoreResult | null {
  const low = lowResolutionDigit(gray, options.invert);
  if (low === null) return null;
  const { pixels, deskewDegrees } = layOutDigit(low.digit, options.center);
  return {
    pixels,
    inverted: low.inverted,
    inkThreshold: low.threshold,
    deskewDegrees,
    componentCount: 1,
    separateDigitCandidates: 1,
    droppedEdgeComponents: 0,
    digitLike: looksLikeDigit({ keptArea: low.inkPixels }, low.boxWidth, low.boxHeight),
  };
}

/** The second try: whatever it fails on, the answer stays the first try's "no digit". */
function otherPolarity(gray: GrayImage, inverted: boolean, options: CoreOptions): CoreResult | null {
  try {
    return withPolarity(gray, inverted, options, false);
  } catch {
    return null;
  }
}

export const noDigit = (): never => fail('No digit found: the only marks are specks or lie along the image\'s edges (a page edge, a shadow).', { reason: 'no_digit' });

/** The ink of one polarity, thresholded and labelled: what single-digit and number reading share. */
export interface InkLabelling {
  readonly ink: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly threshold: number;
  readonly labels: Int32Array;
  readonly components: readonly Component[];
  /** Paper was not most of the image (a tight crop): Otsu's split stood alone. */
  readonly mostlyInk: boolean;
}

/**
 * Ink map, threshold (with the shadow split) and connected components for one polarity. `first`:
 * the polarity asked for or guessed, the only one where a tight crop's threshold may replace "no
 * ink". Throws preprocessing_failed when there is no ink.
 */
export function labelInk(gray: GrayImage, inverted: boolean, first: boolean): InkLabelling {
  const { ink, histogram } = inkMapWithHistogram(gray, inverted);
  const inkFound = (c: InkThreshold): boolean => c.contrast >= P.minInkContrast && c.inkPixels >= P.minDigit.area;
  let cut = chooseInkThreshold(histogram);
  // Only where that found no ink (paper is not most of a tight crop) does Otsu's split stand
  // alone, in the first polarity; and then that polarity stands, as the refusal it replaces did.
  const mostlyInk = !inkFound(cut);
  if (mostlyInk) {
    const decisive = first ? decisiveInkThreshold(histogram) : null;
    if (decisive === null || !inkFound(decisive)) fail('No ink found: the image is blank or the writing is too faint.', { contrast: Math.round(cut.contrast) });
    cut = decisive;
  }

  const { width, height } = gray;
  const shadow = splitOffShadow(ink, histogram, width, height, cut.threshold);
  const threshold = shadow?.threshold ?? cut.threshold;
  const { labels, components } = shadow?.labelling ?? labelComponents(ink, width, height, threshold);
  return { ink, width, height, threshold, labels, components, mostlyInk };
}

/** The selected components -> 28x28 like MNIST: crop with soft edges, deskew, crop tight, thicken hairlines, lay out. */
export function layOutSelection(inked: InkLabelling, selection: DigitSelection, center: boolean): { pixels: Float32Array; deskewDegrees: number } {
  return layOutDigit(cropDigit(inked.ink, inked.labels, inked.width, inked.height, selection, inked.threshold), center);
}

/** A cropped digit's 0..1 ink -> 28x28 like MNIST: deskew, crop tight, thicken hairlines, lay out. */
function layOutDigit(cropped: FloatImage, center: boolean): { pixels: Float32Array; deskewDegrees: number } {
  let digit = cropped;
  const rotation = deskewRotation(estimateSkew(digit));
  if (rotation !== 0) digit = rotate(digit, rotation);
  const tight = tightCrop(digit, 1 / 255);
  if (tight === null) fail('No ink left after cropping the digit.');
  return { pixels: layoutLikeMnist(thickenThinStrokes(tight, P.layout.box), center), deskewDegrees: rotation };
}

/**
 * The pipeline for one polarity; null when no component is a digit candidate. `first`: the
 * polarity asked for or guessed, the only one where a tight crop's threshold may replace "no ink".
 */
function withPolarity(gray: GrayImage, inverted: boolean, options: CoreOptions, first: boolean): CoreResult | null {
  const inked = labelInk(gray, inverted, first);
  const selection = selectDigit(inked.components, inked.width, inked.height);
  if (selection === null) return inked.mostlyInk ? noDigit() : null;
  const boxW = selection.box.maxX - selection.box.minX + 1;
  const boxH = selection.box.maxY - selection.box.minY + 1;
  if (selection.keptArea < P.minDigit.area || Math.max(boxW, boxH) < P.minDigit.height) {
    fail('The digit is too small to read; write it larger or crop closer.', { width: boxW, height: boxH });
  }
  const { pixels, deskewDegrees } = layOutSelection(inked, selection, options.center);
  return {
    pixels,
    inverted,
    inkThreshold: inked.threshold,
    deskewDegrees,
    componentCount: selection.componentCount,
    separateDigitCandidates: selection.separateDigitCandidates,
    droppedEdgeComponents: selection.droppedEdgeComponents,
    digitLike: looksLikeDigit(selection, boxW, boxH),
  };
}

/** False for a dash or a line, or a solid blob: no digit (a thick 1 is fine). */
export function looksLikeDigit(selection: Pick<DigitSelection, 'keptArea'>, w: number, h: number): boolean {
  const p = P.digitLike;
  if (w / h > p.maxWidthToHeight) return false; // a dash or a line, not a digit
  const fill = selection.keptArea / (w * h);
  return !(fill > p.solidFill && h / w < p.solidMaxHeightToWidth); // a solid blob (a thick 1 is fine)
}
