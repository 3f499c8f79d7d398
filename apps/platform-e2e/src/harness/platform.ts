/* eslint-disable @nx/enforce-module-boundaries -- the e2e harness starts the real apps in-process; nothing else may import an app. */
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { EnvSource } from '@inkwell/config';
import type { Db } from '@inkwell/db';
import { createLogger, type Logger } from '@inkwell/logger';
import { createRedis } from '@inkwell/queue';
import { startService } from '@inkwell/runtime';
import { createTestEnv, startServiceProcess, type TestEnv } from '@inkwell/testing';
import { ephemeralSigningKey, type SigningKey } from '../../../auth/src/keys/signing-key';
import { authServiceWith } from '../../../auth/src/service';
import { auditService } from '../../../audit/src/service';
import { gatewayService } from '../../../gateway/src/service';
import { inferenceService } from '../../../inference/src/service';
import { ensureTestModel } from '../../../inference/src/testing/test-model';
import { reportService } from '../../../report/src/service';
import { trainerService } from '../../../trainer/src/service';
import { RoundRobinBalancer } from './round-robin';

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
  /** Each inference replica's own URL (calls need a gateway-signed identity). */
  readonly inferenceUrls: readonly string[];
  close(): Promise<void>;
}

export interface PlatformOptions {
  /** Environment overrides for every service (e.g. lower rate limits). */
  readonly env?: EnvSource;
  /** Where services reach PostgreSQL, when a test wants to cut it (a TCP forwarder). */
  readonly databaseUrlFor?: (realUrl: string) => string;
  /**
   * Inference serves what the trainer's registry names (INFERENCE_REGISTRY_URL: the trainer then
   * starts first), as in a deployment; off, inference serves INFERENCE_MODEL_DIR's folders.
   */
  readonly registry?: boolean;
  /**
   * Inference replicas (default 1). One runs in this process; two or more each run as an OS process
   * of their own (`apps/inference/src/main.ts`, as deployed: own ONNX workers, Redis subscriber,
   * registry sync), behind a round-robin TCP hop that the gateway's INFERENCE_URL points at.
   */
  readonly inferenceReplicas?: number;
  /** How long each service may take to answer /readyz (default 60 s); a long walk on a busy machine waits longer. */
  readonly readyMs?: number;
}

/** Inference: in this process when alone, else one OS process per replica. */
async function startInferences(replicas: number, env: EnvSource, logger: Logger, start: <T extends { close(): Promise<void> }>(s: Promise<T>) => Promise<T>): Promise<{ url: string }[]> {
  if (replicas <= 1) return [await start(startService(inferenceService, { env, logger, poolMax: 2 }))];
  const processes = [];
  // One after another: tsx start-ups at once on two cores only slow each other down.
  for (let i = 0; i < replicas; i++) {
    const p = await start(startServiceProcess({ entry: 'apps/inference/src/main.ts', portVar: 'INFERENCE_PORT', env }).then((sp) => ({ url: sp.url, close: () => sp.stop() })));
    processes.push(p);
  }
  return processes;
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
    const registryTrainer = opts.registry ? await start(startService(trainerService, { env: serviceEnv, logger, poolMax: 2 })) : null;
    const inferenceEnv = registryTrainer ? { ...serviceEnv, INFERENCE_REGISTRY_URL: registryTrainer.url, INFERENCE_REGISTRY_RETRY_MS: '250' } : serviceEnv;
    const trainerStarting = registryTrainer ? Promise.resolve(registryTrainer) : start(startService(trainerService, { env: serviceEnv, logger, poolMax: 2 }));
    const [inferences, trainer, report, audit] = firstFailure(
      await Promise.allSettled([
        startInferences(opts.inferenceReplicas ?? 1, inferenceEnv, logger, start),
        trainerStarting,
        // The report service fetches a report's inputs from the trainer, so it starts once the trainer's URL is known.
        trainerStarting.then((t) => start(startService(reportService, { env: { ...serviceEnv, REPORT_TRAINER_URL: t.url }, logger, poolMax: 2 }))),
        start(startService(auditService, { env: serviceEnv, logger, poolMax: 2 })),
      ] as const),
    );
    const inferenceUrls = inferences.map((i) => i.url);
    const balancer = inferenceUrls.length > 1 ? new RoundRobinBalancer(inferenceUrls.map((u) => new URL(u))) : null;
    if (balancer) started.push({ close: () => balancer.close() });
    const inferenceUrl = balancer ? await balancer.start() : (inferenceUrls[0] ?? '');
    const urls = { AUTH_URL: auth.url, INFERENCE_URL: inferenceUrl, TRAINER_URL: trainer.url, REPORT_URL: report.url, AUDIT_URL: audit.url };
    // Services that load something in the background (inference: its models) are ready a little later.
    for (const url of [...Object.values(urls), ...inferenceUrls]) await untilReady(url, opts.readyMs);
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
      inferenceUrls,
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
