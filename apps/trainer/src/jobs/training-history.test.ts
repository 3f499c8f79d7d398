import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, TRAINING_HISTORY_COLUMNS, TrainingHistory, type Identity } from '@inkwell/contracts';
import { signIdentity } from '@inkwell/auth-guard';
import { createDb, type Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { trainerService } from '../service';
import { csvCell } from './training-history.csv';

/* The history export reads rows: the jobs here are written straight to the test's database, nothing trains. */

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let db: Db;
let dataDir: string;
let trainer: Trainer;

const identity = (sub: string, role: 'engineer' | 'admin'): Identity => ({ kind: 'user', sub, role, email: `${sub}@test`, session_id: null, ip: '127.0.0.1', user_agent: null });
const engineerA = identity('00000000-0000-4000-8000-00000000000a', 'engineer');
const engineerB = identity('00000000-0000-4000-8000-00000000000b', 'engineer');
const admin = identity('00000000-0000-4000-8000-0000000000ad', 'admin');
const as = (who: Identity): string => signIdentity(who, env.env.INTERNAL_TOKEN_SECRET ?? '');

const completedCnn = randomUUID();
const failedCnn = randomUUID();
const queuedMlp = randomUUID();
const othersSvm = randomUUID();
const versionId = randomUUID();
// Commas, quotes and a line break: what CSV must quote (JSON turns the line break into `\n`).
const awkward = { filters: [8, 16], note: 'say "hi", then\nleave' };

async function insertJob(id: string, owner: Identity, family: string, status: string, at: string, extra: Record<string, unknown> = {}): Promise<void> {
  await db('training_jobs').insert({
    id,
    owner_id: owner.sub,
    dataset_id: 'mnist',
    split: JSON.stringify({ id: 'mnist-official' }),
    family,
    hyperparameters: JSON.stringify(family === 'cnn' && status === 'completed' ? awkward : {}),
    epochs: 2,
    seed: 3,
    max_train_samples: 1000,
    status,
    created_at: at,
    ...extra,
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'training-history-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'ml', poolMax: 2 });
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer', 'silent'), poolMax: 3 });
  await insertJob(completedCnn, engineerA, 'cnn', 'completed', '2026-12-01T10:00:00Z', { started_at: '2026-12-01T10:00:05Z', finished_at: '2026-12-01T10:01:35.5Z' });
  await db('model_versions').insert({
    id: versionId,
    job_id: completedCnn,
    name: 'cnn-history-test',
    family: 'cnn',
    dataset_id: 'mnist',
    split: JSON.stringify({ id: 'mnist-official' }),
    artifact_path: `models/${versionId}`,
    metrics: JSON.stringify({ split: 'test', count: 10000, accuracy: 0.9812, log_loss: 0.0631, macro: { precision: 0.981, recall: 0.9809, f1: 0.9808 }, per_class: [], confusion: [] }),
  });
  await db('training_jobs').where({ id: completedCnn }).update({ model_version_id: versionId });
  await insertJob(failedCnn, engineerA, 'cnn', 'failed', '2026-12-02T10:00:00Z', { started_at: '2026-12-02T10:00:01Z', finished_at: '2026-12-02T10:00:11Z', error: 'out of memory' });
  await insertJob(queuedMlp, engineerA, 'mlp', 'queued', '2026-12-03T10:00:00Z');
  await insertJob(othersSvm, engineerB, 'svm', 'completed', '2026-12-04T10:00:00Z', { started_at: '2026-12-04T10:00:00Z', finished_at: '2026-12-04T10:00:30Z' });
}, 120_000);

afterAll(async () => {
  await trainer.close();
  await db.destroy();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const history = (who: Identity, query: Record<string, string>) => request(trainer.app).get('/api/training-history').query(query).set(IDENTITY_HEADER, as(who));

/** RFC 4180, enough to read back what the export wrote: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (quoted && c === '"' && next === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && next === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('GET /api/training-history', () => {
  it('a CSV cell is quoted when it holds a comma, a quote or a line break, its quotes doubled; null is empty', () => {
    const cells = [csvCell('plain'), csvCell(0.5), csvCell(null), csvCell('a,b'), csvCell('say "hi"'), csvCell('two\nlines'), csvCell('cr\r')];
    expect(cells).toEqual(['plain', '0.5', '', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r"']);
  });

  it('JSON: one\'s own jobs of the family, newest first, with hyperparameters, duration and the model version\'s scores', async () => {
    const res = await history(engineerA, { family: 'cnn', format: 'json' }).expect(200);
    const { items } = TrainingHistory.parse(res.body);
    expect(items.map((i) => i.job_id)).toEqual([failedCnn, completedCnn]);
    const [failed, completed] = items;
    expect(completed).toMatchObject({ family: 'cnn', hyperparameters: awkward, epochs: 2, seed: 3, status: 'completed', duration_s: 90.5, model_version_id: versionId, accuracy: 0.9812, macro_f1: 0.9808, log_loss: 0.0631 });
    expect(completed?.created_at).toBe('2026-12-01T10:00:00.000Z');
    expect(failed).toMatchObject({ status: 'failed', duration_s: 10, accuracy: null, macro_f1: null, log_loss: null });
    // JSON is the default format; every family without a filter.
    expect(TrainingHistory.parse((await history(engineerA, {}).expect(200)).body).items.map((i) => i.job_id)).toEqual([queuedMlp, failedCnn, completedCnn]);
  });

  it('an engineer sees only their own jobs; an admin sees everyone\'s', async () => {
    expect(TrainingHistory.parse((await history(engineerB, {}).expect(200)).body).items.map((i) => i.job_id)).toEqual([othersSvm]);
    expect(TrainingHistory.parse((await history(admin, {}).expect(200)).body).items.map((i) => i.job_id)).toEqual([othersSvm, queuedMlp, failedCnn, completedCnn]);
    await history({ ...engineerA, role: 'viewer' } as Identity, {}).expect(403);
    // No subject: refused plainly, not matched against an empty owner id.
    const nobody = await history({ ...engineerA, sub: null }, {}).expect(403);
    expect([nobody.body.code, nobody.body.message]).toEqual(['forbidden', expect.stringMatching(/names no user or API key/)]);
    await history(engineerA, { format: 'xml' }).expect(400);
    await history(engineerA, { family: 'perceptron' }).expect(400);
  });

  it('CSV: an attachment with a header line and one quoted-as-needed line per job that reads back to the same values', async () => {
    const res = await history(engineerA, { family: 'cnn', format: 'csv' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?training-history-cnn-\d{4}-\d{2}-\d{2}\.csv"?$/);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual([...TRAINING_HISTORY_COLUMNS]);
    expect(rows).toHaveLength(3);
    const completed = Object.fromEntries(TRAINING_HISTORY_COLUMNS.map((c, i) => [c, rows[2]?.[i]]));
    expect(JSON.parse(completed.hyperparameters ?? '')).toEqual(awkward);
    expect(completed).toMatchObject({ job_id: completedCnn, family: 'cnn', status: 'completed', duration_s: '90.5', accuracy: '0.9812', macro_f1: '0.9808', log_loss: '0.0631', started_at: '2026-12-01T10:00:05.000Z' });
    // The raw cell: quoted, its quotes doubled, the comma and line break inside the quotes.
    // (jsonb keeps keys shortest first; JSON has already escaped the line break.)
    expect(res.text).toContain('"{""note"":""say \\""hi\\"", then\\nleave"",""filters"":[8,16]}"');
    const failed = Object.fromEntries(TRAINING_HISTORY_COLUMNS.map((c, i) => [c, rows[1]?.[i]]));
    expect(failed).toMatchObject({ job_id: failedCnn, accuracy: '', model_version_id: '' });
  });
});
