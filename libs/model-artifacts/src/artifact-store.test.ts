import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelManifest } from '@inkwell/contracts';
import { evaluateClassifier } from '@inkwell/ml-eval';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArtifactMetrics } from './artifact-metrics';
import { listArtifacts, readArtifact, writeArtifact } from './artifact-store';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function content(modelId: string): { onnx: Uint8Array; manifest: ModelManifest; metrics: ArtifactMetrics } {
  const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const probs = labels.flatMap((l) => Array.from({ length: 10 }, (_, k) => (k === l ? 0.91 : 0.01)));
  const report = evaluateClassifier(labels, probs, { split: 'test', temperature: 1.5 });
  return {
    onnx: new Uint8Array([1, 2, 3]),
    manifest: ModelManifest.parse({
      schema_version: '1.1', model_id: modelId, arch: 'cnn', n_classes: 10, version: '1.0.0', created_at: '2026-11-22T10:00:00.000Z',
      preprocess_hash: 'abcdef0123456789', val_acc: 0.99, temperature: 1.5, training_recipe: modelId, training_seed: 1, training_epochs: 3,
      test_acc: report.accuracy, recipe_hash: 'f'.repeat(64), parent_model_id: null,
    }),
    metrics: {
      ...report,
      model_id: modelId,
      validation: { count: 10, accuracy: 1, log_loss: 0.1, ece: 0.09 },
      calibration: { temperature: 1.5, validation_nll_before: 0.2, validation_nll_after: 0.1, test_ece_before: 0.05, test_ece_after: 0.02 },
      timings: { train_seconds: 1, evaluate_seconds: 1 },
    },
  };
}

describe('artifact folders', () => {
  it('round-trips model.onnx, manifest.json and metrics.json and lists finished folders only', () => {
    root = mkdtempSync(join(tmpdir(), 'inkwell-artifacts-'));
    const written = writeArtifact(root, content('m-1'));
    writeArtifact(root, content('m-2'));
    mkdirSync(join(root, '.m-3.123.tmp'));
    writeFileSync(join(root, '.m-3.123.tmp', 'manifest.json'), '{}');
    const read = readArtifact(written.dir);
    expect(read.manifest).toEqual(written.manifest);
    expect(read.metrics.confusion).toEqual(written.metrics.confusion);
    expect(listArtifacts(root).map((a) => a.manifest.model_id)).toEqual(['m-1', 'm-2']);
  });

  it('names the file that is missing or invalid', () => {
    root = mkdtempSync(join(tmpdir(), 'inkwell-artifacts-'));
    const { dir } = writeArtifact(root, content('m-1'));
    rmSync(join(dir, 'metrics.json'));
    expect(() => readArtifact(dir)).toThrow(/metrics\.json is missing/);
    writeFileSync(join(dir, 'metrics.json'), '{}');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...content('m-1').manifest, schema_version: '1.0' }));
    expect(() => readArtifact(dir)).toThrow(/manifest\.json/);
  });

  it('refuses to write a manifest that is not v1.1', () => {
    root = mkdtempSync(join(tmpdir(), 'inkwell-artifacts-'));
    const c = content('m-1');
    expect(() => writeArtifact(root, { ...c, manifest: { ...c.manifest, n_classes: 11 as 10 } })).toThrow();
    expect(listArtifacts(root)).toEqual([]);
  });
});
