import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './harness/platform';
import { signInAdmin, type Session } from './harness/sessions';

let p: Platform;
let admin: Session;
beforeAll(async () => {
  p = await startPlatform({ env: { RATE_LIMIT_GUEST: '5', RATE_LIMIT_USER: '8', RATE_LIMIT_WINDOW_S: '60' } });
  admin = await signInAdmin(p);
});
afterAll(() => p.close());

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
});
