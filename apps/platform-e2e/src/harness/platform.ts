/* eslint-disable @nx/enforce-module-boundaries -- the e2e harness starts the real apps in-process; nothing else may import an app. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { AuthEnv, GatewayEnv, loadConfig, type EnvSource } from '@inkwell/config';
import { createDb, type Db } from '@inkwell/db';
import { createHttpServer, INTERNAL_MAX_HEADER_BYTES, PUBLIC_MAX_HEADER_BYTES } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { createRedis } from '@inkwell/queue';
import { buildServiceApp, type ServiceDefinition } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { CommonEnv } from '@inkwell/config';
import { buildAuth } from '../../../auth/src/app';
import { ephemeralSigningKey, type SigningKey } from '../../../auth/src/keys/signing-key';
import { AUTH_SCHEMA } from '../../../auth/src/migrations';
import { auditService } from '../../../audit/src/service';
import { buildGateway } from '../../../gateway/src/app';
import { inferenceService } from '../../../inference/src/service';
import { ensureTestModel } from '../../../inference/src/testing/test-model';
import { reportService } from '../../../report/src/service';
import { trainerService } from '../../../trainer/src/service';

export const ADMIN_EMAIL = 'admin@e2e.test';
export const ADMIN_PASSWORD = 'e2e-admin-password-123';

/** Listens as `serve` does in production (same server options), on an ephemeral port. */
async function listen(app: Express, maxHeaderSize = INTERNAL_MAX_HEADER_BYTES): Promise<{ server: Server; url: string }> {
  const server = createHttpServer(app, { maxHeaderSize });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function untilReady(url: string, ms = 60_000): Promise<void> {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 50))) {
    const res = await fetch(`${url}/readyz`).catch(() => null);
    if (res?.ok) return;
  }
  throw new Error(`${url} not ready within ${ms} ms`);
}

export interface Platform {
  /** The gateway's base URL: the only way tests talk to the platform. */
  readonly url: string;
  readonly gateway: Express;
  readonly env: TestEnv;
  readonly redis: Redis;
  readonly authDb: Db;
  /** auth's signing key, so tests can forge tokens that differ from real ones in one way only. */
  readonly authKey: SigningKey;
  readonly issuer: string;
  readonly audience: string;
  close(): Promise<void>;
}

export interface PlatformOptions {
  /** Environment overrides for every service (e.g. lower rate limits). */
  readonly env?: EnvSource;
  /** Where services reach PostgreSQL, when a test wants to cut it (a TCP forwarder). */
  readonly databaseUrlFor?: (realUrl: string) => string;
}

/**
 * The whole platform in this process: auth and every service on their own ephemeral ports, on a
 * database and Redis namespace of this test file's own, and the gateway routing to them exactly
 * as in production (HTTP between services, signed identities, real PostgreSQL and Redis).
 */
export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  // Inference needs a model to be ready: a small one trained (once, cached) for tests, unless the test names its own.
  const models = opts.env?.INFERENCE_MODEL_DIR ? {} : { INFERENCE_MODEL_DIR: (await ensureTestModel()).modelDir };
  const env = await createTestEnv({ ADMIN_EMAIL, ADMIN_PASSWORD, ...models, ...opts.env });
  const realDbUrl = env.env.DATABASE_URL ?? '';
  const serviceEnv = { ...env.env, DATABASE_URL: opts.databaseUrlFor?.(realDbUrl) ?? realDbUrl };
  const logger = createLogger('e2e', 'silent');
  const closers: (() => Promise<unknown>)[] = [];

  const authConfig = loadConfig(AuthEnv, serviceEnv);
  const authDb = createDb({ url: authConfig.DATABASE_URL, schema: AUTH_SCHEMA, poolMax: 4 });
  const redis = createRedis(authConfig.REDIS_URL);
  const authKey = ephemeralSigningKey();
  const auth = buildAuth({ config: authConfig, logger, db: authDb, redis, key: authKey });
  await auth.users.ensureAdmin(ADMIN_EMAIL, ADMIN_PASSWORD);
  auth.relay.start();
  const authHttp = await listen(auth.app);
  closers.push(() => auth.relay.stop(), () => auth.auditQueue.close());

  const urls: Record<string, string> = { AUTH_URL: authHttp.url };
  const servers: Server[] = [authHttp.server];
  const stubs: [string, ServiceDefinition<z.ZodType<CommonEnv>>][] = [
    ['INFERENCE_URL', inferenceService as unknown as ServiceDefinition<z.ZodType<CommonEnv>>],
    ['TRAINER_URL', trainerService as unknown as ServiceDefinition<z.ZodType<CommonEnv>>],
    ['REPORT_URL', reportService as unknown as ServiceDefinition<z.ZodType<CommonEnv>>],
    ['AUDIT_URL', auditService as unknown as ServiceDefinition<z.ZodType<CommonEnv>>],
  ];
  for (const [key, def] of stubs) {
    const config = loadConfig(def.env, serviceEnv);
    const db = createDb({ url: config.DATABASE_URL, schema: def.schema, poolMax: 2 });
    const ctx = { config, logger, db, redis };
    // Background work (inference: model loading, usage flushes) runs as under bootService.
    const stopBackground = await def.background?.(ctx);
    if (stopBackground) closers.push(stopBackground);
    const app = buildServiceApp(def, ctx);
    const http = await listen(app);
    urls[key] = http.url;
    servers.push(http.server);
    closers.push(() => db.destroy());
  }

  // Services that load something in the background (inference: its models) are ready a little later.
  for (const url of Object.values(urls)) await untilReady(url);

  const gatewayConfig = loadConfig(GatewayEnv, { ...serviceEnv, ...urls });
  const gateway = buildGateway({ config: gatewayConfig, logger, redis });
  const gatewayHttp = await listen(gateway.app, PUBLIC_MAX_HEADER_BYTES);
  servers.push(gatewayHttp.server);

  return {
    url: gatewayHttp.url,
    gateway: gateway.app,
    env,
    redis,
    authDb,
    authKey,
    issuer: authConfig.JWT_ISSUER,
    audience: authConfig.JWT_AUDIENCE,
    async close() {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      await gateway.close();
      for (const c of closers) await c();
      redis.disconnect();
      await authDb.destroy();
      await env.cleanup();
    },
  };
}
