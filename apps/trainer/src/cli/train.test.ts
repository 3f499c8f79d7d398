import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { accuracyOf, evaluateOnnx, readArtifact, recipeHash } from '@inkwell/model-artifacts';
import { loadMnist, subset } from '@inkwell/ml-data';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainArgs } from './train-args';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const out = mkdtempSync(join(tmpdir(), 'inkwell-train-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run train', () => {
  it('trains a small mlp for one epoch and leaves a complete artifact folder whose ONNX file reads digits', async () => {
    const argv = ['--arch', 'mlp', '--hidden', '32', '--epochs', '1', '--train-limit', '2000', '--lr', '0.003', '--seed', '3', '--model-id', 'cli-test-mlp', '--out', out];
    const { stdout } = await promisify(execFile)(TSX, [join(ROOT, 'apps/trainer/src/cli/train.ts'), ...argv], { cwd: ROOT });
    expect(readdirSync(out)).toEqual(['cli-test-mlp']);
    // readArtifact validates manifest.json (ModelManifest v1.1) and metrics.json (the ml-eval report).
    const artifact = await readArtifact(out, 'cli-test-mlp');
    const parsed = parseTrainArgs(argv);
    if (parsed.help) throw new Error('unexpected help');
    expect(artifact.manifest).toMatchObject({ schema_version: '1.1', arch: 'mlp', n_classes: 10, training_seed: 3, training_epochs: 1, preprocess_hash: PREPROCESS_HASH });
    expect(artifact.manifest.recipe_hash).toBe(recipeHash(parsed.recipe));
    expect(artifact.metrics.count).toBe(10000);
    expect(artifact.metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(10000);
    expect(artifact.metrics.calibration.temperature).toBe(artifact.manifest.temperature);

    const test = subset(loadMnist('test'), Array.from({ length: 1000 }, (_, i) => i));
    const acc = accuracyOf(test.labels, await evaluateOnnx(artifact.modelPath, test));
    expect(acc).toBeGreaterThan(0.8);
    expect(stdout).toContain('test acc (ONNX)');
    expect(stdout).toContain(`${(100 * artifact.metrics.accuracy).toFixed(2)} %`);
  }, 150_000);
});
