/* eslint-disable @nx/enforce-module-boundaries -- the e2e harness starts the real apps in-process; nothing else may import an app. */
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { EnvSource } from '@inkwell/config';
import type { Db } from '@inkwell/db';
import { createLogger } from '@inkwell/logger';
import { createRedis } from '@inkwell/queue';
import { startService } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import { ephemeralSigningKey, type SigningKey } from '../../../auth/src/keys/signing-key';
import { authServiceWith } from '../../../auth/src/service';
import { auditService } from '../../../audit/src/service';
import { gatewayService } from '../../../gateway/src/service';
import { inferenceService } from '../../../inference/src/service';
import { ensureTestModel } from '../../../inference/src/testing/test-model';
import { reportService } from '../../../report/src/service';
import { trainerService } from '../../../trainer/src/service';

export const ADMIN_EMAIL = 'admin@e2e.test';
export const ADMIN_PASSWORD = 'e2e-admin-password-123';

/** The values of settled promises, or the first rejection's reason thrown. */
function firstFailure<T extends readonly unknown[]>(results: { readonly [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
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
  // Each service through its own definition, as `bootService` starts it (config, migrations, build,
  // start), on an ephemeral port; the gateway last, pointed at the others.
  const started: { close(): Promise<void> }[] = [];
  const start = async <T extends { close(): Promise<void> }>(service: Promise<T>): Promise<T> => {
    const s = await service;
    started.push(s);
    return s;
  };
  const authKey = ephemeralSigningKey();
  try {
    const auth = await start(startService(authServiceWith({ signingKey: authKey }), { env: serviceEnv, logger, poolMax: 4 }));
    // allSettled: when one fails to start, the others still finish starting (and are in `started`,
    // so the catch below closes them) before the failure is thrown.
    const [inference, trainer, report, audit] = firstFailure(
      await Promise.allSettled([
        start(startService(inferenceService, { env: serviceEnv, logger, poolMax: 2 })),
        start(startService(trainerService, { env: serviceEnv, logger, poolMax: 2 })),
        start(startService(reportService, { env: serviceEnv, logger, poolMax: 2 })),
        start(startService(auditService, { env: serviceEnv, logger, poolMax: 2 })),
      ] as const),
    );
    const urls = { AUTH_URL: auth.url, INFERENCE_URL: inference.url, TRAINER_URL: trainer.url, REPORT_URL: report.url, AUDIT_URL: audit.url };
    // Services that load something in the background (inference: its models) are ready a little later.
    for (const url of Object.values(urls)) await untilReady(url);
    const gateway = await start(startService(gatewayService, { env: { ...serviceEnv, ...urls }, logger }));
    const redis = createRedis(auth.ctx.config.REDIS_URL);

    return {
      url: gateway.url,
      gateway: gateway.app,
      env,
      redis,
      authDb: auth.ctx.db,
      authKey,
      issuer: auth.ctx.config.JWT_ISSUER,
      audience: auth.ctx.config.JWT_AUDIENCE,
      async close() {
        // The gateway first, so nothing reaches a service that is stopping.
        for (const s of started.reverse()) await s.close();
        redis.disconnect();
        await env.cleanup();
      },
    };
  } catch (err) {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    await env.cleanup();
    throw err;
  }
}
