import type { z } from 'zod';
import { processEnv, type EnvSource } from './env-source';
import { PRODUCTION_DEFAULTS, productionProblems } from './production-rules';

/** A bad or missing variable: start-up stops with a message naming each one. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at start-up, against one app's schema. Empty strings count as unset.
 * In production, unset variables take the production defaults and every secret must be the
 * operator's own (see production-rules.ts).
 */
export function loadConfig<S extends z.ZodType>(schema: S, source: EnvSource = processEnv()): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const production = cleaned.NODE_ENV === 'production';
  const parsed = schema.safeParse(production ? { ...PRODUCTION_DEFAULTS, ...cleaned } : cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const data: unknown = parsed.data;
  if (production && typeof data === 'object' && data !== null) {
    const problems = productionProblems(data as Record<string, unknown>);
    if (problems.length) throw new ConfigError(problems);
  }
  return parsed.data;
}
