import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '@inkwell/auth-guard';
import { Activation, ActivationList, IDENTITY_HEADER, type Identity, ModelManifest, RegistryActiveSet } from '@inkwell/contracts';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { accuracyOf, evaluateOnnx, meanProbs, mnistTest } from '@inkwell/model-artifacts';
import { GraphBuilder } from '@inkwell/onnx';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import type { Knex } from 'knex';
import { trainerService } from '../service';

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let dataDir: string;
let defaultsDir: string;
let trainer: Trainer;
let db: Db;

const who = (role: 'viewer' | 'engineer' | 'admin', sub = `00000000-0000-4000-8000-0000000000${role === 'admin' ? 'ad' : role === 'engineer' ? 'e1' : 'f1'}`): Identity => ({
  kind: 'user', sub, role, email: `${role}@test`, session_id: null, ip: '127.0.0.1', user_agent: null,
});
const admin = who('admin');
const as = (identity: Identity) => ({ [IDENTITY_HEADER]: signIdentity(identity, trainer.ctx.config.INTERNAL_TOKEN_SECRET) });

/** A real, tiny graph: class k weighs pixel `offset + k`, so two offsets are two different models. */
function tinyGraph(offset: number): Uint8Array {
  const g = new GraphBuilder('tiny');
  const image = g.input('image', 'float32', ['N', 1, 28, 28]);
  const flat = g.node('Flatten', [image], { axis: 1 });
  const w = g.initializer('w', 'float32', [10, 784], Array.from({ length: 7840 }, (_, i) => (i % 784 === (Math.floor(i / 784) * 37 + offset) % 784 ? 1 : 0)));
  const logits = g.node('Gemm', [flat, w], { transB: 1 });
  g.output(g.node('Softmax', [logits], { axis: 1 }, { outputs: ['probs'] }), 'float32', ['N', 10]);
  return g.toModel();
}

/** A registered, evaluated version (as the registry holds one after its evaluation), with a model folder when `graph` is given. */
async function seedVersion(o: { name: string; accuracy: number; source?: 'imported' | 'builtin'; graph?: Uint8Array; testSet?: string }): Promise<string> {
  const id = randomUUID();
  if (o.graph) {
    const dir = join(dataDir, 'models', id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.onnx'), o.graph);
    const manifest = ModelManifest.parse({
      schema_version: '1.1', model_id: o.name, arch: 'mlp', n_classes: 10, version: '1.0.0', created_at: '2026-12-01T10:00:00.000Z',
      preprocess_hash: PREPROCESS_HASH, val_acc: 0.5, temperature: 1, training_recipe: o.name, training_seed: 1, training_epochs: 1,
      test_acc: 0.5, recipe_hash: 'f'.repeat(64), parent_model_id: null,
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  }
  await db('model_versions').insert({
    id, job_id: null, source: o.source ?? 'imported', name: o.name, family: 'mlp', dataset_id: 'mnist', split: '{}', test_set: o.testSet ?? 'mnist:test',
    artifact_path: `models/${id}`, sha256: randomUUID().replace(/-/g, ''), size_bytes: 1, status: 'ready', accuracy: o.accuracy,
  });
  return id;
}

/** The advisory lock every change of the active set queues on (activations.store.ts). */
const ACTIVE_SET_LOCK = 0x6d6c6163;

/** Holds the active-set lock in a transaction of the test's own, so a promotion started now waits on it. */
async function holdLock(): Promise<Knex.Transaction> {
  const trx = await db.transaction();
  await trx.raw('select pg_advisory_xact_lock(?)', [ACTIVE_SET_LOCK]);
  return trx;
}

/** Resolves once a session of this test's database waits for an advisory lock. */
async function someoneWaitsForTheLock(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row: { n: string | number } | undefined = await db.raw(
      "select count(*) as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
    ).then((r: { rows: { n: string | number }[] }) => r.rows[0]);
    if (Number(row?.n ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error('nobody waited for the active-set lock');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const outbox = async (topic: string) => (await db('outbox').where({ topic }).orderBy('created_at').select('payload')).map((r: { payload: Record<string, unknown> }) => r.payload);
const activeSet = async () => RegistryActiveSet.parse((await request(trainer.app).get('/internal/models/active-set').set(as(who('viewer')))).body);
const promote = (id: string, body: object = {}, identity: Identity = admin) => request(trainer.app).post(`/api/models/${id}/promote`).set(as(identity)).send(body);
const rollback = (body: object = {}, identity: Identity = admin) => request(trainer.app).post('/api/models/rollback').set(as(identity)).send(body);
const activations = async (query: Record<string, string> = {}) => ActivationList.parse((await request(trainer.app).get('/api/models/activations').query(query).set(as(who('engineer')))).body);

let b1: string;
let b2: string;
let good: string;
let worse: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'activations-'));
  defaultsDir = mkdtempSync(join(tmpdir(), 'activations-defaults-'));
  env = await createTestEnv({ DATA_DIR: dataDir, TRAINER_PROMOTE_MIN_ACCURACY: '0.97', TRAINER_PROMOTE_MAX_DROP: '0.01' });
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'silent'), poolMax: 4 });
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 2 });
  b1 = await seedVersion({ name: 'default-a', accuracy: 0.985, source: 'builtin' });
  b2 = await seedVersion({ name: 'default-b', accuracy: 0.986, source: 'builtin' });
  good = await seedVersion({ name: 'good', accuracy: 0.995 });
  worse = await seedVersion({ name: 'worse', accuracy: 0.975 });
  writeFileSync(
    join(defaultsDir, 'ensemble.json'),
    JSON.stringify({
      schema_version: 1, ensemble_id: 'test-ensemble', combine: 'mean_probs', members: ['default-b', 'default-a'], preprocess_hash: PREPROCESS_HASH,
      created_at: '2026-12-01T10:00:00.000Z', val_acc: 0.99, test_acc: 0.99, test_ece: 0.01, test_log_loss: 0.05, member_test_acc: { 'default-a': 0.985, 'default-b': 0.986 },
    }),
  );
}, 120_000);

afterAll(async () => {
  await db.destroy();
  await trainer.close();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(defaultsDir, { recursive: true, force: true });
});

describe('activations: which versions inference serves', () => {
  it('activates the default ensemble once, by the system, even when trainers start together; inference is told in the same transaction', async () => {
    expect(await activeSet()).toEqual({ active: false });
    const results = await Promise.all([0, 1, 2].map(() => trainer.exposes.activations.activateDefaults(defaultsDir)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const [initial, ...rest] = (await activations()).items;
    expect(rest).toEqual([]);
    expect(initial).toMatchObject({ kind: 'initial', from_ids: [], to_ids: [b2, b1], to_accuracy: 0.99, actor: { kind: 'system', id: null } });
    expect(await activeSet()).toMatchObject({ active: true, activation_id: initial?.id, model_ids: [b2, b1], versions: [{ id: b2, name: 'default-b' }, { id: b1, name: 'default-a' }] });
    expect(await outbox('model.promoted')).toEqual([{ model_ids: [b2, b1], activation_id: initial?.id }]);
    const flags = await db('model_versions').where({ active: true }).pluck('id');
    expect(flags.sort()).toEqual([b1, b2].sort());
  });

  it('promotes a better version: gate numbers, row, active flag, audit event and model.promoted', async () => {
    const res = await promote(good, { reason: 'better on every digit' });
    expect(res.status).toBe(200);
    const a = Activation.parse(res.body);
    expect(a).toMatchObject({ kind: 'promote', from_ids: [b2, b1], to_ids: [good], forced: false, reason: 'better on every digit', actor: { kind: 'user', id: admin.sub, email: 'admin@test' } });
    expect(a.gate).toEqual({ floor: 0.97, max_drop: 0.01, candidate_accuracy: 0.995, active_accuracy: 0.99, passed: true, failures: [] });
    expect((await activeSet()).active && (await activeSet())).toMatchObject({ activation_id: a.id, model_ids: [good] });
    expect((await outbox('model.promoted')).at(-1)).toMatchObject({ model_ids: [good], activation_id: a.id });
    const audit = (await outbox('audit')).filter((e) => e.action === 'model.promote');
    expect(audit).toEqual([expect.objectContaining({ outcome: 'success', actor: expect.objectContaining({ id: admin.sub }), details: expect.objectContaining({ activation_id: a.id, reason: 'better on every digit' }) })]);
    expect(await db('model_versions').where({ active: true }).pluck('id')).toEqual([good]);
  });

  it('the gate refuses a version two points worse than the one serving (409 with the numbers), audits the refusal and changes nothing', async () => {
    const before = (await outbox('model.promoted')).length;
    const res = await promote(worse);
    expect([res.status, res.body.code]).toEqual([409, 'conflict']);
    expect(res.body.details).toEqual({ gate_refused: true, gate: { floor: 0.97, max_drop: 0.01, candidate_accuracy: 0.975, active_accuracy: 0.995, passed: false, failures: [expect.stringMatching(/more than 1\.00 % below/)] } });
    expect((await activeSet()).active && (await activeSet())).toMatchObject({ model_ids: [good] });
    expect(await outbox('model.promoted')).toHaveLength(before);
    expect((await outbox('audit')).filter((e) => e.action === 'model.promote' && e.outcome === 'failure')).toHaveLength(1);
  });

  it('force without a reason is 400; with a reason it passes, marked forced, and is audited', async () => {
    const bare = await promote(worse, { force: true });
    expect([bare.status, bare.body.code]).toEqual([400, 'validation_failed']);
    const blank = await promote(worse, { force: true, reason: '   ' });
    expect(blank.status).toBe(400);
    const res = await promote(worse, { force: true, reason: 'hotfix: the better one misreads sevens' });
    expect(res.status).toBe(200);
    const a = Activation.parse(res.body);
    expect(a).toMatchObject({ kind: 'promote', forced: true, reason: 'hotfix: the better one misreads sevens', to_ids: [worse], from_ids: [good], gate: { passed: false, candidate_accuracy: 0.975, active_accuracy: 0.995 } });
    const audit = (await outbox('audit')).filter((e) => e.action === 'model.promote' && e.outcome === 'success').at(-1);
    expect(audit?.details).toMatchObject({ activation_id: a.id, forced: true, reason: 'hotfix: the better one misreads sevens', gate: { passed: false } });
    expect((await outbox('model.promoted')).at(-1)).toMatchObject({ model_ids: [worse], activation_id: a.id });
  });

  it('rolls back one promotion per call, back to the defaults, then has nothing left to roll back', async () => {
    const first = await rollback({ reason: 'sevens were fine' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ kind: 'rollback', from_ids: [worse], to_ids: [good], to_accuracy: 0.995, reason: 'sevens were fine', gate: null });
    expect((await outbox('model.promoted')).at(-1)).toMatchObject({ model_ids: [good], activation_id: first.body.id });
    const second = await rollback();
    expect(second.body).toMatchObject({ kind: 'rollback', from_ids: [good], to_ids: [b2, b1], to_accuracy: 0.99 });
    expect((await activeSet()).active && (await activeSet())).toMatchObject({ model_ids: [b2, b1] });
    const third = await rollback();
    expect([third.status, third.body.code]).toEqual([409, 'conflict']);
    expect((await outbox('audit')).filter((e) => e.action === 'model.rollback')).toHaveLength(2);
  });

  it('lists the activations newest first, filtered by kind, actor and time', async () => {
    const all = await activations();
    expect(all.items.map((a) => a.kind)).toEqual(['rollback', 'rollback', 'promote', 'promote', 'initial']);
    expect(all.total).toBe(5);
    expect((await activations({ kind: 'promote' })).items.map((a) => a.reason)).toEqual(['hotfix: the better one misreads sevens', 'better on every digit']);
    expect((await activations({ actor: 'ADMIN@test' })).total).toBe(4);
    expect((await activations({ actor: admin.sub ?? '' })).total).toBe(4);
    expect((await activations({ since: new Date(Date.now() + 60_000).toISOString() })).total).toBe(0);
    expect((await activations({ until: new Date(Date.now() + 60_000).toISOString(), page_size: '2' })).items).toHaveLength(2);
    const bad = await request(trainer.app).get('/api/models/activations').query({ kind: 'nope' }).set(as(who('engineer')));
    expect(bad.status).toBe(400);
  });

  it('an ensemble candidate is judged on its averaged probabilities, measured from the members\' ONNX files', async () => {
    const e1 = await seedVersion({ name: 'tiny-1', accuracy: 0.99, graph: tinyGraph(300) });
    const e2 = await seedVersion({ name: 'tiny-2', accuracy: 0.99, graph: tinyGraph(410) });
    const res = await promote(e1, { ensemble_with: [e2] });
    // The stored accuracies say 0.99; the ensemble of two pixel-reading graphs is far below the floor.
    expect([res.status, res.body.details?.gate?.passed]).toEqual([409, false]);
    const set = mnistTest();
    const probs = await Promise.all([e1, e2].map((id) => evaluateOnnx(join(dataDir, 'models', id, 'model.onnx'), set)));
    expect(res.body.details.gate.candidate_accuracy).toBeCloseTo(accuracyOf(set.labels, meanProbs(probs)), 10);
    expect(res.body.details.gate.candidate_accuracy).toBeLessThan(0.5);
    const forced = await promote(e1, { ensemble_with: [e2], force: true, reason: 'testing the ensemble path' });
    expect(forced.body).toMatchObject({ to_ids: [e1, e2], forced: true });
    expect((await activeSet()).active && (await activeSet())).toMatchObject({ model_ids: [e1, e2] });
    expect((await promote(e1, { ensemble_with: [e2], force: true, reason: 'again' })).status).toBe(409); // already serving
    expect((await promote(e1, { ensemble_with: [e1] })).status).toBe(400);
    expect((await promote(randomUUID())).status).toBe(404);
  });

  it('deleting a version that serves (alone or in the ensemble) is 409; another is soft-deleted, audited, and can no longer be promoted', async () => {
    const [e1, e2] = (await activeSet()).active ? ((await activeSet()) as { model_ids: string[] }).model_ids : [];
    for (const id of [e1, e2]) {
      const res = await request(trainer.app).delete(`/api/models/${id ?? ''}`).set(as(admin));
      expect([res.status, res.body.code, res.body.message]).toEqual([409, 'conflict', expect.stringMatching(/active ensemble/)]);
    }
    const del = await request(trainer.app).delete(`/api/models/${worse}`).set(as(admin));
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: worse, status: 'deleted' });
    expect(await db('model_versions').where({ id: worse }).first('deleted_by')).toEqual({ deleted_by: admin.sub });
    expect((await outbox('audit')).filter((e) => e.action === 'model.delete')).toHaveLength(1);
    expect((await promote(worse, { force: true, reason: 'x' })).status).toBe(409);
    expect((await request(trainer.app).delete(`/api/models/${randomUUID()}`).set(as(admin))).status).toBe(404);
  });

  it('only admins promote, roll back and delete; engineers and admins read the history; guests are 401', async () => {
    for (const role of ['viewer', 'engineer'] as const) {
      expect((await promote(good, {}, who(role))).status).toBe(403);
      expect((await rollback({}, who(role))).status).toBe(403);
      expect((await request(trainer.app).delete(`/api/models/${good}`).set(as(who(role)))).status).toBe(403);
    }
    expect((await request(trainer.app).get('/api/models/activations').set(as(who('viewer')))).status).toBe(403);
    const guest: Identity = { kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '127.0.0.1', user_agent: null };
    expect((await promote(good, {}, guest)).status).toBe(401);
    expect((await request(trainer.app).get('/internal/models/active-set')).status).toBe(401); // not through the gateway
  });
});

describe('activations: races and test sets', () => {
  it('refuses a candidate tested on another test set than mnist:test, even forced (409, the numbers would not compare)', async () => {
    const before = await activeSet();
    const uploaded = await seedVersion({ name: 'uploaded-split', accuracy: 0.999, testSet: 'letters:0123abcd' });
    for (const body of [{}, { force: true, reason: 'it is better' }]) {
      const res = await promote(uploaded, body);
      expect([res.status, res.body.code, res.body.details]).toEqual([409, 'conflict', { test_set: 'letters:0123abcd', required_test_set: 'mnist:test' }]);
      expect(res.body.message).toMatch(/tested on letters:0123abcd.*force does not override/);
    }
    expect(await activeSet()).toEqual(before);
  });

  it('a delete that commits while a promotion waits for the lock: the promotion re-reads the version under the lock and refuses (409)', async () => {
    const before = await activeSet();
    const racer = await seedVersion({ name: 'racer', accuracy: 0.995 });
    const trx = await holdLock();
    // Uncommitted: the promotion's first read still sees the version `ready`.
    await trx('model_versions').where({ id: racer }).update({ status: 'deleted', deleted_at: trx.fn.now() });
    const pending = promote(racer).then((r) => r);
    await someoneWaitsForTheLock();
    await trx.commit();
    const res = await pending;
    expect([res.status, res.body.code, res.body.message]).toEqual([409, 'conflict', expect.stringMatching(/became deleted/)]);
    expect(await activeSet()).toEqual(before);
    expect(await db('model_versions').where({ id: racer }).first('active')).toEqual({ active: false });
  });

  it('rollback refuses (409) when the set it would restore names a version deleted after it served', async () => {
    const serving = await activeSet();
    const [e1, e2] = serving.active ? serving.model_ids : [];
    expect((await promote(good, { reason: 'move off the tiny ensemble' })).status).toBe(200);
    expect((await request(trainer.app).delete(`/api/models/${e2 ?? ''}`).set(as(admin))).status).toBe(200);
    const res = await rollback();
    expect([res.status, res.body.code, res.body.details]).toEqual([409, 'conflict', { deleted_id: e2 }]);
    expect(res.body.message).toMatch(/deleted after it served/);
    expect(await activeSet()).toMatchObject({ model_ids: [good] });
    expect(e1).toBeDefined();
  });

  it("the serving ensemble's unrecorded accuracy is measured before the promotion takes the lock, stored on its activation row, and judged", async () => {
    const t1 = await seedVersion({ name: 'tiny-3', accuracy: 0.99, graph: tinyGraph(520) });
    const t2 = await seedVersion({ name: 'tiny-4', accuracy: 0.99, graph: tinyGraph(610) });
    // An ensemble activated without a measured accuracy (as a rollback to an unmeasured set leaves it).
    const [row]: { id: string | number }[] = await db('activations')
      .insert({ kind: 'promote', from_ids: [good], to_ids: [t1, t2], from_accuracy: null, to_accuracy: null, actor_kind: 'system', forced: false })
      .returning('id');
    const activationId = Number(row?.id);
    const set = mnistTest();
    const probs = await Promise.all([t1, t2].map((id) => evaluateOnnx(join(dataDir, 'models', id, 'model.onnx'), set)));
    const expected = accuracyOf(set.labels, meanProbs(probs));

    const trx = await holdLock();
    const pending = promote(good).then((r) => r);
    await someoneWaitsForTheLock();
    // The promotion waits for the lock with the serving set's accuracy already measured and stored.
    const stored: { to_accuracy: number | null } = await db('activations').where({ id: activationId }).first('to_accuracy');
    await trx.commit();
    expect(stored.to_accuracy).toBeCloseTo(expected, 10);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.gate.active_accuracy).toBeCloseTo(expected, 10);
    expect(res.body.from_ids).toEqual([t1, t2]);
  });
});
