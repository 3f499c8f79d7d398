import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '@inkwell/auth-guard';
import { IDENTITY_HEADER, type Identity, MODEL_IMPORT_FILE_FIELD } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { trainerService } from '../service';

type Trainer = Awaited<ReturnType<typeof startService<typeof trainerService.env, ReturnType<typeof trainerService.build>>>>;

let env: TestEnv;
let dataDir: string;
let trainer: Trainer;

const engineer: Identity = { kind: 'user', sub: '00000000-0000-4000-8000-0000000000e1', role: 'engineer', email: 'engineer@test', session_id: null, ip: '127.0.0.1', user_agent: null };
const identity = () => signIdentity(engineer, trainer.ctx.config.INTERNAL_TOKEN_SECRET);
const BOUNDARY = 'inkwell-import-gate';
const partHead = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${MODEL_IMPORT_FILE_FIELD}"; filename="slow.onnx"\r\nContent-Type: application/octet-stream\r\n\r\n`;
const partTail = `\r\n--${BOUNDARY}--\r\n`;

/** An import whose body is sent in two halves: the test decides when the second goes. */
function slowImport(): { req: ClientRequest; answer: Promise<{ status: number; body: string }> } {
  const url = new URL('/api/models/import', trainer.url);
  const req = httpRequest(url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, [IDENTITY_HEADER]: identity() } });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  req.write(partHead);
  req.write(Buffer.alloc(4096, 7)); // the start of a "model": enough for the route to be reading it
  return { req, answer };
}

const uploadsUnderWay = () => {
  const dir = join(dataDir, 'imports');
  return existsSync(dir) ? readdirSync(dir).filter((d) => d.startsWith('.upload-')).length : 0;
};

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  for (const start = Date.now(); !cond(); await new Promise((r) => setTimeout(r, 10))) if (Date.now() - start > ms) throw new Error('condition not met');
}

const quickImport = () => request(trainer.app).post('/api/models/import').set(IDENTITY_HEADER, identity()).attach(MODEL_IMPORT_FILE_FIELD, Buffer.from('not a model'), 'junk.onnx');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'import-gate-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  trainer = await startService(trainerService, { env: env.env, logger: createLogger('trainer-test', 'silent'), poolMax: 2 });
}, 120_000);

afterAll(async () => {
  await trainer?.close();
  await env?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('model import: one at a time per trainer', () => {
  it('refuses a second import while one is under way (503 service_unavailable, Retry-After, details.reason), and takes the next once the first is done', async () => {
    const first = slowImport();
    await until(() => uploadsUnderWay() === 1); // the first import holds the gate and streams to disk

    const second = await quickImport();
    expect([second.status, second.body.code, second.body.details]).toEqual([503, 'service_unavailable', { reason: 'import_in_progress' }]);
    expect(second.headers['retry-after']).toBe('30');
    expect(second.body.message).toMatch(/Another model import is running/);

    first.req.end(partTail);
    const done = await first.answer;
    expect([done.status, JSON.parse(done.body).details?.check]).toEqual([400, 'parse']); // 4 kB of 7s is no ONNX model
    expect(uploadsUnderWay()).toBe(0);

    // The gate opens again, also after a refused import.
    const third = await quickImport();
    expect([third.status, third.body.code]).toEqual([400, 'invalid_model']);
  });
});
