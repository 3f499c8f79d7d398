import type { Express } from 'express';
import type { Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { requireGatewayIdentity } from '@inkwell/auth-guard';
import { CommonEnv, ConfigError, loadConfig } from '@inkwell/config';
import { createDb, migrateSchema, pingDb, type Db, type Migration } from '@inkwell/db';
import { createHttpMetrics, createServiceApp, runMain, serve, type ReadinessCheck } from '@inkwell/http';
import { createLogger, type Logger } from '@inkwell/logger';
import { connectRedis, pingRedis } from '@inkwell/queue';

export interface ServiceContext<C extends CommonEnv> {
  readonly config: C;
  readonly logger: Logger;
  readonly db: Db;
  readonly redis: Redis;
}

export interface ServiceDefinition<S extends z.ZodType<CommonEnv>> {
  readonly name: string;
  readonly env: S;
  readonly port: (config: z.infer<S>) => number;
  /** The PostgreSQL schema this service owns, and its append-only migrations. */
  readonly schema: string;
  readonly migrations: readonly Migration[];
  /** Mounts the service's feature routes (every one behind the gateway identity check); `metrics`
   * is the registry `/metrics` serves, for the service's own counters. */
  readonly routes?: (app: Express, ctx: ServiceContext<z.infer<S>>, metrics: Registry) => void;
  /** Readiness checks beyond PostgreSQL and Redis (e.g. inference: a model is loaded). */
  readonly readiness?: (ctx: ServiceContext<z.infer<S>>) => Readonly<Record<string, ReadinessCheck>>;
  /** Starts background work (workers, relays); returns how to stop it. */
  readonly background?: (ctx: ServiceContext<z.infer<S>>) => Promise<() => Promise<void>>;
}

/** Builds a service's app from its context without listening (tests mount it with supertest). */
export function buildServiceApp<S extends z.ZodType<CommonEnv>>(def: ServiceDefinition<S>, ctx: ServiceContext<z.infer<S>>): Express {
  const metrics = createHttpMetrics(def.name);
  const { app } = createServiceApp({
    service: def.name,
    logger: ctx.logger,
    corsOrigins: ctx.config.CORS_ORIGINS,
    jsonLimit: ctx.config.JSON_BODY_LIMIT,
    readiness: { postgres: () => pingDb(ctx.db), redis: () => pingRedis(ctx.redis), ...def.readiness?.(ctx) },
    metrics,
    routes: (a) => {
      a.use(requireGatewayIdentity(ctx.config.INTERNAL_TOKEN_SECRET));
      def.routes?.(a, ctx, metrics.registry);
    },
  });
  return app;
}

/**
 * The service's own bind address, `<NAME>_HOST` of its schema: each service has one, so exposing
 * the gateway (0.0.0.0) never exposes the services behind it.
 */
export function bindHost(service: string, config: CommonEnv): string {
  const key = `${service.toUpperCase()}_HOST`;
  const value = (config as Readonly<Record<string, unknown>>)[key];
  if (typeof value !== 'string') throw new ConfigError([`${key}: the ${service} schema defines no bind address`]);
  return value;
}

/** The whole start-up of a standard service: config, logs, schema migrations, Redis, HTTP, shutdown. */
export function bootService<S extends z.ZodType<CommonEnv>>(def: ServiceDefinition<S>): Promise<void> {
  return runMain(def.name, async () => {
    const config = loadConfig(def.env);
    const logger = createLogger(def.name, config.LOG_LEVEL);
    const db = createDb({ url: config.DATABASE_URL, schema: def.schema, log: (level, msg) => logger[level]({ component: 'knex' }, msg) });
    const applied = await migrateSchema(db, config.DATABASE_URL, def.schema, def.migrations);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const redis = await connectRedis(config.REDIS_URL, logger);
    const ctx: ServiceContext<z.infer<S>> = { config, logger, db, redis };
    const stopBackground = (await def.background?.(ctx)) ?? (async () => undefined);
    await serve(buildServiceApp(def, ctx), {
      port: def.port(config),
      host: bindHost(def.name, config),
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      onShutdown: async () => {
        await stopBackground();
        redis.disconnect();
        await db.destroy();
      },
    });
  });
}

/** Identity function that lets TypeScript infer the config type for the callbacks. */
export const defineService = <S extends z.ZodType<CommonEnv>>(def: ServiceDefinition<S>): ServiceDefinition<S> => def;
