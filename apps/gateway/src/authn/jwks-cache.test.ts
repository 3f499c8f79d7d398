import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { JwksCache } from './jwks-cache';

const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A JWKS endpoint on an ephemeral port; its URL stays valid (and refused) after it closes. */
async function jwksEndpoint(): Promise<string> {
  server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(jwks));
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
}

describe('JwksCache', () => {
  it('answers 503 service_unavailable, not a crash, when auth cannot be reached and the key is not held', async () => {
    const url = await jwksEndpoint();
    await new Promise((r) => server?.close(r));
    server = undefined;
    await expect(new JwksCache(url, 60_000).get('k1')).rejects.toMatchObject({ code: 'service_unavailable' });
  });

  it('gives every lookup that arrives while the first fetch is in flight the fetched key', async () => {
    const cache = new JwksCache(await jwksEndpoint(), 60_000);
    const keys = await Promise.all([cache.get('k1'), cache.get('k1'), cache.get('k1')]);
    expect(keys.every((k) => k !== undefined)).toBe(true);
  });

  it('keeps verifying with the keys it holds while auth is unreachable', async () => {
    const url = await jwksEndpoint();
    const cache = new JwksCache(url, 0, 0); // every lookup refetches
    expect(await cache.get('k1')).toBeDefined();
    await new Promise((r) => server?.close(r));
    server = undefined;
    expect(await cache.get('k1')).toBeDefined();
    await expect(cache.get('k2')).rejects.toMatchObject({ code: 'service_unavailable' });
  });

  it('answers a held key at once while a refresh hangs (auth unreachable without a reset)', async () => {
    let hang = false;
    server = createServer((_req, res) => {
      if (!hang) res.setHeader('content-type', 'application/json').end(jwks);
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const cache = new JwksCache(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 0, 0);
    expect(await cache.get('k1')).toBeDefined();
    hang = true;
    const started = Date.now();
    expect(await cache.get('k1')).toBeDefined();
    expect(Date.now() - started).toBeLessThan(1000); // the fetch itself waits up to 3 s
    server.closeAllConnections();
  });

  it('after a failed fetch waits the refetch interval before asking auth again', async () => {
    let fetches = 0;
    server = createServer((_req, res) => {
      fetches++;
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const cache = new JwksCache(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 60_000, 60_000);
    await expect(cache.get('k1')).rejects.toMatchObject({ code: 'service_unavailable' });
    await expect(cache.get('k1')).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(fetches).toBe(1);
  });
});
