import type { z } from 'zod';
import type { CommonEnv } from '@inkwell/config';
import type { Db } from '@inkwell/db';
import type { Logger } from '@inkwell/logger';
import { connectRedis } from '@inkwell/queue';
import { assembleService, type AssembledService } from './assemble-service';
import type { EdgeContext, EdgeServiceDefinition, ExposedBy, ServiceContext, ServiceDefinition, ServiceParts, StoredServiceDefinition } from './service-definition';

/** A service built, started and ready to listen, with what it holds. */
export interface OpenService<X extends EdgeContext<CommonEnv>, P> extends AssembledService<P> {
  /** The context `build` was given (no `db` for a service without a schema). */
  readonly ctx: X;
  /** Stops the background work, then closes Redis and the database (in that order: workers flush first). */
  release(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL connections at most (tests start many services on one server, so they keep this small). */
  readonly poolMax?: number;
}

/**
 * Every start-up step between a parsed config and a listening socket, in one place for
 * `bootService` (production) and `startService` (tests, the e2e harness): the schema's database
 * and migrations, Redis, `build`, then `start`.
 */
export function openService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(
  def: StoredServiceDefinition<S, R>,
  config: z.infer<S>,
  logger: Logger,
  opts?: OpenOptions,
): Promise<OpenService<ServiceContext<z.infer<S>>, ExposedBy<R>>>;
export function openService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(
  def: EdgeServiceDefinition<S, R>,
  config: z.infer<S>,
  logger: Logger,
  opts?: OpenOptions,
): Promise<OpenService<EdgeContext<z.infer<S>>, ExposedBy<R>>>;
export function openService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(
  def: ServiceDefinition<S, R>,
  config: z.infer<S>,
  logger: Logger,
  opts?: OpenOptions,
): Promise<OpenService<EdgeContext<z.infer<S>>, ExposedBy<R>>>;
export async function openService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(
  def: ServiceDefinition<S, R>,
  config: z.infer<S>,
  logger: Logger,
  opts: OpenOptions = {},
): Promise<OpenService<EdgeContext<z.infer<S>>, ExposedBy<R>>> {
  let db: Db | undefined;
  if (def.schema !== null) {
    // Loaded only by services with tables: the gateway never loads knex and pg.
    const { createDb, migrateSchema } = await import('@inkwell/db');
    db = createDb({ url: config.DATABASE_URL, schema: def.schema, poolMax: opts.poolMax, log: (level, msg) => logger[level]({ component: 'knex' }, msg) });
    const applied = await migrateSchema(db, config.DATABASE_URL, def.schema, def.migrations).catch(async (err: unknown) => {
      await db?.destroy();
      throw err;
    });
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  const redis = await connectRedis(config.REDIS_URL, logger);
  const close = async () => {
    redis.disconnect();
    await db?.destroy();
  };
  const ctx: EdgeContext<z.infer<S>> | ServiceContext<z.infer<S>> = db ? { config, logger, redis, db } : { config, logger, redis };
  let service: AssembledService<ExposedBy<R>> | undefined;
  try {
    service = assembleService(def, ctx);
    await service.start();
  } catch (err) {
    await service?.stop().catch((e: unknown) => logger.warn({ err: e }, 'stopping after a failed start failed too'));
    await close();
    throw err;
  }
  const started = service;
  return {
    ...started,
    ctx,
    release: async () => {
      await started.stop();
      await close();
    },
  };
}
