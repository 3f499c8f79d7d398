import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './harness/platform';
import { signInAdmin, type Session } from './harness/sessions';

let p: Platform;
let admin: Session;
let viewerKey: string;
beforeAll(async () => {
  p = await startPlatform({ env: { RATE_LIMIT_GUEST: '5', RATE_LIMIT_USER: '8', RATE_LIMIT_WINDOW_S: '60' } });
  admin = await signInAdmin(p);
  // Made before the tests below spend the admin's user budget.
  const key = await request(p.url).post('/api/admin/api-keys').set('Authorization', `Bearer ${admin.access}`).send({ name: 'rl key', role: 'viewer', rate_limit_per_min: 1000 });
  viewerKey = key.body.secret as string;
});
afterAll(() => p.close());

/**
 * A GET from its own loopback address (Linux routes all of 127.0.0.0/8 to lo), so each test is a
 * client with a fresh budget without trusting any X-Forwarded-For.
 */
function getFrom(localAddress: string, path: string, headers: Record<string, string>): Promise<number> {
  const url = new URL(path, p.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { localAddress, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('rate limits', () => {
  it('sets X-RateLimit headers on every API response', async () => {
    const res = await request(p.url).get('/api/auth/me').set('Authorization', `Bearer ${admin.access}`);
    expect(res.headers['x-ratelimit-limit']).toBe('8');
    expect(Number(res.headers['x-ratelimit-remaining'])).toBeLessThan(8);
    expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
  });

  it('a burst over the user limit gets 429 rate_limited with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await request(p.url).get('/api/auth/me').set('Authorization', `Bearer ${admin.access}`)).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(7);
    const last = await request(p.url).get('/api/auth/me').set('Authorization', `Bearer ${admin.access}`);
    expect(last.status).toBe(429);
    expect(last.body.code).toBe('rate_limited');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('guests are limited per IP at the guest limit, separately from users', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await request(p.url).post('/api/auth/refresh').send({ refresh_token: 'x' })).status);
    // The admin's sign-in in beforeAll was a guest request from this IP too.
    const firstLimited = statuses.indexOf(429);
    expect(firstLimited).toBeGreaterThanOrEqual(3);
    expect(firstLimited).toBeLessThanOrEqual(5);
    expect(statuses.slice(0, firstLimited).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(firstLimited).every((s) => s === 429)).toBe(true);
    // The signed-in user's own budget is separate from the exhausted guest one.
    expect((await request(p.url).post('/api/auth/login').send({ email: 'x@y.z', password: 'p' })).status).toBe(429);
  });

  it('20 bad API keys from one client reach 429: failed authentications count against its budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await getFrom('127.0.0.41', '/v1/version', { 'X-API-Key': `ink_deadbeef_${'x'.repeat(42)}${i % 10}` }));
    const firstLimited = statuses.indexOf(429);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(firstLimited).toBeGreaterThanOrEqual(5);
    expect(firstLimited).toBeLessThanOrEqual(6);
    expect(statuses.slice(firstLimited).every((s) => s === 429)).toBe(true);
    // The client's guest budget is the one that was spent: a plain guest call is refused too.
    expect(await getFrom('127.0.0.41', '/v1/version', {})).toBe(429);
    // Another client is untouched.
    expect(await getFrom('127.0.0.42', '/v1/version', {})).toBe(200);
  });

  it('bad bearer tokens count the same way', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await getFrom('127.0.0.43', '/api/auth/me', { Authorization: `Bearer not.a.token${i}` }));
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('valid keys the gateway has to ask auth about spend none of the client’s guest budget', async () => {
    // Eight keys as auth stores them (the admin API would spend the admin's small user budget).
    const secrets = Array.from({ length: 8 }, () => `ink_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`);
    await p.authDb('api_keys').insert(secrets.map((s, i) => ({ name: `integrator ${i}`, prefix: s.slice(0, 12), secret_hash: createHash('sha256').update(s).digest('hex'), role: 'viewer' })));
    const answers: number[] = [];
    for (const secret of secrets) answers.push(await getFrom('127.0.0.45', '/v1/version', { 'X-API-Key': secret }));
    expect(answers).toEqual(secrets.map(() => 200));
  });

  it('a key the gateway already knows keeps working from a client whose bad keys spent its guest budget', async () => {
    const secret = viewerKey;
    expect(await getFrom('127.0.0.44', '/v1/version', { 'X-API-Key': secret })).toBe(200);
    const bad: number[] = [];
    for (let i = 0; i < 8; i++) bad.push(await getFrom('127.0.0.44', '/v1/version', { 'X-API-Key': 'ink_00000000_bad' }));
    expect(bad.at(-1)).toBe(429);
    expect(await getFrom('127.0.0.44', '/v1/version', { 'X-API-Key': secret })).toBe(200);
  });
});
