import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AppError } from '@inkwell/contracts';
import { createLogger } from '@inkwell/logger';
import { createServiceApp } from './create-app';

interface Line {
  level: string;
  msg: string;
  request_id?: string;
  req?: { method: string; url: string };
  res?: { status: number };
  duration_ms?: number;
}

function appLogging(level: string) {
  const lines: Line[] = [];
  const logger = createLogger('test', level, { write: (s: string) => lines.push(JSON.parse(s) as Line) });
  const { app } = createServiceApp({
    service: 'test',
    logger,
    corsOrigins: [],
    jsonLimit: '1kb',
    readiness: {},
    routes: (a) => {
      a.get('/ok', (_req, res) => {
        res.json({ ok: true });
      });
      a.get('/missing', (_req, _res, next) => next(new AppError('not_found', 'nothing here')));
    },
  });
  const requestLines = () => lines.filter((l) => l.msg === 'request completed' || l.msg === 'request aborted');
  return { app, requestLines };
}

describe('requestLog', () => {
  it('writes one line per request with its id, method, url, status and duration', async () => {
    const { app, requestLines } = appLogging('info');
    const res = await request(app).get('/ok?x=1').set('X-Request-ID', 'req-log-1');
    expect(res.status).toBe(200);
    expect(requestLines()).toEqual([{ level: 'info', msg: 'request completed', service: 'test', time: expect.any(String), request_id: 'req-log-1', req: { method: 'GET', url: '/ok?x=1' }, res: { status: 200 }, duration_ms: expect.any(Number) }]);
  });

  it('logs client errors at warn and leaves probes out', async () => {
    const { app, requestLines } = appLogging('info');
    await request(app).get('/healthz').expect(200);
    await request(app).get('/readyz').expect(200);
    const res = await request(app).get('/missing');
    expect(res.status).toBe(404);
    expect(requestLines()).toMatchObject([{ level: 'warn', request_id: res.headers['x-request-id'], req: { url: '/missing' }, res: { status: 404 } }]);
  });

  it('builds no line below the configured level', async () => {
    const { app, requestLines } = appLogging('warn');
    await request(app).get('/ok').expect(200);
    await request(app).get('/missing').expect(404);
    expect(requestLines().map((l) => l.res?.status)).toEqual([404]);
  });
});
