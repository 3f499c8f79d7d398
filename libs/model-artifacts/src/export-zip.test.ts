import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subset } from '@inkwell/ml-data';
import { afterAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { mnistTest } from './data';
import { evaluateOnnx } from './evaluate-onnx';
import { EXPORT_ZIP_ENTRIES, planModelZip } from './export-zip';
import { MANIFEST_FILE, METRICS_FILE, MODEL_FILE } from './model-folder';

// A real model folder of the repo (the smallest one), copied so the test may also alter it.
const source = join(import.meta.dirname, '../../../models/resnet-b-v1');
const root = mkdtempSync(join(tmpdir(), 'inkwell-export-zip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function copyModel(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of EXPORT_ZIP_ENTRIES) copyFileSync(join(source, f), join(dir, f));
  return dir;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    out.set(entry.fileName, await collect(await zip.openReadStreamPromise(entry)));
  }
  return out;
}

describe('planModelZip', () => {
  it('knows the exact ZIP size before streaming, and streams that many bytes', async () => {
    const dir = copyModel('size');
    const plan = await planModelZip(dir);
    const bytes = await collect(plan.open());
    expect(plan.size).toBe(bytes.length);
    // Stored, not deflated: the archive is its three files plus headers.
    const files = EXPORT_ZIP_ENTRIES.reduce((s, f) => s + readFileSync(join(dir, f)).length, 0);
    expect(plan.size).toBeGreaterThan(files);
    expect(plan.size).toBeLessThan(files + 1024);
  });

  it('gives the same bytes on every download of one folder', async () => {
    const dir = copyModel('stable');
    const [one, two] = await Promise.all([planModelZip(dir).then((p) => collect(p.open())), planModelZip(dir).then((p) => collect(p.open()))]);
    expect(one.equals(two)).toBe(true);
  });

  it('unzips to byte-identical model.onnx, manifest.json and metrics.json', async () => {
    const dir = copyModel('identical');
    const files = await unzip(await collect((await planModelZip(dir)).open()));
    expect([...files.keys()].sort()).toEqual([MANIFEST_FILE, METRICS_FILE, MODEL_FILE]);
    for (const f of EXPORT_ZIP_ENTRIES) expect(files.get(f)?.equals(readFileSync(join(dir, f)))).toBe(true);
  });

  it('the unzipped model gives the same probabilities as the original on 100 MNIST test digits', async () => {
    const dir = copyModel('probs');
    const files = await unzip(await collect((await planModelZip(dir)).open()));
    const out = join(root, 'unzipped');
    mkdirSync(out, { recursive: true });
    const model = files.get(MODEL_FILE);
    if (!model) throw new Error('no model.onnx in the ZIP');
    writeFileSync(join(out, MODEL_FILE), model);
    const digits = subset(mnistTest(), Array.from({ length: 100 }, (_, i) => i));
    const original = await evaluateOnnx(join(dir, MODEL_FILE), digits, { threads: 1 });
    const exported = await evaluateOnnx(join(out, MODEL_FILE), digits, { threads: 1 });
    expect(exported.length).toBe(1000);
    expect(Array.from(exported)).toEqual(Array.from(original));
  });

  it('refuses a folder missing one of the three files, naming it', async () => {
    const dir = copyModel('missing');
    rmSync(join(dir, METRICS_FILE));
    await expect(planModelZip(dir)).rejects.toThrow(/metrics\.json/);
  });

  it('takes metrics.json from the caller when the folder has none, and sizes the ZIP with it', async () => {
    const dir = copyModel('fallback');
    rmSync(join(dir, METRICS_FILE));
    const metrics = Buffer.from(JSON.stringify({ accuracy: 0.5 }));
    const plan = await planModelZip(dir, { metricsFallback: metrics });
    const bytes = await collect(plan.open());
    expect(bytes.length).toBe(plan.size);
    expect((await unzip(bytes)).get(METRICS_FILE)?.equals(metrics)).toBe(true);
    // The folder's own file wins when it exists.
    copyFileSync(join(source, METRICS_FILE), join(dir, METRICS_FILE));
    const own = await unzip(await collect((await planModelZip(dir, { metricsFallback: metrics })).open()));
    expect(own.get(METRICS_FILE)?.equals(readFileSync(join(source, METRICS_FILE)))).toBe(true);
  });

  it('fails the stream (not a short, valid-looking ZIP) when a file changes size after planning', async () => {
    const dir = copyModel('changed');
    const plan = await planModelZip(dir);
    writeFileSync(join(dir, MANIFEST_FILE), '{}');
    await expect(collect(plan.open())).rejects.toThrow(/unexpected number of bytes/);
  });
});
