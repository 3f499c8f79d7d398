/**
 * Every number that changes what the pipeline outputs lives here, because the pipeline's hash is
 * computed from this object: a model trained with one set of parameters must not be served with
 * another. Bump PREPROCESS_VERSION whenever the code's behaviour changes without a parameter change.
 */
export const PREPROCESS_VERSION = 'inkwell-preprocess/1.3.0';

export const PIPELINE_PARAMS = {
  /** Larger images are shrunk (by sharp, before the pixels reach JS) so the longest side is this,
   * with this kernel. 256 keeps a digit that fills a tenth of a page's side ~25 px tall (MNIST's
   * box is 20) at a quarter of 512's pixels: the pixel stages cost ~20 ns a pixel. */
  working: { maxSide: 256, kernel: 'linear' },
  /** Background (paper brightness) estimate: a grid of block maxima, each dilated over 3x3 blocks. */
  lighting: { blocksPerSide: 8, minBlockPx: 4, minBackground: 32 },
  /** Auto-invert: cells of a 4x4, 2x2 and 1x1 grid vote on which extreme the ink is (see polarity.ts). */
  polarity: { finestGrid: 4, minInvertVote: 30 },
  /** Ink threshold: Otsu, but at least the paper's median + noiseSigmas robust sigmas and minThreshold.
   * Where that leaves no ink (a tight crop, mostly ink), Otsu's split stands alone if it explains
   * `decisiveSplit` of the variance (see ink-threshold.ts). */
  inkThreshold: { noiseSigmas: 5, minThreshold: 24, decisiveSplit: 0.8 },
  /** Mean ink above the threshold must exceed the paper's level (its median; see ink-threshold.ts) by this much (0..255), or there is no ink. */
  minInkContrast: 40,
  /** A shadow over the digit (see shadow-split.ts): the ink splits into a lighter and a darker
   * population at least `minInkGap` apart, and lighter regions reaching the image's edge hold
   * `minShadowPx` and `minShadowShare` of the darker's pixels farther than `radiusShare` of the
   * longest side from both ink and paper (up to `maxRounds` splits are tried, each above the last);
   * the new threshold is the `shadowQuantile` of those pixels' ink. */
  shadow: { minInkGap: 50, minShadowPx: 100, minShadowShare: 0.25, minInkPx: 12, radiusShare: 1 / 64, maxRounds: 3, shadowQuantile: 0.99 },
  components: {
    /** Components smaller than this (px, and share of the working image) are specks. */
    minSpeckPx: 4,
    minSpeckShare: 2e-5,
    /** A second stroke must be at least this share of the largest component's area... */
    strokeAreaShare: 0.06,
    /** ...and no farther from the digit's box than this share of the digit's height. */
    strokeGapShare: 0.3,
    /** A component at least this share of the digit's height that sits beside it (its x-range
     * overlaps the digit's by less than `besideOverlapShare` of the narrower) is another digit. */
    digitHeightShare: 0.5,
    besideOverlapShare: 0.3,
    /** ...and counts as a separate digit candidate when its area is at least this share. */
    digitAreaShare: 0.15,
    /** A component lying along the image border for this share of a side is a page edge, a shadow,
     * a table or a box's line, and no candidate... */
    borderContactShare: 0.25,
    /** ...unless it is strokes (not a band, no deeper than `bandDepthShare` of its length; not a
     * mass, `regionShare` of its longest extent squared) and all that is inside is a mark under
     * `rescueShare` of its area and `rescueExtentShare` of its extent (a 7 meeting the top edge, and a
     * full stop: 0.025 and 0.04; a "1" inside a box's lines is far taller than that)... */
    bandDepthShare: 0.5,
    regionShare: 0.15,
    rescueShare: 0.05,
    rescueExtentShare: 0.1,
    /** ...and a band or a solid region (`solidRegionFill` of its box) lying along `fullBorderShare` of
     * a side is never the digit, even in a tight crop. */
    fullBorderShare: 0.9,
    solidRegionFill: 0.6,
  },
  /** Ink intensity stretch: `low` is this share of the Otsu threshold; `high` is this quantile of
   * the kept stroke pixels, so stroke cores saturate to 1 like MNIST's. */
  intensity: { lowShareOfThreshold: 0.25, highQuantile: 0.5 },
  deskew: { maxDegrees: 10, minDegrees: 1, minElongation: 3, minMass: 40 },
  /** Strokes thinner than `minWidth` pixels of the 20-pixel box (MNIST's 1st percentile is 1.07)
   * are widened to `targetWidth` (MNIST's median, 2.0); see stroke-width.ts. */
  strokes: { minWidth: 1.0, targetWidth: 2.0 },
  /** MNIST: fit into a 20x20 box, then place the centre of mass at (14, 14) of 28x28. */
  layout: { box: 20, size: 28, centreOfMass: 14 },
  /** A digit scanned at a few pixels, enlarged and cropped to its ink (see low-resolution-digit.ts):
   * a frame no larger than `maxSide`, or with `minLevels`..`maxLevels` grey levels, or losing at most
   * `maxDetail` of its variance when shrunk to `detailRows` rows and enlarged back; Otsu's split
   * explaining `minSplit` of the variance, ink over `minInkShare`..`maxInkShare` of the frame and
   * reaching `minEdges` edges, and no band (ink over `bandFill` of every line to `bandDepthShare` of
   * the way in from an edge). Light ink on dark only when `darkEdgeShare` of its edge pixels are
   * dark. Its ink is stretched from `lowShareOfSplit` of the way from paper to the split (0) to the
   * `highQuantile` of the ink (1), without a threshold. */
  lowResolution: { maxSide: 96, minLevels: 6, maxLevels: 32, detailRows: 20, maxDetail: 0.025, minSplit: 0.6, minInkShare: 0.15, maxInkShare: 0.8, minEdges: 2, bandFill: 0.9, bandDepthShare: 0.25, darkEdgeShare: 0.75, lowShareOfSplit: 0.25, highQuantile: 0.5 },
  /** Below this (working-resolution pixels) the "digit" is too small to be read at all. */
  minDigit: { area: 12, height: 6 },
  /** A filled disc covers pi/4 = 0.785 of its box; 99.9 % of MNIST's digits cover less than 0.70. */
  digitLike: { maxWidthToHeight: 2.5, solidFill: 0.72, solidMaxHeightToWidth: 3 },
} as const;

export type PipelineParams = typeof PIPELINE_PARAMS;
