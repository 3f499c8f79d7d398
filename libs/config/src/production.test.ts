import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { processEnv } from './env-source';
import { ConfigError, loadConfig } from './load-config';
import { PUBLIC_SECRET_VALUES, SECRET_VARIABLES } from './production-rules';
import { ALL_ENV_SCHEMAS } from './all-schemas';
import { AuthEnv } from './auth';
import { GatewayEnv } from './gateway';
import { TrainerEnv } from './trainer';

const example = parseEnv(readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8'));
const secret = () => randomBytes(32).toString('base64url');

/** What an operator would deploy: the documented settings, every secret their own. */
const production = (): Record<string, string | undefined> => ({
  ...example,
  NODE_ENV: 'production',
  INTERNAL_TOKEN_SECRET: secret(),
  ADMIN_PASSWORD: secret(),
  METRICS_TOKEN: secret(),
  API_KEY: secret(),
  AUDIT_CHECKPOINT_SECRET: secret(),
});

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('the configuration was accepted');
}

describe('production configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inkwell-config-'));
  writeFileSync(join(dir, '.env.example'), readFileSync(new URL('../../../.env.example', import.meta.url)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never reads .env.example in production (a fresh checkout would run with public secrets)', () => {
    expect(processEnv(dir, { NODE_ENV: 'development' }).INTERNAL_TOKEN_SECRET).toBe(example.INTERNAL_TOKEN_SECRET);
    const env = processEnv(dir, { NODE_ENV: 'production' });
    expect(env.INTERNAL_TOKEN_SECRET).toBeUndefined();
    expect(problemsOf(() => loadConfig(TrainerEnv, env))).toMatch(/INTERNAL_TOKEN_SECRET/);
  });

  it('accepts a configuration whose secrets are the operator\'s own', () => {
    for (const schema of Object.values(ALL_ENV_SCHEMAS)) expect(() => loadConfig(schema, production())).not.toThrow();
  });

  it('refuses the .env.example secret in every service, naming the variable', () => {
    for (const [name, schema] of Object.entries(ALL_ENV_SCHEMAS)) {
      const env = { ...production(), INTERNAL_TOKEN_SECRET: example.INTERNAL_TOKEN_SECRET };
      expect(problemsOf(() => loadConfig(schema, env)), name).toMatch(/INTERNAL_TOKEN_SECRET: .*\.env\.example/);
    }
  });

  it('refuses the secrets once committed to infra/compose.env', () => {
    const env = { ...production(), INTERNAL_TOKEN_SECRET: 'compose-dev-only-internal-token-secret-not-for-production', METRICS_TOKEN: 'dev-only-prometheus-scrape-token-change-me' };
    const message = problemsOf(() => loadConfig(GatewayEnv, env));
    expect(message).toMatch(/INTERNAL_TOKEN_SECRET/);
    expect(message).toMatch(/METRICS_TOKEN/);
  });

  it.each(['INTERNAL_TOKEN_SECRET', 'METRICS_TOKEN'])('refuses a %s shorter than 32 bytes at the gateway', (key) => {
    expect(problemsOf(() => loadConfig(GatewayEnv, { ...production(), [key]: 'x'.repeat(31) }))).toMatch(new RegExp(`${key}: .*32`));
    expect(() => loadConfig(GatewayEnv, { ...production(), [key]: 'x'.repeat(32) })).not.toThrow();
  });

  it.each(['INTERNAL_TOKEN_SECRET', 'ADMIN_PASSWORD', 'API_KEY'])('refuses a %s shorter than 32 bytes at auth', (key) => {
    expect(problemsOf(() => loadConfig(AuthEnv, { ...production(), [key]: 'y'.repeat(31) }))).toMatch(new RegExp(`${key}: .*32`));
  });

  it('refuses the dev admin password', () => {
    expect(problemsOf(() => loadConfig(AuthEnv, { ...production(), ADMIN_PASSWORD: 'inkwell-admin-dev-password' }))).toMatch(/ADMIN_PASSWORD/);
  });

  it('treats every secret-looking variable of every schema as a secret (so a new one cannot slip through)', () => {
    const names = new Set(Object.values(ALL_ENV_SCHEMAS).flatMap((schema) => Object.keys(schema.shape)));
    const secretLooking = [...names].filter((k) => /SECRET|TOKEN|PASSWORD|^API_KEY$/.test(k) && !/_(TTL_S|TTL_H|PATH)$/.test(k));
    expect(secretLooking.filter((k) => !(SECRET_VARIABLES as readonly string[]).includes(k))).toEqual([]);
    for (const [key, value] of Object.entries(example)) {
      if ((SECRET_VARIABLES as readonly string[]).includes(key) && value) expect(PUBLIC_SECRET_VALUES.has(value), key).toBe(true);
    }
  });

  it('leaves development alone: .env.example as it stands is a valid dev configuration', () => {
    for (const schema of Object.values(ALL_ENV_SCHEMAS)) expect(() => loadConfig(schema, example)).not.toThrow();
  });
});

describe('production defaults', () => {
  const withoutKeys = (env: Record<string, string | undefined>, ...keys: string[]) => Object.fromEntries(Object.entries(env).filter(([k]) => !keys.includes(k)));

  it('COOKIE_SECURE defaults to true in production, false in development, and an explicit value wins', () => {
    expect(loadConfig(AuthEnv, withoutKeys(production(), 'COOKIE_SECURE')).COOKIE_SECURE).toBe(true);
    expect(loadConfig(AuthEnv, withoutKeys(example, 'COOKIE_SECURE')).COOKIE_SECURE).toBe(false);
    expect(loadConfig(AuthEnv, { ...production(), COOKIE_SECURE: 'false' }).COOKIE_SECURE).toBe(false);
  });

  it('CORS_ORIGINS has no localhost origin in production unless configured', () => {
    for (const schema of [GatewayEnv, AuthEnv, TrainerEnv]) {
      expect(loadConfig(schema, withoutKeys(production(), 'CORS_ORIGINS')).CORS_ORIGINS).toEqual([]);
      expect(loadConfig(schema, withoutKeys(example, 'CORS_ORIGINS')).CORS_ORIGINS).toEqual(['http://localhost:8080', 'http://localhost:5173']);
      expect(loadConfig(schema, { ...production(), CORS_ORIGINS: 'https://inkwell.example.com' }).CORS_ORIGINS).toEqual(['https://inkwell.example.com']);
    }
  });
});

describe('bind addresses', () => {
  it('each service binds its own address, loopback unless told otherwise', () => {
    const gw = loadConfig(GatewayEnv, { ...example, GATEWAY_HOST: '0.0.0.0' });
    expect(gw.GATEWAY_HOST).toBe('0.0.0.0');
    expect(loadConfig(AuthEnv, { ...example, GATEWAY_HOST: '0.0.0.0' }).AUTH_HOST).toBe('127.0.0.1');
    expect(loadConfig(TrainerEnv, { ...example, GATEWAY_HOST: '0.0.0.0' }).TRAINER_HOST).toBe('127.0.0.1');
  });
});

describe('TRUST_PROXY', () => {
  const trust = (v: string) => loadConfig(GatewayEnv, { ...example, TRUST_PROXY: v }).TRUST_PROXY;

  it('takes false, a hop count, or a list of proxy addresses and CIDRs', () => {
    expect(trust('false')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, 192.168.1.7,fd00::/8')).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
    expect(trust('loopback,uniquelocal')).toEqual(['loopback', 'uniquelocal']);
  });

  it('refuses `true` (it trusts whatever a client writes in X-Forwarded-For), saying why', () => {
    expect(problemsOf(() => trust('true'))).toMatch(/TRUST_PROXY: .*every hop/);
  });

  it('refuses something that is neither a count nor an address', () => {
    expect(problemsOf(() => trust('proxy.internal'))).toMatch(/TRUST_PROXY/);
    expect(problemsOf(() => trust('10.0.0.0/33'))).toMatch(/TRUST_PROXY/);
  });
});
