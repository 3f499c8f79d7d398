import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { startPlatform, type Platform } from './harness/platform';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(() => p.close());

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every method+path the gateway's express app actually registers, found by walking its router. */
function servedRoutes(app: Express): Set<string> {
  const out = new Set<string>();
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of ([] as unknown[]).concat(layer.route.path)) {
          if (typeof path !== 'string') continue; // the web app's SPA fallback pattern
          for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.add(`${m.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

// Platform plumbing that is deliberately not part of the API document.
const INFRA = new Set(['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /api/openapi.json', 'GET /api/docs', 'GET /api/docs/init.js']);

describe('OpenAPI document', () => {
  it('lists exactly the routes the gateway serves', async () => {
    const doc = (await request(p.url).get('/api/openapi.json')).body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    const served = new Set([...servedRoutes(p.gateway)].filter((r) => !INFRA.has(r) && /^\w+ \/(api|v1)\//.test(r)));
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
    expect(served.size).toBeGreaterThan(10);
  });

  it('serves Swagger UI from the package', async () => {
    const page = await request(p.url).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/swagger-ui-bundle\.js/);
    expect((await request(p.url).get('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('answers unknown API routes with the one error body', async () => {
    const res = await request(p.url).get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
    expect(res.headers['x-request-id']).toBe(res.body.request_id);
  });

  it('keeps a sane caller request id end to end', async () => {
    const res = await request(p.url).post('/api/auth/login').set('X-Request-ID', 'trace-abc-123').send({ email: 'bad' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', request_id: 'trace-abc-123' });
  });
});
