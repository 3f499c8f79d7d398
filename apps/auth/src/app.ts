import cookieParser from 'cookie-parser';
import { Router, type Express } from 'express';
import type { AuthEnv } from '@inkwell/config';
import { auditToQueue, OutboxRelay, smtpEmail } from '@inkwell/outbox';
import { TypedQueue } from '@inkwell/queue';
import type { ServiceContext } from '@inkwell/runtime';
import { apiKeysRoutes } from './api-keys/api-keys.routes';
import { ApiKeyInvalidations } from './api-keys/api-key-invalidations';
import { ApiKeysService } from './api-keys/api-keys.service';
import type { SigningKey } from './keys/signing-key';
import { LoginThrottle } from './login-throttle/login-throttle';
import { Argon2Pool } from './passwords/argon2-pool';
import { Passwords } from './passwords/passwords';
import { Revocations } from './sessions/revocations';
import { sessionsRoutes } from './sessions/sessions.routes';
import { SessionsService } from './sessions/sessions.service';
import { usersRoutes } from './users/users.routes';
import { UsersService } from './users/users.service';

/**
 * The auth service's `build`: stores and services, then routes, with the admin seeding and the
 * outbox relay as its background work. `key` signs access tokens (tests pass an ephemeral one).
 */
export function buildAuth(ctx: ServiceContext<AuthEnv>, key: SigningKey) {
  const { config, logger, db, redis } = ctx;
  const auditQueue = new TypedQueue('audit', redis, config.REDIS_PREFIX);
  // Invitation e-mails go out by SMTP when it is configured; otherwise they stay in the outbox.
  const email = config.SMTP_URL ? smtpEmail({ url: config.SMTP_URL, from: config.SMTP_FROM }) : { off: 'SMTP_URL is not set' };
  const relay = new OutboxRelay({ db, logger, handlers: { audit: auditToQueue(auditQueue), email } });
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

  return {
    beforeBodyParser: publicKeys,
    routes: (a: Express) => {
      a.use(cookieParser());
      a.use(sessionsRoutes(sessions, config.COOKIE_SECURE));
      a.use(usersRoutes(users));
      a.use(apiKeysRoutes(apiKeys, { publicUrl: config.PUBLIC_URL, guestPerMin: config.RATE_LIMIT_GUEST, userPerMin: config.RATE_LIMIT_USER }));
    },
    start: async () => {
      if (config.ADMIN_PASSWORD && (await users.ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD))) {
        logger.info({ email: config.ADMIN_EMAIL }, 'created the first admin from ADMIN_EMAIL/ADMIN_PASSWORD');
      }
      relay.start();
    },
    stop: async () => {
      await relay.stop();
      await auditQueue.close();
    },
    queues: [auditQueue],
    exposes: { relay, users, sessions, apiKeys, auditQueue, key },
  };
}
