import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './harness/platform';
import { signInAdmin, type Session } from './harness/sessions';

let p: Platform;
let admin: Session;
beforeAll(async () => {
  p = await startPlatform();
  admin = await signInAdmin(p);
});
afterAll(() => p.close());

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const me = (token: string) => request(p.url).get('/api/auth/me').set('Authorization', `Bearer ${token}`);
const claims = () => ({ role: 'admin', email: admin.email, sid: JSON.parse(Buffer.from(admin.access.split('.')[1] ?? '', 'base64url').toString()).sid as string });
const sign = (over: jwt.SignOptions = {}, payload: object = claims()) =>
  jwt.sign(payload, p.authKey.privateKey, { algorithm: 'RS256', keyid: p.authKey.kid, issuer: p.issuer, audience: p.audience, subject: admin.userId, expiresIn: 60, ...over });

describe('access tokens at the gateway', () => {
  it('accepts a genuine token (the control for every refusal below)', async () => {
    expect((await me(admin.access)).status).toBe(200);
    expect((await me(sign())).status).toBe(200);
  });

  it('refuses alg:none', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT', kid: p.authKey.kid })}.${b64({ ...claims(), sub: admin.userId, iss: p.issuer, aud: p.audience, exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('refuses HS256 signed with the RSA public key as the secret', async () => {
    const publicPem = createPublicKey(p.authKey.privateKey).export({ type: 'spki', format: 'pem' });
    const token = jwt.sign({ ...claims(), sub: admin.userId }, publicPem, { algorithm: 'HS256', keyid: p.authKey.kid, issuer: p.issuer, audience: p.audience, expiresIn: 60 });
    expect((await me(token)).status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const token = jwt.sign({ ...claims(), sub: admin.userId, iss: p.issuer, aud: p.audience, exp: Math.floor(Date.now() / 1000) - 10 }, p.authKey.privateKey, { algorithm: 'RS256', keyid: p.authKey.kid });
    expect((await me(token)).status).toBe(401);
  });

  it('refuses a correctly signed token without exp (a token that never expires)', async () => {
    const token = jwt.sign({ ...claims(), sub: admin.userId, iss: p.issuer, aud: p.audience }, p.authKey.privateKey, { algorithm: 'RS256', keyid: p.authKey.kid });
    expect(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())).not.toHaveProperty('exp');
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('refuses a wrong issuer or audience', async () => {
    expect((await me(sign({ issuer: 'someone-else' }))).status).toBe(401);
    expect((await me(sign({ audience: 'another-app' }))).status).toBe(401);
  });

  it('refuses a tampered payload', async () => {
    const [h, , s] = sign().split('.');
    const forged = `${h}.${b64({ ...claims(), role: 'admin', sub: '00000000-0000-4000-8000-000000000000', iss: p.issuer, aud: p.audience, exp: Math.floor(Date.now() / 1000) + 60 })}.${s}`;
    expect((await me(forged)).status).toBe(401);
  });

  it('refuses a token from an unknown key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const token = jwt.sign({ ...claims() }, other, { algorithm: 'RS256', keyid: p.authKey.kid, issuer: p.issuer, audience: p.audience, subject: admin.userId, expiresIn: 60 });
    expect((await me(token)).status).toBe(401);
  });

  it('never lets a client forge the internal identity header', async () => {
    const res = await request(p.url).get('/api/admin/users').set('X-Inkwell-Identity', 'forged');
    expect(res.status).toBe(401);
  });
});
