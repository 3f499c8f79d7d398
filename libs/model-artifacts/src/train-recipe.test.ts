import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist, subset } from '@inkwell/ml-data';
import { afterAll, describe, expect, it } from 'vitest';
import { readArtifact } from './artifact-store';
import type { DataSource } from './data-source';
import { evaluateOnnx } from './evaluate-onnx';
import { accuracyOf } from './probs';
import { trainRecipe } from './train-recipe';

const out = mkdtempSync(join(tmpdir(), 'inkwell-train-recipe-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Not MNIST's own split: a dataset as an upload would give one, here cut from the MNIST test file. */
function customSource(): DataSource {
  const all = loadMnist('test');
  const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
  return {
    name: 'custom (1500/300/400)',
    load: () => Promise.resolve({ train: subset(all, range(0, 1500)), validation: subset(all, range(1500, 300)), test: subset(all, range(1800, 400)) }),
  };
}

describe('trainRecipe on a data source', () => {
  // CUDA is asked for on purpose: on this CPU-only machine the run must still finish, on CPU, saying so.
  it('trains, calibrates and scores on the splits the source gives, and says which source in its log', async () => {
    const lines: string[] = [];
    const engine: string[] = [];
    const { artifact } = await trainRecipe(
      { name: 'custom-mlp', family: 'mlp', seed: 1, arch: { kind: 'mlp', hidden: [32] }, optimizer: { kind: 'adam', lr: 0.003 }, epochs: 1 },
      {
        source: customSource(),
        outDir: out,
        provider: 'cuda',
        log: (m) => lines.push(m),
        onProgress: (p) => void (p.type === 'log' && engine.push(p.message)),
        deterministic: true,
        threads: 1,
      },
    );
    expect(lines[0]).toBe('custom-mlp: mlp, 1500 training, 300 validation and 400 test digits from custom (1500/300/400)');
    expect(lines.filter((l) => /^execution provider cuda unavailable \(.+\); using cpu$/.test(l))).toHaveLength(1);
    expect(engine.filter((l) => /unavailable/i.test(l))).toHaveLength(1);
    expect(artifact.metrics.count).toBe(400);
    expect(artifact.metrics.validation.count).toBe(300);
    expect(readdirSync(out)).toEqual(['custom-mlp']);
    // What the store reads back is what was written, and its test numbers are those of the file on the source's test split.
    const read = await readArtifact(out, 'custom-mlp');
    expect(read.manifest).toEqual(artifact.manifest);
    const test = (await customSource().load()).test;
    expect(accuracyOf(test.labels, await evaluateOnnx(read.modelPath, test))).toBeCloseTo(read.metrics.accuracy, 12);
    expect(read.metrics.accuracy).toBeGreaterThan(0.5);
  }, 120_000);
});
