import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './harness/platform';

/** TRUST_PROXY exactly as the Kubernetes manifests deploy the gateway (behind one ingress controller). */
const k8sTrustProxy = /^\s*TRUST_PROXY:\s*"?([^"\n]+?)"?\s*$/m.exec(readFileSync(new URL('../../../infra/k8s/configmap.yaml', import.meta.url), 'utf8'))?.[1];
const GUEST_LIMIT = 5;

let p: Platform;
beforeAll(async () => {
  if (!k8sTrustProxy) throw new Error('infra/k8s/configmap.yaml sets no TRUST_PROXY');
  p = await startPlatform({ env: { TRUST_PROXY: k8sTrustProxy, RATE_LIMIT_GUEST: String(GUEST_LIMIT), RATE_LIMIT_WINDOW_S: '60' } });
});
afterAll(() => p.close());

/** A guest call as the ingress forwards it: whatever the client sent, then the address it connected from. */
const viaIngress = (clientSent: string, clientAddress: string) => request(p.url).get('/v1/version').set('X-Forwarded-For', `${clientSent}, ${clientAddress}`);

describe('X-Forwarded-For behind the k8s ingress', () => {
  it('a guest who changes the left-most X-Forwarded-For on every request still reaches 429 at the guest limit', async () => {
    expect(k8sTrustProxy).toBe('1');
    const statuses: number[] = [];
    for (let i = 0; i < GUEST_LIMIT + 3; i++) statuses.push((await viaIngress(`198.51.100.${i}`, '203.0.113.7')).status);
    expect(statuses.slice(0, GUEST_LIMIT)).toEqual(Array(GUEST_LIMIT).fill(200));
    expect(statuses.slice(GUEST_LIMIT)).toEqual([429, 429, 429]);
  });

  it('limits by the address the ingress saw, so another client keeps its own budget', async () => {
    expect((await viaIngress('203.0.113.7', '203.0.113.8')).status).toBe(200);
  });
});
