import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '@inkwell/contracts';
import { onnx } from '@inkwell/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImportedModel, IMPORT_MAX_BYTES, writeCapped } from './import-checks';
import type { ImportCheck } from './onnx-structure';
import { tinyModel, type TinyOptions } from './testing/tiny-classifier';

const root = mkdtempSync(join(tmpdir(), 'inkwell-import-checks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const REPO_MODEL = join(import.meta.dirname, '../../../models/resnet-b-v1/model.onnx');

let counter = 0;
function fileOf(bytes: Uint8Array): string {
  const path = join(root, `model-${++counter}.onnx`);
  writeFileSync(path, bytes);
  return path;
}

/** The refusal's code and check name, or a failure when the model was accepted. */
async function refusal(path: string): Promise<{ code: string; check: ImportCheck; message: string }> {
  try {
    await checkImportedModel(path);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const details = e.details as { check: ImportCheck };
    return { code: e.code, check: details.check, message: e.message };
  }
  throw new Error(`${path} was accepted`);
}

describe('checkImportedModel accepts', () => {
  it('one of the platform’s own exported models, with its input and probabilities', async () => {
    const r = await checkImportedModel(REPO_MODEL);
    expect(r).toMatchObject({ inputName: 'image', inputLayout: 'nchw', outputName: 'probs', outputKind: 'probs', opset: 17 });
    // A trained model: the smoke run's 100 digits are nearly all right.
    expect(r.smokeAccuracy).toBeGreaterThan(0.9);
  });

  it('a [N, 784] model that outputs logits (softmax is applied when it is evaluated)', async () => {
    const r = await checkImportedModel(fileOf(tinyModel({ inputShape: [-1, 784], softmax: false })));
    expect(r).toMatchObject({ inputName: 'pixels', inputLayout: 'flat', outputName: 'scores', outputKind: 'logits' });
  });

  it('a batch dimension that is left unnamed', async () => {
    const bytes = tinyModel({ inputShape: ['N', 784] });
    const model = onnx.ModelProto.decode(bytes);
    const dim = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[0];
    if (!dim) throw new Error('no batch dim');
    dim.dimParam = null; // neither dimParam nor dimValue: an unknown (dynamic) size
    const r = await checkImportedModel(fileOf(onnx.ModelProto.encode(model).finish()));
    expect(r.inputLayout).toBe('flat');
  });
});

describe('checkImportedModel refuses, naming the check', () => {
  it('a file over the size cap, before reading it (a sparse 1.1 GB file)', async () => {
    const path = join(root, 'huge.onnx');
    writeFileSync(path, '');
    truncateSync(path, 1_100_000_000);
    expect(statSync(path).size).toBe(1_100_000_000);
    expect(IMPORT_MAX_BYTES).toBe(1024 ** 3);
    const r = await refusal(path);
    expect(r).toMatchObject({ code: 'too_large', check: 'size' });
    expect(r.message).toMatch(/^size check failed: .*1100000000 bytes.*1073741824/);
  });

  it('a truncated copy of a valid model', async () => {
    const bytes = readFileSync(REPO_MODEL);
    const r = await refusal(fileOf(bytes.subarray(0, Math.floor(bytes.length / 2))));
    expect(r).toMatchObject({ code: 'invalid_model', check: 'parse' });
    expect(r.message).toMatch(/^parse check failed: /);
  });

  it('a file that is not ONNX at all', async () => {
    const r = await refusal(fileOf(new TextEncoder().encode('this is a note, not a model\n')));
    expect(r).toMatchObject({ code: 'invalid_model', check: 'parse' });
  });

  it('an opset onnxruntime-node does not run', async () => {
    const r = await refusal(fileOf(tinyModel({ opset: 5 })));
    expect(r).toMatchObject({ code: 'invalid_model', check: 'opset' });
    expect(r.message).toMatch(/^opset check failed: .*ai\.onnx opset 5.*7\.\.23/);
  });

  it('a custom operator, naming its domain and type', async () => {
    const r = await refusal(fileOf(tinyModel({ customOp: true })));
    expect(r).toMatchObject({ code: 'invalid_model', check: 'custom_operator' });
    expect(r.message).toMatch(/^custom operator check failed: .*com\.example.*MagicDigits/);
  });

  it('weights stored outside the file (external data could name a file anywhere on the server)', async () => {
    const model = onnx.ModelProto.decode(tinyModel());
    const w = model.graph?.initializer?.find((t) => t.name === 'w');
    if (!w) throw new Error('no w');
    w.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    w.externalData = [new onnx.StringStringEntryProto({ key: 'location', value: '/etc/passwd' })];
    w.floatData = [];
    const r = await refusal(fileOf(onnx.ModelProto.encode(model).finish()));
    expect(r).toMatchObject({ code: 'invalid_model', check: 'external_data' });
  });

  it.each<[string, TinyOptions, RegExp]>([
    ['a 32x32 image input', { inputShape: ['N', 1, 32, 32] }, /\[N,1,32,32\]/],
    ['a [N, 28, 28] input', { inputShape: ['N', 28, 28] }, /\[N,28,28\]/],
    ['a fixed batch of 1', { inputShape: [1, 784] }, /batch/],
    ['a float64 input', { inputType: 'float64', inputShape: ['N', 784] }, /float32/],
    ['two inputs', { inputShape: ['N', 784], extraInput: true }, /exactly one input/],
  ])('%s (input check)', async (_name, opts, why) => {
    const r = await refusal(fileOf(tinyModel(opts)));
    expect(r).toMatchObject({ code: 'invalid_model', check: 'input' });
    expect(r.message).toMatch(/^input check failed: /);
    expect(r.message).toMatch(why);
  });

  it.each<[string, TinyOptions, RegExp]>([
    ['11 classes', { outputClasses: 11 }, /\[N,11\]/],
    ['an output declared without its class dimension', { declaredOutputShape: ['N'] }, /\[N\]/],
    ['two outputs', { extraOutput: true }, /exactly one output/],
  ])('%s (output check)', async (_name, opts, why) => {
    const r = await refusal(fileOf(tinyModel(opts)));
    expect(r).toMatchObject({ code: 'invalid_model', check: 'output' });
    expect(r.message).toMatch(/^output check failed: /);
    expect(r.message).toMatch(why);
  });

  it('a model whose outputs on real digits are not finite (smoke run check)', async () => {
    const r = await refusal(fileOf(tinyModel({ nan: true })));
    expect(r).toMatchObject({ code: 'invalid_model', check: 'smoke_run' });
    expect(r.message).toMatch(/^smoke run check failed: .*not finite/);
  });
});

describe('writeCapped', () => {
  it('stores a stream within the cap and says how many bytes it wrote', async () => {
    const path = join(root, 'small.bin');
    expect(await writeCapped(Readable.from([Buffer.alloc(600, 1), Buffer.alloc(400, 2)]), path, 1000)).toBe(1000);
    expect(statSync(path).size).toBe(1000);
  });

  it('refuses while streaming, as soon as the cap is passed, without reading the rest', async () => {
    const path = join(root, 'big.bin');
    let pulled = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 1000; i++) {
          pulled++;
          yield Buffer.alloc(1000);
        }
      })(),
    );
    const err = await writeCapped(source, path, 5000).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'too_large', details: { check: 'size' } });
    expect(pulled).toBeLessThan(50);
  });
});
