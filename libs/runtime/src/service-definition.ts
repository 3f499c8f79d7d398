import type { Express, Router } from 'express';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { CommonEnv } from '@inkwell/config';
import type { Db, Migration } from '@inkwell/db';
import type { ReadinessCheck, ServiceAppOptions } from '@inkwell/http';
import type { Logger } from '@inkwell/logger';
import type { registerQueueMetrics } from '@inkwell/queue';

/** A BullMQ queue or a typed queue around one. */
export type OwnedQueue = Parameters<typeof registerQueueMetrics>[1][number];

/** What a service without tables of its own (the gateway) is built from. */
export interface EdgeContext<C extends CommonEnv> {
  readonly config: C;
  readonly logger: Logger;
  readonly redis: Redis;
}

/** What a service is built from: its parsed config, its logger, its schema's database and Redis. */
export interface ServiceContext<C extends CommonEnv> extends EdgeContext<C> {
  readonly db: Db;
}

/** App settings only a public service (the gateway) changes; internal services keep the defaults. */
export type PublicAppOptions = Pick<ServiceAppOptions, 'readinessTimeoutMs' | 'readinessDetailGuard' | 'exposeMetrics' | 'parseJson' | 'trustProxy'>;

/**
 * What `build` returns: everything the runtime needs to serve the service. `build` only constructs
 * (stores, then services, then routes and workers); anything that talks to the outside world
 * at start (workers, relays, subscribers, seeding) goes in `start`, so a test can assemble an
 * app without starting it.
 */
export interface ServiceParts {
  /** The feature routes; on an internal service every one sits behind the gateway identity check.
   * `metrics` is the registry `/metrics` serves, for the service's own counters. */
  readonly routes?: (app: Express, metrics: Registry) => void;
  /** Handlers ahead of the body parser and the identity check (auth's JWKS, which the gateway fetches unsigned). */
  readonly beforeBodyParser?: Router;
  /** Readiness checks beyond PostgreSQL and Redis (e.g. inference: a model is loaded). */
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** Only with `exposure: 'public'`. */
  readonly app?: PublicAppOptions;
  /** Starts background work; called once, after the app is built and before it listens. */
  readonly start?: () => void | Promise<void>;
  /** Stops what `start` started and closes what `build` opened; the runtime then closes Redis and the database. */
  readonly stop?: () => Promise<void>;
  /** The queues this service owns: their depth by state is exported on its /metrics (`bullmq_queue_jobs`). */
  readonly queues?: readonly OwnedQueue[];
  /** What tests (and the harness) may reach inside the running service, e.g. auth's users service. */
  readonly exposes?: unknown;
}

/** The `exposes` of a service's parts, typed. */
export type ExposedBy<R> = R extends { readonly exposes: infer P } ? P : undefined;

interface DefinitionBase<S extends z.ZodType<CommonEnv>> {
  readonly name: string;
  readonly env: S;
  readonly port: (config: z.infer<S>) => number;
  /**
   * `internal` (the default): reached only through the gateway, so every feature route requires its
   * signed identity, and request heads up to INTERNAL_MAX_HEADER_BYTES are accepted.
   * `public` (the gateway): no identity check (it makes the identities) and the public head size.
   */
  readonly exposure?: 'internal' | 'public';
}

/** A service that owns a PostgreSQL schema: the runtime migrates it and hands `build` its database. */
export interface StoredServiceDefinition<S extends z.ZodType<CommonEnv>, R extends ServiceParts> extends DefinitionBase<S> {
  /** The PostgreSQL schema this service owns, and its append-only migrations. */
  readonly schema: string;
  readonly migrations: readonly Migration[];
  readonly build: (ctx: ServiceContext<z.infer<S>>) => R;
}

/** A service with no tables (the gateway): no database is opened, none is checked for readiness. */
export interface EdgeServiceDefinition<S extends z.ZodType<CommonEnv>, R extends ServiceParts> extends DefinitionBase<S> {
  readonly schema: null;
  readonly migrations?: readonly [];
  readonly build: (ctx: EdgeContext<z.infer<S>>) => R;
}

export type ServiceDefinition<S extends z.ZodType<CommonEnv>, R extends ServiceParts> = StoredServiceDefinition<S, R> | EdgeServiceDefinition<S, R>;

/** Identity function that lets TypeScript infer the config type for `build` and the parts it returns. */
export function defineService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: StoredServiceDefinition<S, R>): StoredServiceDefinition<S, R>;
export function defineService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: EdgeServiceDefinition<S, R>): EdgeServiceDefinition<S, R>;
export function defineService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: ServiceDefinition<S, R>): ServiceDefinition<S, R> {
  return def;
}
