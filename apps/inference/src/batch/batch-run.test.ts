import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, BATCH_RESULTS_CSV_COLUMNS, BATCH_RESULTS_FILES, BatchRunProgress, ReadResponse, type ReadFields } from '@inkwell/contracts';
import { makeBadInputs, makePhotoFixtures } from '@inkwell/imaging';
import { createRedis, createTypedWorker } from '@inkwell/queue';
import { createTestQueues, type TestQueues } from '@inkwell/testing';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { mnistPngs, seedBatchJob, type SeedItem } from '../testing/batch-seed';
import { readResultsZip } from '../testing/read-results-zip';
import { ensureTestModel } from '../testing/test-model';
import { type BatchNotice, subscribeBatchNotices } from './batch-events';
import { BatchRunStore } from './batch-run.store';
import { batchHandlers } from './batch-worker';

let svc: InferenceApp;
let queues: TestQueues;
let dataDir: string;
let store: BatchRunStore;

const CHUNK = 8;

beforeAll(async () => {
  const model = await ensureTestModel();
  dataDir = mkdtempSync(join(tmpdir(), 'batch-run-'));
  svc = await startInferenceApp({ INFERENCE_MODEL_DIR: model.modelDir, DATA_DIR: dataDir, INFERENCE_USAGE_FLUSH_MS: '60000', INFERENCE_BATCH_CHUNK_SIZE: String(CHUNK) });
  queues = createTestQueues(svc.env.redisPrefix);
  store = new BatchRunStore(svc.ctx.db);
  await waitFor(() => svc.runtime.active.set !== null, 60_000, 'model loaded');
});

afterAll(async () => {
  await svc.close();
  await queues.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const run = async (jobId: string) => {
  await svc.runtime.batch.queue.add('batch.run', { job_id: jobId, request_id: null }, { request_id: null, actor_id: null }, { jobId });
  return queues.waitForJob('batch', jobId, 60_000);
};

const jobRow = async (id: string) => {
  const row: { status: string; processed: number; failed: number; total_images: number; results_path: string | null; summary: unknown; started_at: Date | null; finished_at: Date | null } | undefined = await svc.ctx
    .db('batch_jobs')
    .where({ id })
    .first();
  if (!row) throw new Error(`no job ${id}`);
  return row;
};

/** What a single upload of the same bytes answers: a reading, or the error code. */
const readOne = async (bytes: Uint8Array) => {
  const res = await request(svc.app).post('/v1/read').set(svc.headers()).attach('file', Buffer.from(bytes), { filename: 'x', contentType: 'application/octet-stream' });
  return res.status === 200 ? { ok: true as const, body: ReadResponse.parse(res.body) } : { ok: false as const, code: String(res.body.code) };
};

describe('batch.run', () => {
  it('reads every item as /v1/read reads the same file, keeps the names, and writes results.zip with csv, json and summary', async () => {
    const digits = await mnistPngs(20);
    const photos = await makePhotoFixtures({ count: 3, seed: 11 });
    const bad = await makeBadInputs();
    const items: SeedItem[] = [
      ...digits.map((d, i) => ({ name: `scans/${i % 3}/digit-${i}.png`, bytes: d.bytes })),
      ...photos.map((p, i) => ({ name: `photos/p${i}.jpg`, bytes: p.bytes })),
      ...bad.map((b) => ({ name: `bad/${b.name}`, bytes: b.bytes })),
      { name: '=HYPERLINK("http://evil.test","click").png', bytes: digits[0]?.bytes ?? new Uint8Array() },
      { name: 'notes/readme.txt', refused: 'invalid_image' },
    ];
    const jobId = await seedBatchJob(svc.ctx.db, dataDir, items);

    const finished = await run(jobId);
    expect(finished).toEqual({ state: 'completed', returnvalue: { job_id: jobId, status: 'completed' } });

    const expected = await Promise.all(items.map(async (it) => ('bytes' in it ? readOne(it.bytes) : { ok: false as const, code: it.refused })));
    const failures = expected.filter((e) => !e.ok).length;
    const row = await jobRow(jobId);
    expect(row).toMatchObject({ status: 'completed', total_images: items.length, processed: items.length, failed: failures, results_path: join('batch', jobId, 'results.zip') });
    expect(row.started_at).not.toBeNull();
    expect(row.finished_at).not.toBeNull();

    const zip = await readResultsZip(join(dataDir, row.results_path ?? ''));
    expect(zip.names).toEqual([BATCH_RESULTS_FILES.csv, BATCH_RESULTS_FILES.json, BATCH_RESULTS_FILES.summary]);
    expect(zip.csv[0]).toEqual([...BATCH_RESULTS_CSV_COLUMNS]);
    expect(zip.csv).toHaveLength(items.length + 1);
    expect(zip.json.items.map((i) => i.name)).toEqual(items.map((i) => i.name));
    expect(zip.csv.slice(1).map((r) => r[0])).toEqual(items.map((_, i) => String(i)));
    // The formula-looking name reaches the spreadsheet as text, its real name in the JSON.
    expect(zip.csv[items.length - 1]?.[1]).toBe(`'${items[items.length - 2]?.name ?? ''}`);

    for (const [i, item] of zip.json.items.entries()) {
      const want = expected[i];
      if (!want) throw new Error('missing expectation');
      if (want.ok) {
        // Exactly, not close: the column is double precision, as the reader computes it.
        expect({ name: item.name, status: item.status, digit: item.digit, confidence: item.confidence, uncertain: item.uncertain }).toEqual({ name: item.name, status: 'done', digit: want.body.digit, confidence: want.body.confidence, uncertain: want.body.uncertain });
        expect(item.top3?.[0]).toMatchObject({ digit: want.body.digit });
        expect(item.top3?.map((t) => t.prob)).toEqual([...(item.top3?.map((t) => t.prob) ?? [])].sort((a, b) => b - a));
      } else {
        expect({ name: item.name, status: item.status, error_code: item.error_code }).toEqual({ name: item.name, status: 'error', error_code: want.code });
      }
    }
    // Every bad input fails with the code the imaging library promises for it, as a single upload does.
    for (const b of bad) expect(zip.json.items.find((i) => i.name === `bad/${b.name}`)?.error_code).toBe(b.expectedCode);
    // The small test model reads most clean MNIST digits right: the items are the images named.
    const right = digits.filter((d, i) => zip.json.items[i]?.digit === d.label).length;
    expect(right).toBeGreaterThanOrEqual(15);

    const byDigit: Record<string, number> = {};
    const byError: Record<string, number> = {};
    for (const it of zip.json.items) {
      if (it.error_code !== null) byError[it.error_code] = (byError[it.error_code] ?? 0) + 1;
      else if (it.digit !== null) byDigit[String(it.digit)] = (byDigit[String(it.digit)] ?? 0) + 1;
    }
    expect(zip.summary).toMatchObject({ job_id: jobId, total_images: items.length, done: items.length - failures, failed: failures, by_error: byError, uncertain: zip.json.items.filter((i) => i.uncertain === true).length });
    expect(Object.fromEntries(Object.entries(zip.summary.by_digit).filter(([, n]) => n > 0))).toEqual(byDigit);
    expect(row.summary).toEqual({ by_digit: zip.summary.by_digit, by_error: zip.summary.by_error, uncertain: zip.summary.uncertain });
  });

  it('resumes a job a crash interrupted: items already written are kept and not counted again', async () => {
    const digits = await mnistPngs(30, 100);
    const jobId = await seedBatchJob(svc.ctx.db, dataDir, digits.map((d, i) => ({ name: `d${i}.png`, bytes: d.bytes })));
    // As a killed worker leaves it: running, 12 items committed (with a marker no real read gives),
    // and counters that a half-done statement could never leave, so the resume must recount them.
    await svc.ctx.db('batch_items').where({ job_id: jobId }).andWhere('idx', '<', 12).update({ status: 'done', digit: 0, confidence: 0.123, top3: JSON.stringify([{ digit: 0, prob: 0.123 }]), uncertain: true });
    await svc.ctx.db('batch_jobs').where({ id: jobId }).update({ status: 'running', started_at: new Date(Date.now() - 60_000), processed: 3, failed: 0 });

    expect((await run(jobId)).state).toBe('completed');
    const row = await jobRow(jobId);
    expect(row).toMatchObject({ status: 'completed', processed: 30, failed: 0 });
    const items: { idx: number; confidence: number }[] = await svc.ctx.db('batch_items').where({ job_id: jobId }).orderBy('idx').select('idx', 'confidence');
    expect(items.map((i) => i.idx)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(items.slice(0, 12).every((i) => Math.abs(i.confidence - 0.123) < 1e-6)).toBe(true);
    expect(items.slice(12).some((i) => Math.abs(i.confidence - 0.123) < 1e-6)).toBe(false);
    expect((await readResultsZip(join(dataDir, row.results_path ?? ''))).csv).toHaveLength(31);
  });

  it('committing a chunk again (items already written) changes nothing: no item counted twice or overwritten', async () => {
    const digits = await mnistPngs(4, 200);
    const jobId = await seedBatchJob(svc.ctx.db, dataDir, digits.map((d, i) => ({ name: `d${i}.png`, bytes: d.bytes })));
    await store.start(jobId);
    const chunk = [
      { idx: 0, status: 'done' as const, digit: 1, confidence: 0.9, top3: [{ digit: 1, prob: 0.9 }], uncertain: false },
      { idx: 1, status: 'error' as const, errorCode: 'invalid_image' },
    ];
    // What each commit newly wrote is what the admin statistics count: a repeated chunk adds nothing.
    const first = await store.commitChunk(jobId, chunk);
    expect(first).toMatchObject({ processed: 2, failed: 1 });
    expect(first?.written).toEqual({ ok: 1, errors: { invalid_image: 1 } });
    const again = await store.commitChunk(jobId, chunk);
    expect(again).toMatchObject({ processed: 2, failed: 1 });
    expect(again?.written).toEqual({ ok: 0, errors: {} });
    const third = await store.commitChunk(jobId, [{ idx: 1, status: 'done', digit: 3, confidence: 0.8, top3: [], uncertain: false }, { idx: 2, status: 'error', errorCode: 'timeout' }]);
    expect(third).toMatchObject({ processed: 3, failed: 2 });
    expect(third?.written).toEqual({ ok: 0, errors: { timeout: 1 } });
    const second: { status: string; error_code: string | null } | undefined = await svc.ctx.db('batch_items').where({ job_id: jobId, idx: 1 }).first('status', 'error_code');
    expect(second).toEqual({ status: 'error', error_code: 'invalid_image' });
  });

  it('stops between chunks once the job is cancelled, and announces progress and the end to SSE followers', async () => {
    const digits = await mnistPngs(10, 300);
    const n = CHUNK * 30;
    const jobId = await seedBatchJob(svc.ctx.db, dataDir, Array.from({ length: n }, (_, i) => ({ name: `d${i}.png`, bytes: digits[i % digits.length]?.bytes ?? new Uint8Array() })));
    const notices: BatchNotice[] = [];
    const sub = createRedis(svc.env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
    let cancelled: Promise<unknown> | null = null;
    const unsubscribe = await subscribeBatchNotices(sub, svc.env.redisPrefix, jobId, (notice) => {
      notices.push(notice);
      // The cancel route's update, as soon as the first chunk is in.
      if (notice.processed >= CHUNK && cancelled === null) cancelled = svc.ctx.db('batch_jobs').where({ id: jobId }).update({ status: 'cancelled', finished_at: new Date() }).then(() => undefined);
    }, svc.ctx.logger);
    try {
      const finished = await run(jobId);
      expect(finished).toEqual({ state: 'completed', returnvalue: { job_id: jobId, status: 'cancelled' } });
      const row = await jobRow(jobId);
      expect(row.status).toBe('cancelled');
      expect(row.processed).toBeGreaterThanOrEqual(CHUNK);
      expect(row.processed).toBeLessThan(n);
      expect(row.results_path).toBeNull();
      const pending = await svc.ctx.db('batch_items').where({ job_id: jobId, status: 'pending' }).count<{ count: number }[]>({ count: '*' });
      expect(Number(pending[0]?.count)).toBe(n - row.processed);
      expect(notices[0]).toMatchObject({ job_id: jobId, status: 'running', processed: 0, total: n });
      expect(notices.filter((x) => x.processed > 0).every((x) => x.processed % CHUNK === 0)).toBe(true);
    } finally {
      unsubscribe();
    }
  });

  it('a process stopping mid-batch hands the job back without using an attempt, and the next worker resumes it', async () => {
    // Workers of its own, on a queue namespace the service's worker does not watch.
    const own = createTestQueues();
    const digits = await mnistPngs(10, 500);
    const n = CHUNK * 40;
    const jobId = await seedBatchJob(svc.ctx.db, dataDir, Array.from({ length: n }, (_, i) => ({ name: `d${i}.png`, bytes: digits[i % digits.length]?.bytes ?? new Uint8Array() })));
    const deps = { store, reader: svc.runtime.reader, dataDir, redis: svc.ctx.redis, redisPrefix: own.prefix, modelReady: () => true, chunkSize: CHUNK, concurrency: 4 };
    const connections: ReturnType<typeof createRedis>[] = [];
    const startWorker = async () => {
      const connection = createRedis(svc.env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
      connections.push(connection);
      return own.track(await createTypedWorker(own.queue('batch'), batchHandlers(deps), { connection, logger: svc.ctx.logger }));
    };
    try {
      const events = await own.events('batch');
      const firstChunk = new Promise<void>((resolve) => events.on('progress', ({ jobId: id, data }) => id === jobId && BatchRunProgress.parse(data).processed >= CHUNK && resolve()));
      const first = await startWorker();
      await own.queue('batch').add('batch.run', { job_id: jobId, request_id: null }, { request_id: null, actor_id: null }, { jobId });
      await firstChunk;
      // What BatchWorker.stop does when the process is told to stop.
      first.cancelAllJobs('stopping');
      await first.close();
      const handedBack = await svc.ctx.db('batch_jobs').where({ id: jobId }).first<{ processed: number; status: string }>('processed', 'status');
      expect(handedBack?.status).toBe('running');
      expect(handedBack?.processed).toBeLessThan(n);

      await startWorker();
      expect(await own.waitForJob('batch', jobId, 60_000)).toEqual({ state: 'completed', returnvalue: { job_id: jobId, status: 'completed' } });
      const job = await own.queue('batch').queue.getJob(jobId);
      // Started twice, failed never: BullMQ counts the completing run as the one attempt made.
      expect({ started: job?.attemptsStarted, made: job?.attemptsMade, failures: job?.stacktrace }).toEqual({ started: 2, made: 1, failures: [] });
      expect(await jobRow(jobId)).toMatchObject({ status: 'completed', processed: n, failed: 0 });
    } finally {
      await own.cleanup();
      for (const c of connections) c.disconnect();
    }
  });

  it('a transient failure stops the chunk\'s other reads at once, and the retry reads only the items not yet read', async () => {
    const own = createTestQueues();
    const digits = await mnistPngs(CHUNK, 600);
    const jobId = await seedBatchJob(svc.ctx.db, dataDir, digits.map((d, i) => ({ name: `d${i}.png`, bytes: d.bytes })));
    const real = svc.runtime.reader;
    let calls = 0;
    // The engine too busy once, on the first read: what a full queue or a model swap answers.
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'read') return Reflect.get(target, prop, receiver) as unknown;
        return async (bytes: Uint8Array, fields: ReadFields, cancel?: AbortSignal) => {
          calls++;
          if (calls === 1) throw new AppError('service_unavailable', 'engine busy (test)');
          return real.read(bytes, fields, cancel);
        };
      },
    });
    const concurrency = 4;
    const deps = { store, reader: flaky, dataDir, redis: svc.ctx.redis, redisPrefix: own.prefix, modelReady: () => true, chunkSize: CHUNK, concurrency };
    const connection = createRedis(svc.env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
    try {
      own.track(await createTypedWorker(own.queue('batch'), batchHandlers(deps), { connection, logger: svc.ctx.logger }));
      await own.queue('batch').add('batch.run', { job_id: jobId, request_id: null }, { request_id: null, actor_id: null }, { jobId });
      expect(await own.waitForJob('batch', jobId, 60_000)).toEqual({ state: 'completed', returnvalue: { job_id: jobId, status: 'completed' } });
      expect(await jobRow(jobId)).toMatchObject({ status: 'completed', processed: CHUNK, failed: 0 });
      // Every item once, plus at most the reads in flight when the failure stopped them; reading
      // the whole chunk on regardless and then again would be 2 x CHUNK.
      expect(calls).toBeLessThanOrEqual(CHUNK + concurrency);
    } finally {
      await own.cleanup();
      connection.disconnect();
    }
  });

  it('announces completion with the final counts', async () => {
    const digits = await mnistPngs(3, 400);
    const jobId = await seedBatchJob(svc.ctx.db, dataDir, [...digits.map((d, i) => ({ name: `d${i}.png`, bytes: d.bytes })), { name: 'x.bin', bytes: new Uint8Array([1, 2, 3]) }]);
    const notices: BatchNotice[] = [];
    const unsubscribe = await subscribeBatchNotices(createRedis(svc.env.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker'), svc.env.redisPrefix, jobId, (x) => notices.push(x), svc.ctx.logger);
    try {
      expect((await run(jobId)).state).toBe('completed');
      await waitFor(() => notices.some((x) => x.status === 'completed'), 5000, 'completed notice');
      expect(notices.at(-1)).toEqual({ job_id: jobId, status: 'completed', processed: 4, failed: 1, total: 4 });
    } finally {
      unsubscribe();
    }
  });
});
