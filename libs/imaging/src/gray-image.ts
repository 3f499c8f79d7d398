/** An 8-bit single-channel image, row-major. */
export interface GrayImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** A float single-channel image, row-major (ink intensities in this pipeline). */
export interface FloatImage {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}
