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
  it('defaults to seed 004: 2 MB, 1024 px sides', () => {
    expect(DEFAULT_IMAGE_LIMITS).toEqual({ maxBytes: 2 * 1024 * 1024, maxSidePx: 1024, minSidePx: 8, maxPixels: 16_000_000 });
  });

  it('answers too_large (413) for decompression bombs and bad_dimensions (400) for awkward sides', () => {
    const check = (w: number, h: number): string => codeOf(() => checkDimensions(w, h, DEFAULT_IMAGE_LIMITS));
    expect(check(1024, 1024)).toBe('accepted');
    expect(check(28, 28)).toBe('accepted');
    expect(check(30000, 30000)).toBe('too_large/413');
    expect(check(5000, 5000)).toBe('too_large/413');
    expect(check(5000, 100)).toBe('bad_dimensions/400');
    expect(check(100, 1025)).toBe('bad_dimensions/400');
    expect(check(7, 100)).toBe('bad_dimensions/400');
  });

  it('applies configured limits', () => {
    const limits = ImageLimits.parse({ maxSidePx: 4096, maxPixels: 4_000_000, maxBytes: 1000 });
    expect(codeOf(() => checkDimensions(4000, 900, limits))).toBe('accepted');
    expect(codeOf(() => checkDimensions(4000, 1100, limits))).toBe('too_large/413');
    expect(codeOf(() => checkByteSize(1000, limits))).toBe('accepted');
    expect(codeOf(() => checkByteSize(1001, limits))).toBe('too_large/413');
  });
});
