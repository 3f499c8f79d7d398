import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '@inkwell/auth-guard';
import { ErrorBody, IDENTITY_HEADER, type Identity, ModelMisreads } from '@inkwell/contracts';
import { digitAt } from '@inkwell/ml-data';
import { mnistTest } from '@inkwell/model-artifacts';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { trainerService } from '../service';

/* The images behind a confusion-matrix cell, found from a version's stored per-image predictions on MNIST's test file. */

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let dataDir: string;
let trainer: Trainer;
let db: Db;
const viewer: Identity = { kind: 'user', sub: '00000000-0000-4000-8000-00000000000c', role: 'viewer', email: 'v@test', session_id: null, ip: '127.0.0.1', user_agent: null };
const test = mnistTest();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'misreads-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'silent'), poolMax: 2 });
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: trainerService.schema, poolMax: 1 });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await trainer?.close();
  await env?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A version registered as `status` whose stored predictions are the labels, except that every `3` at an index divisible by 7 is read as 5. */
async function versionWith(status: 'ready' | 'evaluating', predictions: Uint8Array | null): Promise<string> {
  const id = randomUUID();
  await db('model_versions').insert({
    id, job_id: null, source: 'imported', name: `misreads-${id.slice(0, 8)}`, family: 'mlp', dataset_id: 'mnist', split: '{}', test_set: 'mnist:test',
    artifact_path: `models/${id}`, metrics: null, status, test_predictions: predictions ? Buffer.from(predictions) : null,
  });
  return id;
}

const threesReadAsFives = (): { predictions: Uint8Array; indices: number[] } => {
  const predictions = Uint8Array.from(test.labels);
  const indices: number[] = [];
  for (let i = 0; i < test.count; i++) {
    if (test.labels[i] === 3 && i % 7 === 0) {
      predictions[i] = 5;
      indices.push(i);
    }
  }
  return { predictions, indices };
};

const get = (id: string, query: Record<string, string | number>) =>
  request(trainer.app).get(`/api/models/${id}/misreads`).query(query).set(IDENTITY_HEADER, signIdentity(viewer, trainer.ctx.config.INTERNAL_TOKEN_SECRET));

/** The pixels of a grayscale 8-bit PNG without filters (what the route writes), checked against its header. */
function decodeGrayPng(png: Buffer): { width: number; height: number; pixels: Uint8Array } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idatLength = png.readUInt32BE(33);
  expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  return { width, height, pixels };
}

describe('GET /api/models/{id}/misreads', () => {
  it('answers, for a viewer, the test images of that cell in test-set order, as PNGs of those very digits, and how many there are', async () => {
    const { predictions, indices } = threesReadAsFives();
    const id = await versionWith('ready', predictions);
    const res = await get(id, { true: 3, predicted: 5, limit: 5 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = ModelMisreads.parse(res.body);
    expect(body).toMatchObject({ test_set: 'mnist:test', true: 3, predicted: 5, total: indices.length });
    expect(body.items.map((m) => m.index)).toEqual(indices.slice(0, 5));
    for (const m of body.items) {
      const png = decodeGrayPng(Buffer.from(m.png_b64, 'base64'));
      expect([png.width, png.height]).toEqual([28, 28]);
      // Dark ink on white: the MNIST digit inverted.
      expect(Array.from(png.pixels)).toEqual(Array.from(digitAt(test, m.index)).map((p) => 255 - p));
    }
    // The default limit, and an empty cell: none, not an error.
    expect(ModelMisreads.parse((await get(id, { true: 3, predicted: 5 })).body).items).toHaveLength(Math.min(50, indices.length));
    expect(ModelMisreads.parse((await get(id, { true: 3, predicted: 8 })).body)).toMatchObject({ total: 0, items: [] });
    // The diagonal: the threes it read correctly.
    const threes = test.labels.filter((l) => l === 3).length;
    expect(ModelMisreads.parse((await get(id, { true: 3, predicted: 3, limit: 1 })).body).total).toBe(threes - indices.length);
  });

  it('refuses a digit out of range or a limit too big (400), an unknown version (404), and one not evaluated yet (409)', async () => {
    const id = await versionWith('ready', threesReadAsFives().predictions);
    const bad: Record<string, number>[] = [{ true: 10, predicted: 5 }, { true: 3, predicted: -1 }, { true: 3, predicted: 5, limit: 201 }, { predicted: 5 }];
    for (const q of bad) {
      const res = await get(id, q);
      expect(res.status, JSON.stringify(q)).toBe(400);
      expect(ErrorBody.parse(res.body).code).toBe('validation_failed');
    }
    expect((await get(randomUUID(), { true: 3, predicted: 5 })).status).toBe(404);
    const evaluating = await versionWith('evaluating', null);
    const res = await get(evaluating, { true: 3, predicted: 5 });
    expect(res.status).toBe(409);
    expect(ErrorBody.parse(res.body).code).toBe('conflict');
  });
});
