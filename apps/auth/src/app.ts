import cookieParser from 'cookie-parser';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import { requireGatewayIdentity } from '@inkwell/auth-guard';
import type { AuthEnv } from '@inkwell/config';
import { pingDb, type Db } from '@inkwell/db';
import { createServiceApp } from '@inkwell/http';
import type { Logger } from '@inkwell/logger';
import { pingRedis, TypedQueue } from '@inkwell/queue';
import { apiKeysRoutes } from './api-keys/api-keys.routes';
import { ApiKeyInvalidations } from './api-keys/api-key-invalidations';
import { ApiKeysService } from './api-keys/api-keys.service';
import type { SigningKey } from './keys/signing-key';
import { LoginThrottle } from './login-throttle/login-throttle';
import { OutboxRelay } from './outbox/outbox-relay';
import { Argon2Pool } from './passwords/argon2-pool';
import { Passwords } from './passwords/passwords';
import { Revocations } from './sessions/revocations';
import { sessionsRoutes } from './sessions/sessions.routes';
import { SessionsService } from './sessions/sessions.service';
import { usersRoutes } from './users/users.routes';
import { UsersService } from './users/users.service';

export interface AuthDeps {
  readonly config: AuthEnv;
  readonly logger: Logger;
  readonly db: Db;
  readonly redis: Redis;
  readonly key: SigningKey;
}

/** Builds the auth service without listening, so tests mount it with supertest. */
export function buildAuth(deps: AuthDeps) {
  const { config, logger, db, redis, key } = deps;
  const auditQueue = new TypedQueue('audit', redis, config.REDIS_PREFIX);
  const relay = new OutboxRelay(db, auditQueue, logger);
  const kick = () => relay.kick();
  const revocations = new Revocations(redis, config.REDIS_PREFIX, config.ACCESS_TOKEN_TTL_S);
  const throttle = new LoginThrottle(redis, config.REDIS_PREFIX, {
    windowSeconds: config.LOGIN_WINDOW_S,
    maxPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
    slowIntervalSeconds: config.LOGIN_SLOW_INTERVAL_S,
  }, logger);
  const passwords = new Passwords(new Argon2Pool({ concurrency: config.ARGON2_CONCURRENCY, queueMax: config.ARGON2_QUEUE_MAX }));
  const access = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: config.ACCESS_TOKEN_TTL_S };
  const sessions = new SessionsService(db, key, access, config.REFRESH_TOKEN_TTL_S, throttle, revocations, passwords, kick);
  const users = new UsersService(db, sessions, passwords, config.TEMP_PASSWORD_TTL_H, kick);
  const apiKeys = new ApiKeysService(db, config.API_KEY, config.API_KEY_ROLE, kick, new ApiKeyInvalidations(redis, config.REDIS_PREFIX));

  const publicKeys = Router();
  // The gateway fetches this to verify access tokens; public keys are not secret.
  publicKeys.get('/.well-known/jwks.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(key.jwks);
  });

  const { app } = createServiceApp({
    service: 'auth',
    logger,
    corsOrigins: config.CORS_ORIGINS,
    jsonLimit: config.JSON_BODY_LIMIT,
    readiness: { postgres: () => pingDb(db), redis: () => pingRedis(redis) },
    beforeBodyParser: publicKeys,
    routes: (a) => {
      a.use(requireGatewayIdentity(config.INTERNAL_TOKEN_SECRET));
      a.use(cookieParser());
      a.use(sessionsRoutes(sessions, config.COOKIE_SECURE));
      a.use(usersRoutes(users));
      a.use(apiKeysRoutes(apiKeys, { publicUrl: config.PUBLIC_URL, guestPerMin: config.RATE_LIMIT_GUEST, userPerMin: config.RATE_LIMIT_USER }));
    },
  });
  return { app, relay, users, sessions, apiKeys, auditQueue };
}
