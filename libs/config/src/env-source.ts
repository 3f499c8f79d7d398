import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * The environment a process starts with: `.env` if present, else `.env.example` (so a fresh
 * checkout runs with the documented dev defaults), overridden by the real process environment.
 * This is the only place in the repo that reads `process.env`.
 */
export function processEnv(cwd = process.cwd()): EnvSource {
  const file = ['.env', '.env.example'].map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  const fromFile = file ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}
