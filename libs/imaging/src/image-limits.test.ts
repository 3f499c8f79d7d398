import { isAppError } from '@inkwell/contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_LIMITS, ImageLimits, checkByteSize, checkDimensions } from './image-limits';

function codeOf(f: () => void): string {
  try {
    f();
    return 'accepted';
  } catch (e) {
    return isAppError(e) ? `${e.code}/${e.status}` : 'not an AppError';
  }
}

describe('image limits', () => {
  it('defaults to a full-size phone photo: 5 MB, 16 megapixels, 8192 px sides', () => {
    expect(DEFAULT_IMAGE_LIMITS).toEqual({ maxBytes: 5 * 1024 * 1024, maxSidePx: 8192, minSidePx: 8, maxPixels: 16_000_000 });
  });

  it('answers too_large (413) for decompression bombs and bad_dimensions (400) for awkward sides', () => {
    const check = (w: number, h: number): string => codeOf(() => checkDimensions(w, h, DEFAULT_IMAGE_LIMITS));
    expect(check(28, 28)).toBe('accepted');
    // 12-megapixel phone photos in both orientations, and a 16:9 16-megapixel frame.
    expect(check(4032, 3024)).toBe('accepted');
    expect(check(3024, 4032)).toBe('accepted');
    expect(check(5333, 3000)).toBe('accepted');
    expect(check(30000, 30000)).toBe('too_large/413');
    expect(check(5000, 5000)).toBe('too_large/413');
    expect(check(8193, 100)).toBe('bad_dimensions/400');
    expect(check(100, 8193)).toBe('bad_dimensions/400');
    expect(check(7, 100)).toBe('bad_dimensions/400');
  });

  it("keeps seed 004's stricter limits settable: 2 MB and 1024 px refuse a phone photo", () => {
    const seed004 = ImageLimits.parse({ maxBytes: 2 * 1024 * 1024, maxSidePx: 1024 });
    expect(codeOf(() => checkDimensions(4032, 3024, seed004))).toBe('bad_dimensions/400');
    expect(codeOf(() => checkDimensions(1024, 768, seed004))).toBe('accepted');
    expect(codeOf(() => checkByteSize(2 * 1024 * 1024 + 1, seed004))).toBe('too_large/413');
  });

  it('applies configured limits', () => {
    const limits = ImageLimits.parse({ maxSidePx: 4096, maxPixels: 4_000_000, maxBytes: 1000 });
    expect(codeOf(() => checkDimensions(4000, 900, limits))).toBe('accepted');
    expect(codeOf(() => checkDimensions(4000, 1100, limits))).toBe('too_large/413');
    expect(codeOf(() => checkByteSize(1000, limits))).toBe('accepted');
    expect(codeOf(() => checkByteSize(1001, limits))).toBe('too_large/413');
  });
});
