import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export type EnvSource = Readonly<Record<string, string | undefined>>;

function readEnvFile(path: string): Record<string, string> {
  return existsSync(path) ? (parseEnv(readFileSync(path, 'utf8')) as Record<string, string>) : {};
}

/**
 * The environment a process starts with: `.env` if present, else `.env.example` (so a fresh
 * checkout runs with the documented dev defaults), overridden by the real process environment.
 * In production `.env.example` is never read: its secrets are public, and a deployment that forgot
 * one must stop at start-up (naming it) rather than run with the repository's value.
 * This is the only place in the repo that reads `process.env`; `runtime` lets tests pass their own.
 */
export function processEnv(cwd = process.cwd(), runtime: EnvSource = process.env): EnvSource {
  const dotEnv = resolve(cwd, '.env');
  const fromDotEnv = readEnvFile(dotEnv);
  const nodeEnv = runtime.NODE_ENV ?? fromDotEnv.NODE_ENV;
  const fromFile = existsSync(dotEnv) || nodeEnv === 'production' ? fromDotEnv : readEnvFile(resolve(cwd, '.env.example'));
  return { ...fromFile, ...runtime };
}
