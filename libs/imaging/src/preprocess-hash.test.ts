import { describe, expect, it } from 'vitest';
import { normalize } from './normalize';
import { PIPELINE_PARAMS, PREPROCESS_VERSION } from './pipeline-params';
import { PREPROCESS_HASH, hashPipeline } from './preprocess-hash';

describe('PREPROCESS_HASH', () => {
  it('is a 16-hex-digit hash of the version and every parameter', () => {
    expect(PREPROCESS_HASH).toMatch(/^[0-9a-f]{16}$/);
    expect(hashPipeline(PREPROCESS_VERSION, PIPELINE_PARAMS)).toBe(PREPROCESS_HASH);
    const tweaked = { ...PIPELINE_PARAMS, deskew: { ...PIPELINE_PARAMS.deskew, maxDegrees: 11 } };
    expect(hashPipeline(PREPROCESS_VERSION, tweaked)).not.toBe(PREPROCESS_HASH);
    expect(hashPipeline(`${PREPROCESS_VERSION}+1`, PIPELINE_PARAMS)).not.toBe(PREPROCESS_HASH);
  });
});

describe('normalize', () => {
  it('applies (x - mean) / std per pixel', () => {
    const out = normalize(Float32Array.from([0, 1, 0.5]), { mean: 0.1307, std: 0.3081 });
    expect(out[0]).toBeCloseTo(-0.1307 / 0.3081, 5);
    expect(out[1]).toBeCloseTo((1 - 0.1307) / 0.3081, 5);
    expect(out[2]).toBeCloseTo((0.5 - 0.1307) / 0.3081, 5);
  });
});
