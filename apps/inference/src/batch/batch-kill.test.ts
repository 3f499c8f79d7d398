import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchRunProgress } from '@inkwell/contracts';
import { createDb, type Db } from '@inkwell/db';
import { createTestEnv, createTestQueues, startServiceProcess, type ServiceProcess, type TestEnv, type TestQueues } from '@inkwell/testing';
import { mnistPngs, seedBatchJob } from '../testing/batch-seed';
import { readResultsZip } from '../testing/read-results-zip';
import { ensureTestModel } from '../testing/test-model';

const TOTAL = 10_000;

let env: TestEnv;
let queues: TestQueues;
let db: Db;
let dataDir: string;
const processes: ServiceProcess[] = [];

/** Inference as its own OS process, as `npm start` runs it; a short lock, so a killed process's job comes back in seconds. */
const startInference = async (): Promise<ServiceProcess> => {
  const p = await startServiceProcess({ entry: 'apps/inference/src/main.ts', portVar: 'INFERENCE_PORT', env: { ...env.env, INFERENCE_BATCH_LOCK_MS: '3000', INFERENCE_BATCH_STALLED_INTERVAL_MS: '1000' } });
  processes.push(p);
  return p;
};

beforeAll(async () => {
  const model = await ensureTestModel();
  dataDir = mkdtempSync(join(tmpdir(), 'batch-kill-'));
  env = await createTestEnv({ DATA_DIR: dataDir, INFERENCE_MODEL_DIR: model.modelDir, INFERENCE_REGISTRY_URL: '' });
  queues = createTestQueues(env.redisPrefix);
  db = createDb({ url: env.env.DATABASE_URL ?? '', schema: 'inference', poolMax: 2 });
}, 120_000);

afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  await db.destroy();
  await queues.cleanup();
  await env.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('an inference process killed mid-batch (kill -9)', () => {
  it('after a restart the job completes with exactly 10,000 result rows, none lost, none twice', async () => {
    // 10,000 items from 250 distinct MNIST digits (the files differ; the crash is what is tested).
    const digits = await mnistPngs(250);
    const jobId = await seedBatchJob(
      db,
      dataDir,
      Array.from({ length: TOTAL }, (_, i) => ({ name: `pages/${Math.floor(i / 100)}/digit-${i}.png`, bytes: digits[i % digits.length]?.bytes ?? new Uint8Array() })),
    );
    const events = await queues.events('batch');
    const progress: { processed: number; at: number }[] = [];
    const halfway = new Promise<void>((resolve) => {
      events.on('progress', ({ jobId: id, data }) => {
        const p = BatchRunProgress.safeParse(data);
        if (id !== jobId || !p.success) return;
        progress.push({ processed: p.data.processed, at: Date.now() });
        if (p.data.processed >= TOTAL / 2) resolve();
      });
    });

    const first = await startInference();
    await queues.queue('batch').add('batch.run', { job_id: jobId, request_id: null }, { request_id: null, actor_id: null }, { jobId });
    await halfway;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const killedAt = progress.length;
    const atKill: { processed: number; status: string } | undefined = await db('batch_jobs').where({ id: jobId }).first('processed', 'status');
    expect(atKill?.status).toBe('running');
    expect(atKill?.processed).toBeLessThan(TOTAL);

    await startInference();
    const finished = await queues.waitForJob('batch', jobId, 240_000);
    expect(finished).toEqual({ state: 'completed', returnvalue: { job_id: jobId, status: 'completed' } });

    const row: { status: string; processed: number; failed: number; results_path: string | null } | undefined = await db('batch_jobs').where({ id: jobId }).first('status', 'processed', 'failed', 'results_path');
    expect(row).toMatchObject({ status: 'completed', processed: TOTAL, failed: 0 });
    const counts: { n: number; distinct_idx: number; pending: number }[] = await db('batch_items')
      .where({ job_id: jobId })
      .select(db.raw('count(*)::int as n'), db.raw('count(distinct idx)::int as distinct_idx'), db.raw("count(*) filter (where status <> 'done')::int as pending"));
    expect(counts[0]).toEqual({ n: TOTAL, distinct_idx: TOTAL, pending: 0 });

    const zip = await readResultsZip(join(dataDir, row?.results_path ?? 'missing'));
    const rows = zip.csv.slice(1);
    expect(rows).toHaveLength(TOTAL);
    expect(new Set(rows.map((r) => r[0])).size).toBe(TOTAL);
    expect(new Set(rows.map((r) => r[1])).size).toBe(TOTAL);
    expect(zip.summary).toMatchObject({ total_images: TOTAL, done: TOTAL, failed: 0 });

    // The restarted process resumed from the checkpoint rather than starting over.
    const after = progress.slice(killedAt).map((p) => p.processed);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(atKill?.processed ?? TOTAL);
    console.info(`batch kill -9: killed at ${atKill?.processed ?? '?'} of ${TOTAL} committed; resumed at ${Math.min(...after)}; ${progress.length} progress reports`);
  }, 420_000);
});
