import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FamilyList, IDENTITY_HEADER, type Identity } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { trainerService } from '../service';

/*
 * The families in code against the `families` table at start: before the trainer starts, the
 * test's own database gets a row for a family no code has, and loses the row of one that code has.
 */

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let db: Db;
let dataDir: string;
let trainer: Trainer;
const lines: { level: string; msg: string; family?: string }[] = [];

const identity = (sub: string, role: 'engineer' | 'admin'): Identity => ({ kind: 'user', sub, role, email: `${sub}@test`, session_id: null, ip: '127.0.0.1', user_agent: null });
const engineer = identity('00000000-0000-4000-8000-00000000000e', 'engineer');
const admin = identity('00000000-0000-4000-8000-0000000000ad', 'admin');
const as = (who: Identity): string => signIdentity(who, env.env.INTERNAL_TOKEN_SECRET ?? '');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'families-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 2 });
  await db('families').insert({ name: 'bogus_family', status: 'available' });
  await db('families').where({ name: 'resnet' }).delete();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as (typeof lines)[number]);
      done();
    },
  });
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer', 'info', sink), poolMax: 3 });
}, 120_000);

afterAll(async () => {
  await trainer.close();
  await db.destroy();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const statuses = async (): Promise<Record<string, string>> => Object.fromEntries(((await db('families').select('name', 'status')) as { name: string; status: string }[]).map((r) => [r.name, r.status]));

describe('model families reconciled at start', () => {
  it('in code and table: available; in the table only: unavailable; in code only: unregistered, with a warning', async () => {
    expect(await statuses()).toEqual({ svm: 'available', random_forest: 'available', mlp: 'available', cnn: 'available', lenet5: 'available', resnet18: 'available', bogus_family: 'unavailable' });
    const warnings = lines.filter((l) => l.level === 'warn' && /unregistered/.test(l.msg));
    expect(warnings.map((l) => l.family)).toEqual(['resnet']);

    const res = await request(trainer.app).get('/api/families').set(IDENTITY_HEADER, as(engineer)).expect(200);
    const byName = new Map(FamilyList.parse(res.body).items.map((f) => [f.name, f]));
    expect([...byName.keys()].sort()).toEqual(['bogus_family', 'cnn', 'lenet5', 'mlp', 'random_forest', 'resnet', 'resnet18', 'svm']);
    expect(byName.get('resnet')).toMatchObject({ status: 'unregistered', registered_at: null, defaults: { depth: 8, width: 16, learning_rate: 0.001, batch_size: 64, optimizer: 'adamw' } });
    expect(byName.get('bogus_family')).toMatchObject({ status: 'unavailable', description: null, defaults: null, parameters: null });
    const svm = byName.get('svm');
    expect(svm).toMatchObject({ status: 'available', defaults: { kernel: 'rbf', C: 10, gamma: 0.025, degree: 3, coef0: 0 } });
    // The JSON Schema of the family's hyperparameters, strict like the schema itself.
    expect(svm?.parameters).toMatchObject({ type: 'object', additionalProperties: false, properties: { kernel: { enum: ['rbf', 'linear', 'poly'] }, C: { type: 'number' } } });
    expect(Object.keys((byName.get('mlp')?.parameters as { properties: object }).properties)).toEqual(expect.arrayContaining(['layers', 'neurons', 'activation', 'dropout', 'learning_rate', 'batch_size', 'optimizer', 'weight_decay', 'schedule', 'augmentation']));
    await request(trainer.app).get('/api/families').set(IDENTITY_HEADER, as({ ...engineer, role: 'viewer' })).expect(403);
  });

  it('training an unregistered or unavailable family is refused 409 and no job is written; bad hyperparameters of an available one are 400', async () => {
    const train = (body: object) => request(trainer.app).post('/api/models/train').set(IDENTITY_HEADER, as(engineer)).send({ dataset_id: 'mnist', epochs: 1, max_train_samples: 100, ...body });
    const unregistered = await train({ family: 'resnet', hyperparameters: { depth: 8 } }).expect(409);
    expect(unregistered.body).toMatchObject({ code: 'conflict', details: { family: 'resnet', status: 'unregistered' } });
    // Another trainer, whose code lacks cnn, reconciled after this one started.
    await db('families').where({ name: 'cnn' }).update({ status: 'unavailable' });
    expect((await train({ family: 'cnn' }).expect(409)).body).toMatchObject({ code: 'conflict', details: { status: 'unavailable' } });
    const bad = await train({ family: 'svm', hyperparameters: { C: -1, gamma: 'auto' } }).expect(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed', details: { issues: [{ path: 'hyperparameters.C' }] } });
    const oldNames = await train({ family: 'mlp', hyperparameters: { arch: { hidden: [16] } } }).expect(400);
    expect(JSON.stringify(oldNames.body)).toMatch(/arch/);
    const jobs = (await db('training_jobs').count({ n: '*' }).first()) as { n: string | number } | undefined;
    expect(Number(jobs?.n)).toBe(0);
  });

  it('an admin registers an unregistered family (an engineer may not); it is then trainable', async () => {
    await request(trainer.app).post('/api/families/resnet/register').set(IDENTITY_HEADER, as(engineer)).expect(403);
    await request(trainer.app).post('/api/families/bogus_family/register').set(IDENTITY_HEADER, as(admin)).expect(400);
    const registered = await request(trainer.app).post('/api/families/resnet/register').set(IDENTITY_HEADER, as(admin)).expect(200);
    expect(registered.body).toMatchObject({ name: 'resnet', status: 'available', registered_at: expect.any(String) });
    expect(await db('families').where({ name: 'resnet' }).first()).toMatchObject({ status: 'available', registered_by: admin.sub });
    const audit = (await db('outbox').where({ topic: 'audit' }).select('payload')) as { payload: { action: string; target: { id: string } } }[];
    expect(audit.map((a) => [a.payload.action, a.payload.target.id])).toContainEqual(['family.register', 'resnet']);
    // Past the family check now: the same request that was 409 is refused for its depth instead.
    const res = await request(trainer.app).post('/api/models/train').set(IDENTITY_HEADER, as(engineer)).send({ dataset_id: 'mnist', family: 'resnet', epochs: 1, hyperparameters: { depth: 9 } }).expect(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', details: { issues: [{ path: 'hyperparameters.depth' }] } });
  });
});
