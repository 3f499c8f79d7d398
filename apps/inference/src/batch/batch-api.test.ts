import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminBatchJob, AdminBatchJobList, BatchApiConfig, BatchCreated, BatchJob, BatchJobList, type Identity } from '@inkwell/contracts';
import { type InferenceApp, startInferenceApp, waitFor } from '../testing/inference-app';
import { jobDir } from './batch-files';
import { publishBatchNotice } from './batch-events';
import { bombZip, brokenPng, declareSize, digitPngs, renameEntry, zipOf } from './testing/batch-fixtures';

let svc: InferenceApp;
let dataDir: string;
let pngs: Buffer[];

const MAX_IMAGES = 50;
const MAX_IMAGE_BYTES = 100_000;
const MAX_UNCOMPRESSED = 1024 * 1024;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'batch-api-'));
  // No model: intake and the job views need none. Small limits make every refusal cheap to reach.
  svc = await startInferenceApp({
    DATA_DIR: dataDir,
    INFERENCE_MODEL_DIR: join(dataDir, 'no-models'),
    INFERENCE_BATCH_MAX_IMAGES: String(MAX_IMAGES),
    INFERENCE_MAX_UPLOAD_BYTES: String(MAX_IMAGE_BYTES),
    INFERENCE_BATCH_MAX_UNCOMPRESSED_BYTES: String(MAX_UNCOMPRESSED),
    INFERENCE_BATCH_MAX_UPLOAD_BYTES: String(4 * 1024 * 1024),
  });
  // Nothing reads the jobs here: they stay queued, so views, cancel and 409s are deterministic.
  await svc.runtime.batch.queue.queue.pause();
  pngs = await digitPngs(60);
});
afterAll(async () => {
  await svc.close();
  await rm(dataDir, { recursive: true, force: true });
});

const user = (sub = randomUUID(), extra: Partial<Identity> = {}): Partial<Identity> => ({ kind: 'user', sub, role: 'viewer', email: `${sub}@x.test`, ...extra });
const admin: Partial<Identity> = { kind: 'user', sub: randomUUID(), role: 'admin', email: 'admin@x.test' };

const postZip = (who: Partial<Identity>, zip: Buffer) => request(svc.app).post('/api/batch').set(svc.headers(who)).attach('archive', zip, { filename: 'batch.zip', contentType: 'application/zip' });
const postFiles = (who: Partial<Identity>, files: readonly { name: string; data: Buffer }[]) => {
  let req = request(svc.app).post('/api/batch').set(svc.headers(who));
  for (const f of files) req = req.attach('files', f.data, { filename: f.name, contentType: 'image/png' });
  return req;
};

const items = (jobId: string) => svc.ctx.db('batch_items').where({ job_id: jobId }).orderBy('idx').select('idx', 'name', 'status', 'error_code');
const jobFolders = (): string[] => (existsSync(join(dataDir, 'batch')) ? readdirSync(join(dataDir, 'batch')) : []);

/** Nothing from a refused upload stays: no job folder, no row, nothing written beside DATA_DIR/batch. */
async function expectNothingKept(before: readonly string[]): Promise<void> {
  expect(jobFolders()).toEqual(before);
  expect(readdirSync(dataDir).sort()).toEqual(before.length > 0 || existsSync(join(dataDir, 'batch')) ? ['batch'] : []);
}

describe('POST /api/batch', () => {
  it('takes 20 images as files: 202 at once, 20 pending items stored by index, the batch.run job queued with the job id', async () => {
    const who = user();
    const files = pngs.slice(0, 20).map((data, i) => ({ name: `digit-${i}.png`, data }));
    const res = await postFiles(who, files);
    expect(res.status).toBe(202);
    const created = BatchCreated.parse(res.body);
    expect(created).toEqual({ job_id: created.job_id, status: 'queued', total_images: 20 });
    const rows = await items(created.job_id);
    expect(rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    expect(readdirSync(join(jobDir(dataDir, created.job_id), 'in'))).toEqual(files.map((_, i) => String(i).padStart(6, '0')));
    await waitFor(async () => (await svc.runtime.batch.queue.queue.getJob(created.job_id)) !== undefined, 10_000, 'batch.run job');
    const job = await svc.runtime.batch.queue.queue.getJob(created.job_id);
    expect(job?.name).toBe('batch.run');
    expect(job?.data.payload).toMatchObject({ job_id: created.job_id });
    // Files are stored one per item: no pack, so an older worker can read this job.
    expect(job?.data.payload).not.toHaveProperty('layout');
    const audit = await svc.ctx.db('outbox').where({ topic: 'audit' }).whereRaw("payload->>'action' = 'batch.create'").whereRaw("payload->'target'->>'id' = ?", [created.job_id]);
    expect(audit).toHaveLength(1);
  });

  it('takes a ZIP with folders: item names keep their paths; non-images and broken images are items (they fail when read), folders are not', async () => {
    const zip = await zipOf([
      { name: 'a/', data: Buffer.alloc(0) },
      { name: 'a/one.png', data: pngs[0] ?? Buffer.alloc(0) },
      { name: 'a/b/two.png', data: pngs[1] ?? Buffer.alloc(0) },
      { name: 'notes.txt', data: Buffer.from('not an image') },
      { name: 'c/broken.png', data: brokenPng() },
    ]);
    const res = await postZip(user(), zip);
    expect(res.status).toBe(202);
    const { job_id } = BatchCreated.parse(res.body);
    expect((await items(job_id)).map((r) => [r.name, r.status])).toEqual([
      ['a/one.png', 'pending'],
      ['a/b/two.png', 'pending'],
      ['notes.txt', 'pending'],
      ['c/broken.png', 'pending'],
    ]);
    // The ZIP itself is not kept once extracted.
    expect(readdirSync(jobDir(dataDir, job_id))).toEqual(['in']);
    // The payload says the items lie in a pack (a worker from before packs cannot read them).
    await waitFor(async () => (await svc.runtime.batch.queue.queue.getJob(job_id)) !== undefined, 10_000, 'batch.run job');
    expect((await svc.runtime.batch.queue.queue.getJob(job_id))?.data.payload).toMatchObject({ job_id, layout: 'pack' });
  });

  it('marks an image over the single-upload limit as the item error too_large, counted as done', async () => {
    const zip = await zipOf([
      { name: 'ok.png', data: pngs[0] ?? Buffer.alloc(0) },
      { name: 'huge.png', data: randomBytes(MAX_IMAGE_BYTES + 1) },
    ]);
    const res = await postZip(user(), zip);
    expect(res.status).toBe(202);
    const { job_id } = BatchCreated.parse(res.body);
    expect((await items(job_id)).map((r) => [r.name, r.status, r.error_code])).toEqual([
      ['ok.png', 'pending', null],
      ['huge.png', 'error', 'too_large'],
    ]);
    const job = await svc.ctx.db('batch_jobs').where({ id: job_id }).first();
    expect([job.processed, job.failed]).toEqual([1, 1]);
  });

  it.each([
    ['a zip-slip name', (z: Buffer) => renameEntry(z, 'xx/evil.png', '../evil.png'), 'a ".." segment'],
    ['a nested zip-slip name', (z: Buffer) => renameEntry(z, 'xx/evil.png', 'a/../../e.p'), 'a ".." segment'],
    ['an absolute name', (z: Buffer) => renameEntry(z, 'xx/evil.png', '/tmp/ev.png'), 'an absolute path'],
  ])('refuses %s with 400 unsafe_archive and keeps nothing', async (_what, patch, why) => {
    const before = jobFolders();
    const zip = patch(await zipOf([{ name: 'ok.png', data: pngs[0] ?? Buffer.alloc(0) }, { name: 'xx/evil.png', data: pngs[1] ?? Buffer.alloc(0) }]));
    const res = await postZip(user(), zip);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('unsafe_archive');
    expect(res.body.message).toContain(why);
    await expectNothingKept(before);
  });

  it('refuses a symbolic link entry with 400 unsafe_archive', async () => {
    const before = jobFolders();
    const zip = await zipOf([{ name: 'ok.png', data: pngs[0] ?? Buffer.alloc(0) }, { name: 'link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]);
    const res = await postZip(user(), zip);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'unsafe_archive', details: { entry: 'link.png' } });
    await expectNothingKept(before);
  });

  it('refuses a ZIP bomb by ratio with 413 too_large', async () => {
    const before = jobFolders();
    const res = await postZip(user(), await bombZip(20 * 1024 * 1024));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'too_large', details: { max_compression_ratio: 100 } });
    await expectNothingKept(before);
  });

  it('refuses a ZIP whose uncompressed total is over the limit, even at a harmless ratio', async () => {
    const before = jobFolders();
    const res = await postZip(user(), await zipOf([{ name: 'a.bin', data: randomBytes(600_000) }, { name: 'b.bin', data: randomBytes(600_000) }]));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'too_large', details: { max_uncompressed_bytes: MAX_UNCOMPRESSED } });
    await expectNothingKept(before);
  });

  it('takes exactly the image limit, and refuses one more (ZIP or files) with 413 too_large', async () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `d/${i}.png`, data: pngs[i % pngs.length] ?? Buffer.alloc(0) }));
    expect((await postZip(user(), await zipOf(entries(MAX_IMAGES)))).status).toBe(202);
    const before = jobFolders();
    const zip = await postZip(user(), await zipOf(entries(MAX_IMAGES + 1)));
    expect(zip.status).toBe(413);
    expect(zip.body).toMatchObject({ code: 'too_large', details: { max_images: MAX_IMAGES } });
    const files = await postFiles(user(), entries(MAX_IMAGES + 1));
    expect(files.status).toBe(413);
    expect(files.body.code).toBe('too_large');
    await expectNothingKept(before);
  });

  it('refuses what is not a ZIP as invalid_archive, an empty form and an unknown field as validation_failed', async () => {
    const before = jobFolders();
    const notZip = await postZip(user(), Buffer.from('this is not a zip file at all'));
    expect(notZip.status).toBe(400);
    expect(notZip.body.code).toBe('invalid_archive');
    const none = await request(svc.app).post('/api/batch').set(svc.headers(user())).field('x', 'y');
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('validation_failed');
    const other = await request(svc.app).post('/api/batch').set(svc.headers(user())).attach('file', pngs[0] ?? Buffer.alloc(0), 'a.png');
    expect(other.status).toBe(400);
    expect(other.body.code).toBe('validation_failed');
    await expectNothingKept(before);
  });

  it('answers 401 to a guest', async () => {
    const res = await postFiles({}, [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }]);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('answers the 11th job of a caller within a minute with 429 and Retry-After; another caller is not affected', async () => {
    const who = user();
    const one = [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }];
    for (let i = 0; i < 10; i++) expect((await postFiles(who, one)).status).toBe(202);
    const eleventh = await postFiles(who, one);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.code).toBe('rate_limited');
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
    expect((await postFiles(user(), one)).status).toBe(202);
    // The key from the environment (no owner) is a caller of its own.
    expect((await postFiles({ kind: 'api_key', sub: 'env', role: 'viewer' }, one)).status).toBe(202);
  });

  it("an API key's jobs are its creator's: they count against the creator's minute, and the creator sees them", async () => {
    const who = user();
    const key = (): Partial<Identity> => ({ kind: 'api_key', sub: randomUUID(), role: 'viewer', email: null, owner_id: who.sub ?? null });
    const one = [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }];
    const viaKey = BatchCreated.parse((await postFiles(key(), one)).body).job_id;
    for (let i = 0; i < 9; i++) expect((await postFiles(i % 2 ? key() : who, one)).status).toBe(202);
    // A fresh key of the same user does not bring a fresh budget.
    expect((await postFiles(key(), one)).status).toBe(429);
    const mine = BatchJobList.parse((await request(svc.app).get('/api/batch').set(svc.headers(who))).body);
    expect(mine.jobs.map((j) => j.id)).toContain(viaKey);
    expect((await request(svc.app).get(`/api/batch/${viaKey}`).set(svc.headers(who))).status).toBe(200);
  });
});

describe('the job views', () => {
  let owner: Partial<Identity>;
  let jobId: string;
  beforeAll(async () => {
    owner = user();
    const res = await postFiles(owner, pngs.slice(0, 3).map((data, i) => ({ name: `${i}.png`, data })));
    jobId = BatchCreated.parse(res.body).job_id;
  });

  it('shows the owner its job and list; another user gets 404 everywhere', async () => {
    const job = BatchJob.parse((await request(svc.app).get(`/api/batch/${jobId}`).set(svc.headers(owner))).body);
    expect(job).toMatchObject({ id: jobId, status: 'queued', total_images: 3, processed: 0, failed: 0, source: 'files', results_available: false });
    const list = BatchJobList.parse((await request(svc.app).get('/api/batch').set(svc.headers(owner))).body);
    expect(list.jobs.map((j) => j.id)).toEqual([jobId]);
    const stranger = user();
    for (const path of [`/api/batch/${jobId}`, `/api/batch/${jobId}/results`, `/api/batch/${jobId}/events`]) {
      const res = await request(svc.app).get(path).set(svc.headers(stranger));
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'not_found']);
    }
    expect((await request(svc.app).post(`/api/batch/${jobId}/cancel`).set(svc.headers(stranger))).status).toBe(404);
    expect(BatchJobList.parse((await request(svc.app).get('/api/batch').set(svc.headers(stranger))).body).jobs).toEqual([]);
  });

  it('answers 409 for the results until the job has completed', async () => {
    const res = await request(svc.app).get(`/api/batch/${jobId}/results`).set(svc.headers(owner));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'conflict', details: { status: 'queued' } });
  });

  it('shows admins every job with its owner, and the configured limits; others get 403', async () => {
    const all = AdminBatchJobList.parse((await request(svc.app).get('/api/admin/batch-jobs').set(svc.headers(admin))).body);
    expect(all.jobs.find((j) => j.id === jobId)).toMatchObject({ owner_id: owner.sub, owner_kind: 'user' });
    const one = AdminBatchJob.parse((await request(svc.app).get(`/api/admin/batch-jobs/${jobId}`).set(svc.headers(admin))).body);
    expect(one.owner_id).toBe(owner.sub);
    const config = BatchApiConfig.parse((await request(svc.app).get('/api/admin/batch-config').set(svc.headers(admin))).body);
    expect(config.batch).toEqual({ max_images: MAX_IMAGES, max_upload_bytes: 4 * 1024 * 1024, max_uncompressed_bytes: MAX_UNCOMPRESSED, max_compression_ratio: 100, max_image_bytes: MAX_IMAGE_BYTES, jobs_per_minute: 10, retention_days: 7 });
    expect((await request(svc.app).get('/api/admin/batch-config').set(svc.headers(owner))).status).toBe(403);
    expect((await request(svc.app).get('/api/admin/batch-jobs').set(svc.headers(owner))).status).toBe(403);
    // An admin may read another's job through the user routes too.
    expect((await request(svc.app).get(`/api/batch/${jobId}`).set(svc.headers(admin))).status).toBe(200);
  });

  it('streams progress as SSE and ends with a status event once the job is cancelled', async () => {
    const who = user();
    const { job_id } = BatchCreated.parse((await postFiles(who, [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }])).body);
    let text = '';
    const events = request(svc.app)
      .get(`/api/batch/${job_id}/events`)
      .set(svc.headers(who))
      .buffer(true)
      .parse((res, done) => {
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => done(null, text));
      });
    const stream = events.then((r) => r);
    await waitFor(() => text.includes('event: progress'), 5000, 'the first event');
    const cancelled = await request(svc.app).post(`/api/batch/${job_id}/cancel`).set(svc.headers(who));
    expect(cancelled.status).toBe(200);
    expect(BatchJob.parse(cancelled.body).status).toBe('cancelled');
    const res = await stream;
    expect(res.headers['content-type']).toContain('text/event-stream');
    const body = String(res.body);
    expect(body).toMatch(/^event: progress\ndata: .*"status":"queued"/);
    expect(body).toMatch(/event: status\ndata: .*"status":"cancelled"/);
    expect((await request(svc.app).post(`/api/batch/${job_id}/cancel`).set(svc.headers(who))).status).toBe(409);
  });

  it('purges an expired finished job\'s files; the row stays, marked purged, and its results are 404', async () => {
    const who = user();
    const { job_id } = BatchCreated.parse((await postFiles(who, [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }])).body);
    const fresh = BatchCreated.parse((await postFiles(who, [{ name: 'b.png', data: pngs[1] ?? Buffer.alloc(0) }])).body).job_id;
    await svc.ctx.db('batch_jobs').where({ id: job_id }).update({ status: 'completed', results_path: `batch/${job_id}/results.zip`, expires_at: new Date(Date.now() - 1000) });
    expect(existsSync(jobDir(dataDir, job_id))).toBe(true);
    expect(await svc.runtime.batch.retention.purge()).toBe(1);
    expect(existsSync(jobDir(dataDir, job_id))).toBe(false);
    expect(existsSync(jobDir(dataDir, fresh))).toBe(true);
    const job = BatchJob.parse((await request(svc.app).get(`/api/batch/${job_id}`).set(svc.headers(who))).body);
    expect(job.purged_at).not.toBeNull();
    expect(job.results_available).toBe(false);
    expect((await request(svc.app).get(`/api/batch/${job_id}/results`).set(svc.headers(who))).status).toBe(404);
  });

  it('sends a completed job\'s results as the ZIP by default, or results.csv or results.json alone with `format`', async () => {
    const who = user();
    const { job_id } = BatchCreated.parse((await postFiles(who, [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }])).body);
    const csv = 'index,name,digit\r\n0,a.png,7\r\n';
    const json = JSON.stringify({ job_id, items: [{ index: 0, name: 'a.png', digit: 7 }] });
    const zip = await zipOf([
      { name: 'results.csv', data: Buffer.from(csv) },
      { name: 'results.json', data: Buffer.from(json) },
      { name: 'summary.json', data: Buffer.from('{}') },
    ]);
    await writeFile(join(jobDir(dataDir, job_id), 'results.zip'), zip);
    await svc.ctx.db('batch_jobs').where({ id: job_id }).update({ status: 'completed', results_path: `batch/${job_id}/results.zip` });
    const get = (query: string) =>
      request(svc.app)
        .get(`/api/batch/${job_id}/results${query}`)
        .set(svc.headers(who))
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
    const asZip = await get('');
    expect([asZip.status, asZip.headers['content-type'], asZip.headers['content-disposition']]).toEqual([200, 'application/zip', `attachment; filename="batch-${job_id}-results.zip"`]);
    expect(Buffer.compare(asZip.body as Buffer, zip)).toBe(0);
    const asCsv = await get('?format=csv');
    expect([asCsv.status, asCsv.headers['content-type'], asCsv.headers['content-disposition']]).toEqual([200, 'text/csv; charset=utf-8', `attachment; filename="batch-${job_id}-results.csv"`]);
    expect((asCsv.body as Buffer).toString('utf8')).toBe(csv);
    const asJson = await get('?format=json');
    expect([asJson.status, asJson.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
    expect((asJson.body as Buffer).toString('utf8')).toBe(json);
    const bad = await request(svc.app).get(`/api/batch/${job_id}/results?format=xlsx`).set(svc.headers(who));
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    // Another caller still gets 404, whatever the format.
    expect((await request(svc.app).get(`/api/batch/${job_id}/results?format=csv`).set(svc.headers(user()))).status).toBe(404);
  });

  it('answers a results ZIP it cannot read with 500, and 404 only for a table the ZIP lacks', async () => {
    const who = user();
    const corrupt = BatchCreated.parse((await postFiles(who, [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }])).body).job_id;
    await writeFile(join(jobDir(dataDir, corrupt), 'results.zip'), Buffer.from('not a zip at all'));
    await svc.ctx.db('batch_jobs').where({ id: corrupt }).update({ status: 'completed', results_path: `batch/${corrupt}/results.zip` });
    const broken = await request(svc.app).get(`/api/batch/${corrupt}/results?format=csv`).set(svc.headers(who));
    expect([broken.status, broken.body.code]).toEqual([500, 'internal_error']);

    const partial = BatchCreated.parse((await postFiles(who, [{ name: 'b.png', data: pngs[1] ?? Buffer.alloc(0) }])).body).job_id;
    await writeFile(join(jobDir(dataDir, partial), 'results.zip'), await zipOf([{ name: 'results.json', data: Buffer.from('{}') }]));
    await svc.ctx.db('batch_jobs').where({ id: partial }).update({ status: 'completed', results_path: `batch/${partial}/results.zip` });
    const lacking = await request(svc.app).get(`/api/batch/${partial}/results?format=csv`).set(svc.headers(who));
    expect([lacking.status, lacking.body.code]).toEqual([404, 'not_found']);
  });
});

describe('an upload that stops halfway', () => {
  it.each([
    ['archive', 'batch.zip', 'application/zip'],
    ['files', 'a.png', 'image/png'],
  ])('in "%s": the request is given up and its job folder deleted', async (field, filename, type) => {
    const server = svc.app.listen(0);
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const before = jobFolders();
      const boundary = `b${randomUUID()}`;
      const req = httpRequest({ port, method: 'POST', path: '/api/batch', headers: { ...svc.headers(user()), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(1024 * 1024) } });
      req.on('error', () => undefined);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
      req.write(randomBytes(64 * 1024));
      // The part is being written: the job folder is there (and the ZIP's upload file with it).
      const added = (): string[] => jobFolders().filter((f) => !before.includes(f));
      await waitFor(() => added().some((f) => field === 'files' || existsSync(join(jobDir(dataDir, f), 'upload.zip'))), 10_000, 'the upload under way');
      req.destroy();
      await waitFor(() => added().length === 0, 10_000, 'the job folder deleted');
      expect(jobFolders()).toEqual(before);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('orphan job folders', () => {
  it('deletes a folder no job row owns once it is older than the grace period; a fresh one and a job\'s own stay', async () => {
    const { job_id } = BatchCreated.parse((await postFiles(user(), [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }])).body);
    const old = randomUUID();
    const fresh = randomUUID();
    for (const id of [old, fresh]) {
      await mkdir(join(jobDir(dataDir, id), 'in'), { recursive: true });
      await writeFile(join(jobDir(dataDir, id), 'in', '000000'), 'x');
    }
    const longAgo = new Date(Date.now() - 7 * 3600 * 1000);
    for (const p of [join(jobDir(dataDir, old), 'in'), jobDir(dataDir, old), jobDir(dataDir, job_id)]) await utimes(p, longAgo, longAgo);
    await utimes(join(jobDir(dataDir, job_id), 'in'), longAgo, longAgo);
    await svc.runtime.batch.retention.purge();
    expect([existsSync(jobDir(dataDir, old)), existsSync(jobDir(dataDir, fresh)), existsSync(jobDir(dataDir, job_id))]).toEqual([false, true, true]);
    await rm(jobDir(dataDir, fresh), { recursive: true, force: true });
  });
});

describe('ZIP entries that lie or run long', () => {
  it('refuses an entry that inflates to more than its header declares with 413 too_large, and keeps nothing', async () => {
    const before = jobFolders();
    // 60 kB of zeros declared as 1 kB: every declared size and the ratio pass; the bytes do not.
    const zip = declareSize(await zipOf([{ name: 'ok.png', data: pngs[0] ?? Buffer.alloc(0) }, { name: 'liar.png', data: Buffer.alloc(60_000) }]), 'liar.png', 1000);
    const res = await postZip(user(), zip);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'too_large', details: { declared_bytes: 1000 } });
    await expectNothingKept(before);
  });

  it('takes an entry name of 1024 bytes and refuses one over (counted in UTF-8 bytes) with 400 unsafe_archive; a file name likewise with 400', async () => {
    const longest = `${'x'.repeat(1020)}.png`;
    const ok = await postZip(user(), await zipOf([{ name: longest, data: pngs[0] ?? Buffer.alloc(0) }]));
    expect(ok.status).toBe(202);
    expect((await items(BatchCreated.parse(ok.body).job_id)).map((r) => r.name)).toEqual([longest]);
    const before = jobFolders();
    // 517 characters, 1028 bytes.
    const over = `d/${'é'.repeat(511)}.png`;
    const res = await postZip(user(), await zipOf([{ name: over, data: pngs[0] ?? Buffer.alloc(0) }]));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('unsafe_archive');
    expect(res.body.message).toContain('a name over 1024 bytes');
    const files = await postFiles(user(), [{ name: `${'y'.repeat(1021)}.png`, data: pngs[0] ?? Buffer.alloc(0) }]);
    expect([files.status, files.body.code]).toEqual([400, 'validation_failed']);
    await expectNothingKept(before);
  });
});

describe('progress streams (SSE)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = svc.app.listen(0);
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  /** An open stream: its status, the text so far, and a way to leave. */
  const openStream = async (who: Partial<Identity>, jobId: string) => {
    const req = httpRequest({ port, path: `/api/batch/${jobId}/events`, headers: svc.headers(who) });
    req.on('error', () => undefined);
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    const stream = { status: res.statusCode, text: '', close: () => req.destroy() };
    res.on('data', (c: Buffer) => (stream.text += c.toString()));
    res.on('error', () => undefined);
    return stream;
  };
  const newJob = async (who: Partial<Identity>) => BatchCreated.parse((await postFiles(who, [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }])).body).job_id;

  it('passes on a worker\'s progress notice at once, well within the 5 s safety poll', async () => {
    const who = user();
    const jobId = await newJob(who);
    const stream = await openStream(who, jobId);
    try {
      await waitFor(() => stream.text.includes('event: progress'), 5000, 'the first event');
      // What the worker does after a chunk: the row, then the notice.
      await svc.ctx.db('batch_jobs').where({ id: jobId }).update({ status: 'running', started_at: new Date(), processed: 1 });
      const sent = Date.now();
      await publishBatchNotice(svc.ctx.redis, svc.env.redisPrefix, { job_id: jobId, status: 'running', processed: 1, failed: 0, total: 1 });
      await waitFor(() => stream.text.includes('"processed":1'), 2000, 'the progress event');
      expect(Date.now() - sent).toBeLessThan(2000);
    } finally {
      stream.close();
    }
  });

  it('holds at most 5 streams open per caller: the 6th is 429, another caller is not affected, and closing one frees a place', async () => {
    const who = user();
    const jobId = await newJob(who);
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await openStream(who, jobId));
    try {
      expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
      const sixth = await openStream(who, jobId);
      expect(sixth.status).toBe(429);
      await waitFor(() => sixth.text.includes('rate_limited'), 2000, 'the 429 body');
      const other = user();
      const theirs = await openStream(other, await newJob(other));
      expect(theirs.status).toBe(200);
      theirs.close();
      open.shift()?.close();
      let again = await openStream(who, jobId);
      for (const start = Date.now(); again.status !== 200 && Date.now() - start < 5000; ) again = await openStream(who, jobId);
      expect(again.status).toBe(200);
      open.push(again);
    } finally {
      for (const s of open) s.close();
    }
  });
});

describe('the sweeper', () => {
  it('fails a queued job whose queue job is gone; one still queued in BullMQ, one younger than the grace and one still in the outbox stay', async () => {
    const who = user();
    const create = async () => BatchCreated.parse((await postFiles(who, [{ name: 'a.png', data: pngs[0] ?? Buffer.alloc(0) }])).body).job_id;
    const [lost, alive, young, inOutbox] = [await create(), await create(), await create(), await create()];
    const queue = svc.runtime.batch.queue.queue;
    for (const id of [lost, alive, young, inOutbox]) await waitFor(async () => (await queue.getJob(id)) !== undefined, 10_000, 'batch.run job');
    for (const id of [lost, young, inOutbox]) await (await queue.getJob(id))?.remove();
    // As if the relay had not delivered it yet.
    await svc.ctx.db('outbox').whereRaw("payload->'options'->>'jobId' = ?", [inOutbox]).update({ sent_at: null, next_attempt_at: new Date(Date.now() + 3600_000) });
    await svc.ctx.db('batch_jobs').whereIn('id', [lost, alive, inOutbox]).update({ created_at: new Date(Date.now() - 10 * 60_000) });

    expect(await svc.runtime.batch.sweeper.sweep()).toBe(1);
    const rows: { id: string; status: string; error: string | null }[] = await svc.ctx.db('batch_jobs').whereIn('id', [lost, alive, young, inOutbox]).select('id', 'status', 'error');
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(lost)).toMatchObject({ status: 'failed', error: 'the batch.run job is gone from the queue' });
    expect([alive, young, inOutbox].map((id) => byId.get(id)?.status)).toEqual(['queued', 'queued', 'queued']);
    const view = BatchJob.parse((await request(svc.app).get(`/api/batch/${lost}`).set(svc.headers(who))).body);
    expect(view.status).toBe('failed');
    await svc.ctx.db('outbox').whereRaw("payload->'options'->>'jobId' = ?", [inOutbox]).delete();
  });
});

describe('uploads', () => {
  it('refuses a compressed form with 415 unsupported_media_type, as /v1/read does', async () => {
    const res = await request(svc.app).post('/api/batch').set(svc.headers(user())).set('Content-Encoding', 'gzip').attach('files', pngs[0] ?? Buffer.alloc(0), 'a.png');
    expect([res.status, res.body.code]).toEqual([415, 'unsupported_media_type']);
  });
});
