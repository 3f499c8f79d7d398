import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from '@inkwell/logger';
import { createHttpServer, INTERNAL_MAX_HEADER_BYTES } from './http-server';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  readonly shutdownTimeoutMs: number;
  /** Request head size accepted; services behind the gateway default to INTERNAL_MAX_HEADER_BYTES. */
  readonly maxHeaderSize?: number;
  /** Closes what the service holds (db pools, redis, workers) after the last request finished. */
  readonly onShutdown?: () => Promise<void>;
}

/**
 * Listens, and on SIGTERM/SIGINT stops accepting, lets in-flight requests finish, closes idle
 * keep-alive sockets, releases resources and exits; a hard deadline guarantees the exit.
 */
export async function serve(app: Express, opts: ServeOptions): Promise<Server> {
  const server = createHttpServer(app, { maxHeaderSize: opts.maxHeaderSize ?? INTERNAL_MAX_HEADER_BYTES, logger: opts.logger });
  // Slightly above typical load-balancer idle timeouts, so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  opts.logger.info({ port: typeof address === 'object' && address ? address.port : opts.port }, 'listening');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    opts.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      opts.logger.error({ timeout_ms: opts.shutdownTimeoutMs }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, opts.shutdownTimeoutMs);
    deadline.unref();
    server.close(() => {
      void (async () => {
        try {
          await opts.onShutdown?.();
          opts.logger.info('stopped');
          process.exit(0);
        } catch (err) {
          opts.logger.error({ err }, 'error while releasing resources');
          process.exit(1);
        }
      })();
    });
    server.closeIdleConnections();
    // Keep-alive sockets that become idle after their last response are closed as they go idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 250);
    sweep.unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return server;
}
