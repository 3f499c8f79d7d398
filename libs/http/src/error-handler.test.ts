import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@inkwell/logger';
import { createServiceApp } from './create-app';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// As the services' request-path clients: commands that get no answer in time fail.
const redis = new Redis(REDIS_URL, { commandTimeout: 200, maxRetriesPerRequest: 1 });
afterAll(() => redis.disconnect());

const { app } = createServiceApp({
  service: 'test',
  logger: createLogger('test', 'silent'),
  corsOrigins: [],
  jsonLimit: '1kb',
  readiness: {},
  routes: (a) => {
    // A Redis that stops answering (stalled, not down) looks like this to the service: a command
    // that never returns. BLPOP on an empty list of this test's own is such a command.
    a.get('/stalled-redis', async (_req, res) => {
      res.json(await redis.blpop(`test:error-handler:${randomUUID()}`, 5));
    });
    a.get('/users/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
  },
});

describe('errorHandler', () => {
  it('answers a Redis command that times out as 503 service_unavailable, not 500', async () => {
    const res = await request(app).get('/stalled-redis');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'service_unavailable', request_id: expect.any(String) });
  });

  it('answers a malformed %-escape in a path parameter as 400 validation_failed', async () => {
    const res = await request(app).get('/users/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', message: 'The URL holds a malformed %-escape' });
  });
});
