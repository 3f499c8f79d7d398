import { GatewayEnv, loadConfig } from '@inkwell/config';
import { PUBLIC_MAX_HEADER_BYTES, runMain, serve } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { connectRedis } from '@inkwell/queue';
import { buildGateway } from './app';

await runMain('gateway', async () => {
  const config = loadConfig(GatewayEnv);
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const redis = await connectRedis(config.REDIS_URL, logger);
  const gateway = buildGateway({ config, logger, redis });
  await serve(gateway.app, {
    port: config.GATEWAY_PORT,
    host: config.GATEWAY_HOST,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    maxHeaderSize: PUBLIC_MAX_HEADER_BYTES,
    onShutdown: async () => {
      await gateway.close();
      redis.disconnect();
    },
  });
});
