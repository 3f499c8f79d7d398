/* eslint-disable @nx/enforce-module-boundaries -- like the harness, this starts the real apps; nothing else may import an app. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseEnv, promisify } from 'node:util';
import { signIdentity } from '@inkwell/auth-guard';
import { IDENTITY_HEADER, type Identity } from '@inkwell/contracts';
import { ALL_ENV_SCHEMAS, loadConfig } from '@inkwell/config';
import { createDb } from '@inkwell/db';
import { createHttpServer, INTERNAL_MAX_HEADER_BYTES } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { createRedis } from '@inkwell/queue';
import { bindHost, buildServiceApp } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditService } from '../../audit/src/service';
import { inferenceService } from '../../inference/src/service';
import { reportService } from '../../report/src/service';
import { trainerService } from '../../trainer/src/service';

const REPO = new URL('../../../', import.meta.url);
const example = parseEnv(readFileSync(new URL('.env.example', REPO), 'utf8'));
const EXAMPLE_SECRET = example.INTERNAL_TOKEN_SECRET ?? '';
const ownSecret = () => randomBytes(36).toString('base64url');

/** Starts a service's real main.ts as `npm start` does, in production, with only `env` set. */
async function start(app: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
      timeout: 30_000,
    });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code?: number | null; stderr?: string };
    return { code: e.code ?? null, stderr: e.stderr ?? '' };
  }
}

describe('production start-up', () => {
  it('each service exits at start naming a public, short or dev secret (and never falls back to .env.example)', async () => {
    const [gateway, auth, trainer, missing] = await Promise.all([
      start('gateway', { INTERNAL_TOKEN_SECRET: EXAMPLE_SECRET }),
      start('auth', { INTERNAL_TOKEN_SECRET: ownSecret(), ADMIN_PASSWORD: 'inkwell-admin-dev-password' }),
      start('trainer', { INTERNAL_TOKEN_SECRET: 'z'.repeat(31) }),
      // Nothing set: in development .env.example would supply the secret; in production it is missing.
      start('audit', {}),
    ]);
    expect(gateway.code).toBe(2);
    expect(gateway.stderr).toMatch(/gateway: Invalid configuration[\s\S]*INTERNAL_TOKEN_SECRET: is the public value/);
    expect(auth.code).toBe(2);
    expect(auth.stderr).toMatch(/ADMIN_PASSWORD/);
    expect(trainer.code).toBe(2);
    expect(trainer.stderr).toMatch(/INTERNAL_TOKEN_SECRET/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/INTERNAL_TOKEN_SECRET/);
  });
});

describe('a service reached directly, with the production config', () => {
  let env: TestEnv;
  let url: string;
  let close: () => Promise<void>;
  const secret = ownSecret();

  beforeAll(async () => {
    env = await createTestEnv();
    const config = loadConfig(trainerService.env, { ...env.env, NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: secret, ADMIN_PASSWORD: undefined });
    const db = createDb({ url: config.DATABASE_URL, schema: trainerService.schema, poolMax: 1 });
    const redis = createRedis(config.REDIS_URL);
    const server = createHttpServer(buildServiceApp(trainerService, { config, logger: createLogger('e2e', 'silent'), db, redis }), { maxHeaderSize: INTERNAL_MAX_HEADER_BYTES });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      redis.disconnect();
      await db.destroy();
      await env.cleanup();
    };
  });
  afterAll(() => close());

  const admin: Identity = { kind: 'user', sub: 'attacker', role: 'admin', email: null, session_id: null, ip: '203.0.113.9', user_agent: null };

  it('refuses an identity signed with the .env.example secret', async () => {
    const res = await fetch(`${url}/internal/anything`, { headers: { [IDENTITY_HEADER]: signIdentity(admin, EXAMPLE_SECRET) } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code?: string }).code).toBe('unauthorized');
    // The same identity signed with the deployment's own secret gets past the identity check (to a 404).
    const genuine = signIdentity(admin, secret);
    expect((await fetch(`${url}/internal/anything`, { headers: { [IDENTITY_HEADER]: genuine } })).status).toBe(404);
  });

  it('binds every service to loopback unless its own <NAME>_HOST says otherwise', () => {
    // Without .env.example's own *_HOST lines, so what is checked is each schema's default.
    const unset = Object.fromEntries(Object.keys(example).filter((k) => k.endsWith('_HOST')).map((k) => [k, undefined]));
    const production = { ...example, ...unset, NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: secret, AUDIT_CHECKPOINT_SECRET: ownSecret(), ADMIN_PASSWORD: undefined, GATEWAY_HOST: '0.0.0.0' };
    for (const def of [auditService, inferenceService, reportService, trainerService]) {
      expect(bindHost(def.name, loadConfig(def.env, production))).toBe('127.0.0.1');
    }
    expect(loadConfig(ALL_ENV_SCHEMAS.AuthEnv, production).AUTH_HOST).toBe('127.0.0.1');
    expect(loadConfig(ALL_ENV_SCHEMAS.GatewayEnv, production).GATEWAY_HOST).toBe('0.0.0.0');
  });
});
