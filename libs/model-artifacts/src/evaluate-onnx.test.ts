import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist, subset } from '@inkwell/ml-data';
import { afterAll, describe, expect, it } from 'vitest';
import { writeArtifact } from './artifact-store';
import { evaluateOnnx } from './evaluate-onnx';
import { artifactContent } from './testing/artifact-content';

const root = mkdtempSync(join(tmpdir(), 'inkwell-eval-onnx-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('evaluateOnnx', () => {
  // This machine's onnxruntime-node is CPU-only: CUDA asked for means the same numbers, on CPU, and one line saying so.
  it('falls back from CUDA to CPU with one log line and answers exactly what a CPU session answers', async () => {
    const { modelPath } = await writeArtifact(root, artifactContent('tiny'));
    const digits = subset(loadMnist('test'), Array.from({ length: 25 }, (_, i) => i));
    const lines: string[] = [];
    const onCuda = await evaluateOnnx(modelPath, digits, { provider: 'cuda', log: (m) => lines.push(m), batchSize: 10 });
    const onCpu = await evaluateOnnx(modelPath, digits);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^execution provider cuda unavailable \(.+\); using cpu$/);
    expect(onCuda.length).toBe(250);
    expect(Array.from(onCuda)).toEqual(Array.from(onCpu));
    for (let r = 0; r < 25; r++) expect(onCuda.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
