import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { loadConfig, processEnv, type CommonEnv, type EnvSource } from '@inkwell/config';
import { createHttpServer, INTERNAL_MAX_HEADER_BYTES, PUBLIC_MAX_HEADER_BYTES } from '@inkwell/http';
import { createLogger, type Logger } from '@inkwell/logger';
import { openService, type OpenService } from './open-service';
import type { EdgeContext, EdgeServiceDefinition, ExposedBy, ServiceContext, ServiceDefinition, ServiceParts, StoredServiceDefinition } from './service-definition';

export interface StartOptions {
  /** The environment to parse (a test's own database and Redis prefix); the process's by default. */
  readonly env?: EnvSource;
  readonly logger?: Logger;
  /** 0 (the default) takes an ephemeral port. */
  readonly port?: number;
  readonly host?: string;
  readonly poolMax?: number;
}

/** A service listening in this process, as `bootService` runs it, minus the signal handling. */
export interface RunningService<X extends EdgeContext<CommonEnv>, P> extends Omit<OpenService<X, P>, 'release'> {
  readonly url: string;
  readonly server: Server;
  /** Closes connections and the server, then stops the service and releases what it holds. */
  close(): Promise<void>;
}

/**
 * Starts a service through its definition on an ephemeral port (tests, the e2e harness): the same
 * config parsing, migrations, build and start as production, with the same server options.
 */
export function startService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: StoredServiceDefinition<S, R>, opts?: StartOptions): Promise<RunningService<ServiceContext<z.infer<S>>, ExposedBy<R>>>;
export function startService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: EdgeServiceDefinition<S, R>, opts?: StartOptions): Promise<RunningService<EdgeContext<z.infer<S>>, ExposedBy<R>>>;
export async function startService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: ServiceDefinition<S, R>, opts: StartOptions = {}): Promise<RunningService<EdgeContext<z.infer<S>>, ExposedBy<R>>> {
  const config = loadConfig(def.env, opts.env ?? processEnv());
  const logger = opts.logger ?? createLogger(def.name, config.LOG_LEVEL);
  const host = opts.host ?? '127.0.0.1';
  const service = await openService(def, config, logger, { poolMax: opts.poolMax });
  const server = createHttpServer(service.app, { maxHeaderSize: def.exposure === 'public' ? PUBLIC_MAX_HEADER_BYTES : INTERNAL_MAX_HEADER_BYTES, logger });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
  } catch (err) {
    await service.release();
    throw err;
  }
  const { release, ...rest } = service;
  return {
    ...rest,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await release();
    },
  };
}
