import type { Express } from 'express';
import type { z } from 'zod';
import { requireGatewayIdentity } from '@inkwell/auth-guard';
import type { CommonEnv } from '@inkwell/config';
import { createHttpMetrics, createServiceApp, type ReadinessCheck } from '@inkwell/http';
import { pingRedis, registerQueueMetrics } from '@inkwell/queue';
import type { EdgeContext, EdgeServiceDefinition, ExposedBy, ServiceContext, ServiceDefinition, ServiceParts, StoredServiceDefinition } from './service-definition';

/** A service built but not listening: its app, what it exposes to tests, and its background hooks. */
export interface AssembledService<P> {
  readonly app: Express;
  readonly exposes: P;
  /** Runs the parts' `start` (once, however often it is called). */
  start(): Promise<void>;
  /** Runs the parts' `stop`; the caller owns (and closes) the context's Redis and database. */
  stop(): Promise<void>;
}

const hasDb = <C extends CommonEnv>(ctx: EdgeContext<C> | ServiceContext<C>): ctx is ServiceContext<C> => 'db' in ctx;

function buildParts<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: ServiceDefinition<S, R>, ctx: EdgeContext<z.infer<S>> | ServiceContext<z.infer<S>>): R {
  if (def.schema === null) return def.build(ctx);
  if (!hasDb(ctx)) throw new Error(`${def.name} owns schema ${def.schema} but was given no database`);
  return def.build(ctx);
}

/**
 * Calls `build` once and puts its parts on the app every service shares (security headers, request
 * ids, logs, readiness, metrics, the one error handler), without listening: tests mount it with
 * supertest, `bootService` and `startService` listen.
 */
export function assembleService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: StoredServiceDefinition<S, R>, ctx: ServiceContext<z.infer<S>>): AssembledService<ExposedBy<R>>;
export function assembleService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: EdgeServiceDefinition<S, R>, ctx: EdgeContext<z.infer<S>>): AssembledService<ExposedBy<R>>;
/** Either kind: a service with a schema must be given a context with its database (checked). */
export function assembleService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: ServiceDefinition<S, R>, ctx: EdgeContext<z.infer<S>> | ServiceContext<z.infer<S>>): AssembledService<ExposedBy<R>>;
export function assembleService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: ServiceDefinition<S, R>, ctx: EdgeContext<z.infer<S>> | ServiceContext<z.infer<S>>): AssembledService<ExposedBy<R>> {
  const parts = buildParts(def, ctx);
  const internal = (def.exposure ?? 'internal') === 'internal';
  const metrics = createHttpMetrics(def.name);
  if (parts.queues?.length) registerQueueMetrics(metrics.registry, parts.queues, ctx.logger);
  const readiness: Record<string, ReadinessCheck> = {};
  // One round trip, as @inkwell/db's pingDb (not imported here, so the gateway never loads knex).
  if (hasDb(ctx)) readiness.postgres = async () => void (await ctx.db.raw('select 1'));
  readiness.redis = () => pingRedis(ctx.redis);
  const { app } = createServiceApp({
    service: def.name,
    logger: ctx.logger,
    corsOrigins: ctx.config.CORS_ORIGINS,
    jsonLimit: ctx.config.JSON_BODY_LIMIT,
    readiness: { ...readiness, ...parts.readiness },
    metrics,
    beforeBodyParser: parts.beforeBodyParser,
    ...(internal ? {} : parts.app),
    routes: (a) => {
      // The gateway makes the identities; every other service takes only requests that carry one.
      if (internal) a.use(requireGatewayIdentity(ctx.config.INTERNAL_TOKEN_SECRET));
      parts.routes?.(a, metrics.registry);
    },
  });
  let started: Promise<void> | undefined;
  return {
    app,
    exposes: parts.exposes as ExposedBy<R>,
    start: () =>
      (started ??= (async () => {
        await parts.start?.();
      })()),
    stop: async () => {
      await parts.stop?.();
    },
  };
}

/** The app alone, for a test that only needs to send it requests (nothing started). */
export function buildServiceApp<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: StoredServiceDefinition<S, R>, ctx: ServiceContext<z.infer<S>>): Express {
  return assembleService(def, ctx).app;
}
