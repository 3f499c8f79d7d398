import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { publishApiKeyInvalidation } from '@inkwell/auth-guard';
import { createLogger } from '@inkwell/logger';
import { createRedis, deleteNamespace } from '@inkwell/queue';
import { ApiKeyCache } from './api-key-cache';
import { subscribeApiKeyInvalidations } from './api-key-invalidations';
import { ApiKeyVerifier } from './api-key-verifier';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `t${randomBytes(5).toString('hex')}`;
const logger = createLogger('api-key-verifier-test', 'silent');

/**
 * A stand-in for auth's internal verify endpoint on a real socket: knows the keys in `live`,
 * counts the calls it gets.
 */
interface FakeAuth {
  readonly url: string;
  readonly live: Map<string, { key_id: string; role: 'viewer' | 'admin'; expires_at?: string | null }>;
  calls: number;
  /** Holds every answer until released (to race an invalidation against a fill). */
  hold: Promise<void> | null;
}

let redis: Redis;
let server: Server;
let auth: FakeAuth;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = createRedis(REDIS_URL);
  auth = { url: '', live: new Map(), calls: 0, hold: null };
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      auth.calls++;
      const answer = async () => {
        if (auth.hold) await auth.hold;
        const { key } = JSON.parse(body) as { key: string };
        const known = auth.live.get(key);
        res.setHeader('content-type', 'application/json');
        if (!known) {
          res.statusCode = 401;
          res.end(JSON.stringify({ code: 'unauthorized', message: 'Invalid API key', request_id: 'x' }));
          return;
        }
        res.end(JSON.stringify({ rate_limit_per_min: null, expires_at: null, ...known }));
      };
      void answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  (auth as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  auth.live.clear();
  auth.hold = null;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await deleteNamespace(redis, prefix);
  redis.disconnect();
});

/** One gateway replica's verifier, subscribed to the invalidation channel. */
async function replica(ttlMs = 60_000): Promise<ApiKeyVerifier> {
  const cache = new ApiKeyCache(ttlMs);
  const verifier = new ApiKeyVerifier({ authUrl: auth.url, internalSecret: 'x'.repeat(32) }, cache);
  closers.push(subscribeApiKeyInvalidations(redis, prefix, cache, logger));
  await until(() => cache.get('probe') === undefined && isLive(cache), 2000);
  return verifier;
}

const isLive = (cache: ApiKeyCache): boolean => {
  const epoch = cache.epoch;
  cache.set('probe', { key_id: 'probe', role: 'viewer', rate_limit_per_min: null, ownerId: null, expiresAt: null }, epoch);
  const live = cache.get('probe') !== undefined;
  cache.invalidate('probe');
  return live;
};

async function until(condition: () => boolean, ms: number): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

const newKey = (role: 'viewer' | 'admin' = 'viewer', extra: { expires_at?: string } = {}) => {
  const key = `ink_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  const key_id = randomBytes(8).toString('hex');
  auth.live.set(key, { key_id, role, ...extra });
  return { key, key_id };
};

describe('API keys at the gateway', () => {
  it('asks auth once for a key and answers its later requests from the cache', async () => {
    const v = await replica();
    const { key, key_id } = newKey('admin');
    const before = auth.calls;
    expect((await v.verify(key, '1.2.3.4')).key_id).toBe(key_id);
    for (let i = 0; i < 50; i++) expect(v.cached(key)?.role).toBe('admin');
    expect(auth.calls - before).toBe(1);
  });

  it('makes one call to auth for a burst of requests with a key it does not hold', async () => {
    const v = await replica();
    const { key } = newKey();
    const before = auth.calls;
    await Promise.all(Array.from({ length: 20 }, () => v.verify(key, '1.2.3.4')));
    expect(auth.calls - before).toBe(1);
  });

  it('a key auth revokes is refused by every replica within 1 s of the announcement', async () => {
    const replicas = [await replica(), await replica()];
    const { key, key_id } = newKey();
    for (const v of replicas) await v.verify(key, '1.2.3.4');
    expect(replicas.every((v) => v.cached(key) !== undefined)).toBe(true);
    auth.live.delete(key);
    await publishApiKeyInvalidation(redis, prefix, key_id);
    const took = await until(() => replicas.every((v) => v.cached(key) === undefined), 1000);
    expect(took).toBeLessThan(1000);
    for (const v of replicas) await expect(v.verify(key, '1.2.3.4')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('does not store an answer auth gave before a revocation that arrived while it was in flight', async () => {
    const v = await replica();
    const { key, key_id } = newKey();
    let release = (): void => undefined;
    auth.hold = new Promise<void>((r) => (release = r));
    const pending = v.verify(key, '1.2.3.4');
    await until(() => auth.calls > 0, 1000);
    const epochBefore = v.cache.epoch;
    await publishApiKeyInvalidation(redis, prefix, key_id);
    await until(() => v.cache.epoch > epochBefore, 1000); // the subscriber has the message; auth has not answered
    release();
    await pending;
    expect(v.cached(key)).toBeUndefined();
  });

  it('never answers a key past its own expiry', async () => {
    const v = await replica();
    const { key } = newKey('viewer', { expires_at: new Date(Date.now() + 300).toISOString() });
    await v.verify(key, '1.2.3.4');
    expect(v.cached(key)).toBeDefined();
    await until(() => v.cached(key) === undefined, 1000);
  });

  it('holds a key no longer than its TTL, so a lost message heals', async () => {
    const v = await replica(200);
    const { key } = newKey();
    await v.verify(key, '1.2.3.4');
    expect(v.cached(key)).toBeDefined();
    await until(() => v.cached(key) === undefined, 1000);
  });

  it('caches no bad key: each is asked of auth and refused, and the cache stays empty', async () => {
    const v = await replica();
    const before = auth.calls;
    for (let i = 0; i < 5; i++) await expect(v.verify(`ink_deadbeef_${i}`, '1.2.3.4')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(auth.calls - before).toBe(5);
    expect(v.cache.size).toBe(0);
    await expect(v.verify('x'.repeat(513), '1.2.3.4')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(auth.calls - before).toBe(5);
  });

  it('drops everything it holds when its subscription drops (messages may have been missed)', async () => {
    const v = await replica();
    const { key } = newKey();
    await v.verify(key, '1.2.3.4');
    expect(v.cached(key)).toBeDefined();
    // Kill the subscriber's connection from the server side, as a Redis restart would.
    const clients = String(await redis.client('LIST')).split('\n').filter((l) => l.includes(` name=${prefix}:api-key-invalidations `));
    expect(clients.length).toBeGreaterThan(0);
    for (const line of clients) {
      const id = /id=(\d+)/.exec(line)?.[1];
      if (id) await redis.client('KILL', 'ID', id);
    }
    await until(() => v.cached(key) === undefined, 1000);
    // Back once resubscribed: the key is asked of auth again, then held again.
    await until(() => isLive(v.cache), 5000);
    await v.verify(key, '1.2.3.4');
    expect(v.cached(key)).toBeDefined();
  });
});
