import type { Express } from 'express';
import { signIdentity } from '@inkwell/auth-guard';
import { InferenceEnv, loadConfig, type EnvSource } from '@inkwell/config';
import { IDENTITY_HEADER, type Identity } from '@inkwell/contracts';
import { createLogger, type Logger } from '@inkwell/logger';
import { openService, type ServiceContext } from '@inkwell/runtime';
import { createTestEnv, type TestEnv } from '@inkwell/testing';
import type { InferenceRuntime } from '../inference-runtime';
import { inferenceService } from '../service';

export interface InferenceApp {
  readonly app: Express;
  readonly ctx: ServiceContext<InferenceEnv>;
  readonly runtime: InferenceRuntime;
  readonly env: TestEnv;
  /** Headers that make a request look as if it came through the gateway. */
  headers(identity?: Partial<Identity>): Record<string, string>;
  close(): Promise<void>;
}

const GUEST: Identity = { kind: 'guest', sub: null, role: null, email: null, session_id: null, ip: '127.0.0.1', user_agent: null };

/** The inference service in-process on a test database and Redis namespace of its own, opened (built and started) as `bootService` does, without listening. */
export async function startInferenceApp(overrides: EnvSource, logger: Logger = createLogger('inference', 'silent')): Promise<InferenceApp> {
  const env = await createTestEnv(overrides);
  const config = loadConfig(InferenceEnv, env.env);
  const service = await openService(inferenceService, config, logger, { poolMax: 2 });
  return {
    app: service.app,
    ctx: service.ctx,
    runtime: service.exposes,
    env,
    headers: (identity = {}) => ({ [IDENTITY_HEADER]: signIdentity({ ...GUEST, ...identity }, config.INTERNAL_TOKEN_SECRET) }),
    async close() {
      await service.release();
      await env.cleanup();
    },
  };
}

/** Resolves once `check` holds (polling), failing after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 30_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
