import { describe, expect, it } from 'vitest';
import { CreateReportRequest } from '../reports/reports-http';
import { BenchmarkRequest } from './benchmark-request';

const engines = [{ engine: 'ort-cpu', threads: 1 }, { engine: 'ort-cpu', threads: 2 }, { engine: 'ort-wasm' }];

describe('BenchmarkRequest bounds the whole request, not only each field', () => {
  it('accepts a usual request', () => {
    expect(BenchmarkRequest.safeParse({ model_version_id: 'active', engines, batch_sizes: [1, 8, 64], iterations: 200 }).success).toBe(true);
  });

  it('refuses runs, seconds or warmup images that add up past the bounds', () => {
    const runs = BenchmarkRequest.safeParse({ model_version_id: 'active', engines, batch_sizes: [1, 2, 4, 8, 16, 32, 64, 128], iterations: 100_000 });
    expect(runs.success).toBe(false);
    const seconds = BenchmarkRequest.safeParse({ model_version_id: 'active', engines, batch_sizes: [1, 8], duration_s: 3600 });
    expect(seconds.success).toBe(false);
    const warmup = BenchmarkRequest.safeParse({ model_version_id: 'active', engines, batch_sizes: [1024, 512], warmup_iterations: 1000 });
    expect(warmup.success).toBe(false);
  });
});

describe('CreateReportRequest', () => {
  it('refuses comparing a version with itself', () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect(CreateReportRequest.safeParse({ kind: 'comparison', a: id, b: id }).success).toBe(false);
    expect(CreateReportRequest.safeParse({ kind: 'comparison', a: id, b: '00000000-0000-4000-8000-000000000002' }).success).toBe(true);
  });
});
