/* eslint-disable @nx/enforce-module-boundaries -- builds model folders with the inference app's test helpers. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_PROMOTED_CHANNEL } from '@inkwell/contracts';
import { makePhotoFixtures, type PhotoFixture } from '@inkwell/imaging';
import { ensureTestModel, writeModelFolder } from '../../../inference/src/testing/test-model';
import { startPlatform, type Platform } from '../harness/platform';
import { signInAdmin } from '../harness/sessions';

let p: Platform;
let dir: string;
let token: string;
let fixtures: PhotoFixture[];

beforeAll(async () => {
  const model = await ensureTestModel();
  dir = await mkdtemp(join(tmpdir(), 'inkwell-swap-'));
  for (const id of ['swap_a', 'swap_b']) await writeModelFolder(dir, model.onnx, { ...model.manifest, model_id: id });
  p = await startPlatform({ env: { INFERENCE_MODEL_DIR: dir, INFERENCE_ACTIVE_MODELS: 'swap_a' } });
  token = (await signInAdmin(p)).access;
  fixtures = await makePhotoFixtures({ count: 8, seed: 3 });
});
afterAll(async () => {
  await p.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hot swap of the active model set', () => {
  it('switches sets under continuous load with zero failed requests', async () => {
    const statuses = new Map<number, number>();
    const modelIds = new Set<string>();
    let stop = false;
    let seen = 0;
    const client = async (k: number) => {
      for (let i = k; !stop; i++) {
        const f = fixtures[i % fixtures.length];
        if (!f) continue;
        const res = await request(p.url).post('/v1/read').set('Authorization', `Bearer ${token}`).attach('file', Buffer.from(f.bytes), { filename: 'd', contentType: f.contentType });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200) modelIds.add(res.body.model_id as string);
        seen++;
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(client));
    const waitForModel = async (id: string) => {
      for (const start = Date.now(); Date.now() - start < 30_000; await new Promise((r) => setTimeout(r, 20))) {
        if ((await request(p.url).get('/v1/models/active')).body.model_id === id) return;
      }
      throw new Error(`${id} never became active`);
    };
    const publish = (ids: string[]) => p.redis.publish(`${p.env.redisPrefix}:${MODEL_PROMOTED_CHANNEL}`, JSON.stringify({ model_ids: ids }));

    while (!modelIds.has('swap_a')) await new Promise((r) => setTimeout(r, 10)); // load runs on the first set
    await publish(['swap_b']);
    await waitForModel('swap_b');
    await publish(['swap_a', 'swap_b']);
    await waitForModel('ensemble_2_models');
    const at = seen;
    while (seen < at + 20) await new Promise((r) => setTimeout(r, 10)); // keep reading on the new set a while
    stop = true;
    await load;

    expect(Object.fromEntries(statuses)).toEqual({ 200: seen });
    expect(modelIds).toEqual(new Set(['swap_a', 'swap_b', 'ensemble_2_models']));
  });
});
