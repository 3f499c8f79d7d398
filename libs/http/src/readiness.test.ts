import type { RequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AppError } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { createServiceApp, type ServiceAppOptions } from './create-app';
import { cachedReadiness } from './readiness';

const logger = createLogger('readiness-test', 'silent');

function appWith(readiness: ServiceAppOptions['readiness'], extra: Partial<ServiceAppOptions> = {}) {
  return createServiceApp({ service: 'test', logger, corsOrigins: [], jsonLimit: '1kb', readiness, routes: () => undefined, ...extra }).app;
}

const refused = () => Promise.reject(new Error('connect ECONNREFUSED 10.20.30.40:5432'));
const adminOnly: RequestHandler = (req, _res, next) => next(req.header('x-test-admin') === 'yes' ? undefined : new AppError('forbidden', 'Requires role admin'));

describe('cachedReadiness', () => {
  it('shares one run among concurrent callers and reuses it for the cache period', async () => {
    let runs = 0;
    let clock = 0;
    const check = cachedReadiness({ db: async () => void runs++ }, 100, 1000, () => clock);
    const reports = await Promise.all(Array.from({ length: 50 }, () => check()));
    expect(runs).toBe(1);
    expect(reports.every((r) => r.ready)).toBe(true);
    clock = 999;
    await check();
    expect(runs).toBe(1);
    clock = 1000;
    await check();
    expect(runs).toBe(2);
  });
});

describe('/readyz', () => {
  it('on a service (internal port) reports each dependency', async () => {
    const res = await request(appWith({ postgres: refused })).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.dependencies.postgres.error).toContain('ECONNREFUSED');
  });

  it('behind a detail guard answers the public only its status, without internal addresses', async () => {
    const app = appWith({ postgres: refused, redis: async () => undefined }, { readinessDetailGuard: [adminOnly] });
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not_ready' });
    expect(res.text).not.toContain('10.20.30.40');
    const anonymousDetail = await request(app).get('/readyz?detail=1');
    expect(anonymousDetail.status).toBe(403);
    expect(anonymousDetail.text).not.toContain('10.20.30.40');
  });

  it('gives the per-dependency detail to a caller the guard lets through', async () => {
    const app = appWith({ postgres: refused }, { readinessDetailGuard: [adminOnly] });
    const res = await request(app).get('/readyz?detail=1').set('x-test-admin', 'yes');
    expect(res.status).toBe(503);
    expect(res.body.dependencies.postgres.ok).toBe(false);
  });

  it('runs the checks at most once per second however many calls arrive', async () => {
    let runs = 0;
    const app = appWith({ db: async () => void runs++ }, { readinessDetailGuard: [adminOnly] });
    const start = Date.now();
    for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 20 }, () => request(app).get('/readyz').expect(200, { status: 'ready' })));
    expect(runs).toBeLessThanOrEqual(Math.ceil((Date.now() - start) / 1000) + 1);
  });
});
