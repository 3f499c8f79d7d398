import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subset } from '@inkwell/ml-data';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalizeImported } from './canonical-onnx';
import { mnistTest } from './data';
import { evaluateOnnx } from './evaluate-onnx';
import { checkImportedModel } from './import-checks';
import { evaluateImported } from './run-imported';
import { tinyModel, type TinyOptions } from './testing/tiny-classifier';

const root = mkdtempSync(join(tmpdir(), 'inkwell-canonical-onnx-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const fileOf = (bytes: Uint8Array): string => {
  const path = join(root, `m${++counter}.onnx`);
  writeFileSync(path, bytes);
  return path;
};
const digits = () => subset(mnistTest(), Array.from({ length: 50 }, (_, i) => i));

describe('canonicalizeImported', () => {
  it.each<[string, TinyOptions]>([
    ['[N,784] input and logits', { inputShape: ['N', 784], softmax: false }],
    ['[N,784] input already named image', { inputShape: ['N', 784], inputName: 'image' }],
    ['[N,1,28,28] input and logits', { softmax: false }],
  ])('%s: becomes [N,1,28,28] -> probabilities, with the same probabilities as the upload', async (_name, opts) => {
    const original = fileOf(tinyModel(opts));
    const checked = await checkImportedModel(original);
    const canonical = canonicalizeImported(new Uint8Array(tinyModel(opts)), checked);
    expect(canonical.rewritten).toBe(true);
    const path = fileOf(canonical.bytes);
    // The rewritten file passes the checks as the platform's own form...
    expect(await checkImportedModel(path)).toMatchObject({ inputLayout: 'nchw', outputKind: 'probs', inputName: canonical.inputName, outputName: canonical.outputName });
    // ...and evaluateOnnx (what the registry's evaluation and serving use) reads the upload's probabilities from it.
    const want = await evaluateImported(original, checked, digits());
    const got = await evaluateOnnx(path, digits(), { inputName: canonical.inputName, outputName: canonical.outputName });
    expect(got.length).toBe(500);
    for (let i = 0; i < got.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(1e-6);
  });

  it('returns a model already in the platform’s form byte for byte', async () => {
    const bytes = tinyModel();
    const checked = await checkImportedModel(fileOf(bytes));
    const canonical = canonicalizeImported(bytes, checked);
    expect(canonical).toMatchObject({ rewritten: false, inputName: 'pixels', outputName: 'probs' });
    expect(canonical.bytes).toBe(bytes);
  });
});
