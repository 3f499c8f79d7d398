import { join } from 'node:path';
import { AuthEnv, loadConfig } from '@inkwell/config';
import { createDb, migrateSchema } from '@inkwell/db';
import { runMain, serve } from '@inkwell/http';
import { createLogger } from '@inkwell/logger';
import { connectRedis } from '@inkwell/queue';
import { buildAuth } from './app';
import { loadSigningKey } from './keys/signing-key';
import { AUTH_MIGRATIONS, AUTH_SCHEMA } from './migrations';

await runMain('auth', async () => {
  const config = loadConfig(AuthEnv);
  const logger = createLogger('auth', config.LOG_LEVEL);
  const db = createDb({ url: config.DATABASE_URL, schema: AUTH_SCHEMA, log: (level, msg) => logger[level]({ component: 'knex' }, msg) });
  const applied = await migrateSchema(db, config.DATABASE_URL, AUTH_SCHEMA, AUTH_MIGRATIONS);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const redis = await connectRedis(config.REDIS_URL, logger);
  const key = loadSigningKey(config.JWT_PRIVATE_KEY_PATH ?? join(config.DATA_DIR, 'keys', 'jwt-private.pem'), logger, config.NODE_ENV !== 'production');
  const auth = buildAuth({ config, logger, db, redis, key });
  if (config.ADMIN_PASSWORD && (await auth.users.ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD))) {
    logger.info({ email: config.ADMIN_EMAIL }, 'created the first admin from ADMIN_EMAIL/ADMIN_PASSWORD');
  }
  auth.relay.start();
  await serve(auth.app, {
    port: config.AUTH_PORT,
    host: config.AUTH_HOST,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: async () => {
      await auth.relay.stop();
      await auth.auditQueue.close();
      redis.disconnect();
      await db.destroy();
    },
  });
});
