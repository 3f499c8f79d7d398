import type { z } from 'zod';
import { loadConfig, type CommonEnv } from '@inkwell/config';
import { INTERNAL_MAX_HEADER_BYTES, PUBLIC_MAX_HEADER_BYTES, runMain, serve } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { bindHost } from './bind-host';
import { openService } from './open-service';
import type { ServiceDefinition, ServiceParts } from './service-definition';

/**
 * A service's `main.ts`: config (a bad variable exits 2 naming it), logs, migrations, Redis, build,
 * background start, then HTTP on `<NAME>_PORT`/`<NAME>_HOST` with a graceful shutdown on SIGTERM.
 */
export function bootService<S extends z.ZodType<CommonEnv>, R extends ServiceParts>(def: ServiceDefinition<S, R>): Promise<void> {
  return runMain(def.name, async () => {
    const config = loadConfig(def.env);
    const logger = createLogger(def.name, config.LOG_LEVEL);
    const host = bindHost(def.name, config);
    const service = await openService(def, config, logger);
    await serve(service.app, {
      port: def.port(config),
      host,
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      maxHeaderSize: def.exposure === 'public' ? PUBLIC_MAX_HEADER_BYTES : INTERNAL_MAX_HEADER_BYTES,
      onShutdown: () => service.release(),
    });
  });
}
