import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenClaims, IDENTITY_HEADER } from '@inkwell/contracts';
import { authFixture, type AuthFixture } from '../testing/auth-fixture';

let f: AuthFixture;
const PASSWORD = 'correct horse battery staple';
const claimsOf = (token: string) => AccessTokenClaims.parse(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()));
const login = (email: string, password: string, ip: string) =>
  request(f.app).post('/api/auth/login').set(IDENTITY_HEADER, f.identity({ ip })).send({ email, password });
const change = (id: string, current: string, next: string, ip: string, sessionId: string | null = null) =>
  request(f.app).post('/api/auth/password').set(IDENTITY_HEADER, f.asUser(id, 'viewer', { ip, session_id: sessionId })).send({ current_password: current, new_password: next });

beforeAll(async () => {
  f = await authFixture({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '10', LOGIN_MAX_FAILURES_PER_IP: '1000' });
});
afterAll(() => f.close());

describe('password change', () => {
  it('counts wrong current passwords toward the sign-in throttle: 429 after as many failures as sign-in', async () => {
    const changer = await f.createAdmin('oracle@example.com', PASSWORD);
    await f.createAdmin('guessed@example.com', PASSWORD);
    const changes: number[] = [];
    for (let i = 0; i < 11; i++) changes.push((await change(changer, `guess-${i}`, 'a brand new password 1', '198.51.100.20')).status);
    const logins: number[] = [];
    for (let i = 0; i < 11; i++) logins.push((await login('guessed@example.com', `guess-${i}`, '198.51.100.21')).status);
    expect(changes).toEqual([...Array<number>(10).fill(403), 429]);
    expect(logins).toEqual([...Array<number>(10).fill(401), 429]);
    // One counter: the client that guessed through /password cannot go on guessing through /login.
    expect((await login('oracle@example.com', 'guess-x', '198.51.100.20')).status).toBe(429);
  });

  it('answers 200 with new tokens and cookies, not cacheable, and ends the old sessions', async () => {
    const id = await f.createAdmin('rotate@example.com', PASSWORD);
    const own = await login('rotate@example.com', PASSWORD, '198.51.100.30');
    const res = await change(id, PASSWORD, 'a brand new password 2', '198.51.100.30', claimsOf(own.body.access_token as string).sid);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.body.user.must_change_password).toBe(false);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => c.startsWith(`inkwell_access=${res.body.access_token as string};`))).toBe(true);
    expect(cookies.some((c) => c.startsWith(`inkwell_refresh=${res.body.refresh_token as string};`))).toBe(true);
    const refresh = (token: string) => request(f.app).post('/api/auth/refresh').set(IDENTITY_HEADER, f.identity()).send({ refresh_token: token });
    expect((await refresh(res.body.refresh_token as string)).status).toBe(200);
    expect((await refresh(own.body.refresh_token as string)).status).toBe(401);
  });

  it('lets one user run one password change at a time: the rest of a flood is refused at once', async () => {
    const id = await f.createAdmin('flood@example.com', PASSWORD);
    // Each from its own address, so the sign-in throttle is not what stops them.
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => change(id, PASSWORD, `flooded new password ${i}`, `203.0.113.${i + 1}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    for (const r of results.filter((x) => x.status === 429)) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
  });
});
