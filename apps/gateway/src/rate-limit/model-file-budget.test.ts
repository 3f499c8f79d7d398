import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { gatewayService } from '../service';

let env: TestEnv;
let gateway: Awaited<ReturnType<typeof startService<typeof gatewayService.env, ReturnType<typeof gatewayService.build>>>>;

const MODEL_FILES = 3;
beforeAll(async () => {
  // No inference behind it: a request the budget lets through fails upstream (5xx), one it
  // refuses is 429 before the proxy, which is all this test looks at.
  env = await createTestEnv({ RATE_LIMIT_GUEST: '50', RATE_LIMIT_MODEL_FILES: String(MODEL_FILES), INFERENCE_URL: 'http://127.0.0.1:9', AUTH_URL: 'http://127.0.0.1:9' });
  gateway = await startService(gatewayService, { env: env.env });
});
afterAll(async () => {
  await gateway.close();
  await env.cleanup();
});

/** A GET from its own loopback address (Linux routes all of 127.0.0.0/8 to lo): one client per address. */
function getFrom(localAddress: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, gateway.url), { localAddress, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('model-file budget', () => {
  it('refuses a client past RATE_LIMIT_MODEL_FILES model files a window, while its other requests still pass', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MODEL_FILES + 2; i++) statuses.push(await getFrom('127.0.0.61', `/v1/models/m${i % 2}/model.onnx`));
    expect(statuses.slice(0, MODEL_FILES).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(MODEL_FILES)).toEqual([429, 429]);
    // The same client's guest budget (50) is far from spent: another route is not refused.
    expect(await getFrom('127.0.0.61', '/v1/models/active/browser')).not.toBe(429);
    // Another client has its own model-file budget.
    expect(await getFrom('127.0.0.62', '/v1/models/m0/model.onnx')).not.toBe(429);
  });
});
