import { readFileSync } from 'node:fs';
import request from 'supertest';
import yauzl from 'yauzl';
import { ModelVersion } from '@inkwell/contracts';
import { builtinMnistFiles } from '@inkwell/datasets';
import type { Platform } from './platform';
import type { Session } from './sessions';

/* Helpers the model-registry e2e tests share: HTTP as a user, waiting on queued work, MNIST's test file. */

/** A GET through the gateway as `who`. */
export const getAs = (p: Platform, who: Session, path: string) => request(p.url).get(path).set('Authorization', `Bearer ${who.access}`);

/** Polls until `check` answers non-null (the work runs on queues; there is no event to wait on over HTTP). */
export async function until<T>(what: string, check: () => Promise<T | null>, ms = 240_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < ms; await new Promise((r) => setTimeout(r, 250))) {
    const v = await check();
    if (v !== null) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The version once its evaluation has run; a failed evaluation fails the test with its reason. */
export const readyVersion = (p: Platform, who: Session, id: string, ms?: number): Promise<ModelVersion> =>
  until(
    `model version ${id} to be evaluated`,
    async () => {
      const v = ModelVersion.parse((await getAs(p, who, `/api/models/${id}`)).body);
      if (v.status === 'failed') throw new Error(`evaluation failed: ${v.status_reason}`);
      return v.status === 'ready' ? v : null;
    },
    ms,
  );

/** MNIST's t10k digits, straight from the IDX files (28x28 bytes each, 0 background .. 255 ink). */
export function mnistTestFile(): { pixels: Uint8Array; labels: Uint8Array; count: number } {
  const { test } = builtinMnistFiles();
  if (test.format !== 'idx') throw new Error('expected the IDX pair');
  const images = readFileSync(test.images);
  const labels = readFileSync(test.labels);
  return { pixels: new Uint8Array(images.subarray(16)), labels: new Uint8Array(labels.subarray(8)), count: images.readUInt32BE(4) };
}

/** The likeliest class of row `i` of a rows x 10 block (ties: the smaller class). */
export const argmax = (rows: Float32Array, i: number): number => {
  let best = 0;
  for (let c = 1; c < 10; c++) if ((rows[i * 10 + c] ?? 0) > (rows[i * 10 + best] ?? 0)) best = c;
  return best;
};

/** Every entry of a ZIP, by name. */
export async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
    files.set(entry.fileName, Buffer.concat(chunks));
  }
  return files;
}
