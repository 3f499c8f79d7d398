import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALL_ENV_SCHEMAS } from './all-schemas';
import { loadConfig, ConfigError } from './load-config';

const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
const documented = new Set(
  example
    .split('\n')
    .map((l) => /^#?\s?([A-Z][A-Z0-9_]+)=/.exec(l)?.[1])
    .filter((k): k is string => k !== undefined),
);
const read = new Set(Object.values(ALL_ENV_SCHEMAS).flatMap((s) => Object.keys(s.shape)));

describe('.env.example', () => {
  it('documents every variable a config schema reads', () => {
    expect([...read].filter((k) => !documented.has(k))).toEqual([]);
  });
  it('documents no variable that nothing reads', () => {
    expect([...documented].filter((k) => !read.has(k))).toEqual([]);
  });
  it('is a valid configuration for every service as it stands', () => {
    const env = parseEnv(example);
    for (const schema of Object.values(ALL_ENV_SCHEMAS)) expect(() => loadConfig(schema, env)).not.toThrow();
  });
});

describe('loadConfig', () => {
  it('stops start-up naming the bad variable', () => {
    const env = { ...parseEnv(example), GATEWAY_PORT: 'eighty', INTERNAL_TOKEN_SECRET: 'short' };
    const err = (() => {
      try {
        loadConfig(ALL_ENV_SCHEMAS.GatewayEnv, env);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/GATEWAY_PORT/);
    expect((err as ConfigError).message).toMatch(/INTERNAL_TOKEN_SECRET/);
  });

  it('refuses an active model list that names a folder twice', () => {
    const env = { ...parseEnv(example), INFERENCE_ACTIVE_MODELS: 'cnn-f-v1, cnn-g-v1,cnn-f-v1' };
    expect(() => loadConfig(ALL_ENV_SCHEMAS.InferenceEnv, env)).toThrow(/INFERENCE_ACTIVE_MODELS: names a folder twice/);
    expect(loadConfig(ALL_ENV_SCHEMAS.InferenceEnv, { ...env, INFERENCE_ACTIVE_MODELS: 'cnn-f-v1,cnn-g-v1' }).INFERENCE_ACTIVE_MODELS).toEqual(['cnn-f-v1', 'cnn-g-v1']);
  });
});
