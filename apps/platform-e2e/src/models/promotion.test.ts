import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '@inkwell/auth-guard';
import { ActivationList, ActiveModels, IDENTITY_HEADER, ModelList, ModelVersion } from '@inkwell/contracts';
import { makePhotoFixtures, type PhotoFixture } from '@inkwell/imaging';
import { startPlatform, type Platform } from '../harness/platform';
import { createUser, signInAdmin, type Session } from '../harness/sessions';
import { MODEL_A as A, MODEL_B as B, shippedModels, type ShippedModels } from '../harness/shipped-models';

let p: Platform;
let shipped: ShippedModels | undefined;
let admin: Session;
let fixtures: PhotoFixture[];

beforeAll(async () => {
  // Two different small models shipped as the defaults; ensemble.json names the first alone as the default set.
  shipped = await shippedModels({ name: 'promotion' });
  p = await startPlatform({
    registry: true,
    inferenceReplicas: 2,
    // As a fresh clone: the trainer registers the shipped models and activates the default set.
    env: shipped.env,
  });
  admin = await signInAdmin(p);
  fixtures = await makePhotoFixtures({ count: 8, seed: 5 });
}, 300_000);

afterAll(async () => {
  await p?.close();
  shipped?.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bearer = (s: Session) => ({ Authorization: `Bearer ${s.access}` });
/** What one replica serves, asked directly (past the gateway, with an identity it signs). */
const servedBy = async (url: string): Promise<string[]> => {
  const secret = p.env.env.INTERNAL_TOKEN_SECRET ?? '';
  const identity = signIdentity({ kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '127.0.0.1', user_agent: 'e2e' }, secret);
  const a = ActiveModels.parse((await request(url).get('/v1/models/active').set(IDENTITY_HEADER, identity)).body);
  return a.model_loaded ? a.model_ids : [];
};
const untilAllServe = async (ids: string[], ms: number): Promise<number> => {
  const start = Date.now();
  for (; Date.now() - start < ms; await sleep(20)) {
    const served = await Promise.all(p.inferenceUrls.map(servedBy));
    if (served.every((s) => JSON.stringify(s) === JSON.stringify(ids))) return Date.now() - start;
  }
  throw new Error(`not every replica serves [${ids.join(', ')}] within ${ms} ms: ${JSON.stringify(await Promise.all(p.inferenceUrls.map(servedBy)))}`);
};
/** Reads one replica answered (its own Prometheus counter). */
const readsServedBy = async (url: string): Promise<number> => {
  const text = (await request(url).get('/metrics')).text;
  return [...text.matchAll(/^inference_predictions_total\{[^}]*outcome="ok"[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
};
const models = async (query: Record<string, string> = {}) => ModelList.parse((await request(p.url).get('/api/models').query(query).set(bearer(admin))).body).items;
const byName = async (name: string): Promise<ModelVersion> => {
  const v = (await models()).find((m) => m.name === name);
  if (!v) throw new Error(`no version named ${name}`);
  return v;
};

describe('a fresh platform', () => {
  it('lists the shipped default models, and every inference replica serves the set the registry names', async () => {
    expect((await models({ source: 'builtin' })).map((m) => m.name).sort()).toEqual([A, B].sort());
    // The default ensemble (here: A alone) is the registry's active set, and both replicas serve it.
    await untilAllServe([A], 30_000);
    expect((await models({ active: 'true' })).map((m) => m.name)).toEqual([A]);
    const [initial] = ActivationList.parse((await request(p.url).get('/api/models/activations').set(bearer(admin))).body).items;
    expect(initial).toMatchObject({ kind: 'initial', actor: { kind: 'system' }, to_ids: [(await byName(A)).id] });
  });
});

describe('promotion and rollback under continuous load, on two inference replicas', () => {
  it('zero failed reads; both replicas serve the new set within 2 s of each answer; the history says who and why', async () => {
    const b = await byName(B);
    for (const start = Date.now(); (await byName(B)).status !== 'ready'; await sleep(200)) {
      if (Date.now() - start > 120_000) throw new Error('B was never evaluated');
    }
    const statuses = new Map<number, number>();
    const seen = new Set<string>();
    let stop = false;
    let reads = 0;
    const client = async (k: number) => {
      for (let i = k; !stop; i++) {
        const f = fixtures[i % fixtures.length];
        if (!f) continue;
        const res = await request(p.url).post('/v1/read').set(bearer(admin)).attach('file', Buffer.from(f.bytes), { filename: 'd', contentType: f.contentType });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200) seen.add(res.body.model_id as string);
        reads++;
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(client));
    while (reads < 20) await sleep(10);

    const promoted = await request(p.url).post(`/api/models/${b.id}/promote`).set(bearer(admin)).send({ reason: 'e2e: B replaces the default' });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    const promoteMs = await untilAllServe([B], 2_000);
    expect(promoteMs).toBeLessThan(2_000);
    const afterPromote = reads;
    while (reads < afterPromote + 20) await sleep(10);

    const rolledBack = await request(p.url).post('/api/models/rollback').set(bearer(admin)).send({ reason: 'e2e: back to the default' });
    expect(rolledBack.status, JSON.stringify(rolledBack.body)).toBe(200);
    const rollbackMs = await untilAllServe([A], 2_000);
    expect(rollbackMs).toBeLessThan(2_000);
    const afterRollback = reads;
    while (reads < afterRollback + 20) await sleep(10);
    stop = true;
    await load;

    console.info(`promotion under load, ${p.inferenceUrls.length} inference processes: ${reads} reads, statuses ${JSON.stringify(Object.fromEntries(statuses))}; every replica served the new set ${promoteMs.toFixed(0)} ms after the promote answered, the old one ${rollbackMs.toFixed(0)} ms after the rollback answered`);
    expect(Object.fromEntries(statuses)).toEqual({ 200: reads });
    expect(seen).toEqual(new Set([A, B]));
    // The gateway's connections were spread over both replicas: each answered reads.
    for (const url of p.inferenceUrls) expect(await readsServedBy(url)).toBeGreaterThan(0);
    const history = ActivationList.parse((await request(p.url).get('/api/models/activations').set(bearer(admin))).body).items;
    expect(history.slice(0, 2)).toMatchObject([
      { kind: 'rollback', reason: 'e2e: back to the default', actor: { kind: 'user', id: admin.userId, email: admin.email }, to_ids: [(await byName(A)).id] },
      { kind: 'promote', reason: 'e2e: B replaces the default', actor: { kind: 'user', id: admin.userId, email: admin.email }, to_ids: [b.id], gate: { passed: true } },
    ]);
  });

  it('a viewer gets 403 on promote, rollback, import and delete; deleting the active model is 409', async () => {
    const viewer = await createUser(p, admin, 'viewer');
    const a = await byName(A);
    expect((await request(p.url).post(`/api/models/${a.id}/promote`).set(bearer(viewer)).send({})).status).toBe(403);
    expect((await request(p.url).post('/api/models/rollback').set(bearer(viewer)).send({})).status).toBe(403);
    expect((await request(p.url).delete(`/api/models/${a.id}`).set(bearer(viewer))).status).toBe(403);
    expect((await request(p.url).post('/api/models/import').set(bearer(viewer)).attach('model', Buffer.from('onnx'), 'model.onnx')).status).toBe(403);
    const del = await request(p.url).delete(`/api/models/${a.id}`).set(bearer(admin));
    expect([del.status, del.body.code]).toEqual([409, 'conflict']);
  });
});
