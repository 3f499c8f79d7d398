import { z } from 'zod';
import { CreateApiKeyResponse } from '@inkwell/contracts';
import type { MeasuredRow } from './measure-reads';

/** How the bench presents itself to the gateway: a bearer access token, an X-API-Key, or each in turn. */
export const AuthMode = z.enum(['jwt', 'api-key']);
export type AuthMode = z.infer<typeof AuthMode>;

/** `--auth jwt|api-key|both` (a comma list works too); both by default. */
export function parseAuthModes(flag: string | undefined): AuthMode[] {
  const names = !flag || flag === 'both' ? ['jwt', 'api-key'] : flag.split(',');
  return [...new Set(names.map((n) => AuthMode.parse(n.trim())))];
}

/** Creates an API key through the admin API (the bench user is the admin), as an integrator would get one. */
export async function createBenchApiKey(gatewayUrl: string, adminToken: string): Promise<string> {
  const res = await fetch(`${gatewayUrl}/api/admin/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ name: 'bench', role: 'viewer' }),
  });
  if (res.status !== 201) throw new Error(`creating the bench API key answered ${res.status}: ${await res.text()}`);
  return CreateApiKeyResponse.parse(await res.json()).secret;
}

export const authHeaders = (mode: AuthMode, token: string, apiKey: string | undefined): Record<string, string> => {
  if (mode === 'jwt') return { authorization: `Bearer ${token}` };
  if (!apiKey) throw new Error('no API key was created for the api-key run');
  return { 'x-api-key': apiKey };
};

/** The API-key path against the token path, row by row (goal: at least 95 % of the token path's req/s). */
export function printAuthComparison(jwt: readonly MeasuredRow[], apiKey: readonly MeasuredRow[]): void {
  console.log('\nAPI key vs bearer token through the gateway (goal: api-key req/s >= 95 % of jwt req/s)');
  console.log('image         conns   jwt req/s   api-key req/s   ratio   jwt p50/p99 ms   api-key p50/p99 ms   goal');
  for (const a of apiKey) {
    const j = jwt.find((r) => r.image === a.image && r.connections === a.connections);
    if (!j) continue;
    const jm = j.result.median;
    const am = a.result.median;
    const ratio = am.requests.average / jm.requests.average;
    console.log(
      `${a.image.padEnd(13)} ${String(a.connections).padStart(5)}   ${jm.requests.average.toFixed(0).padStart(9)}   ${am.requests.average.toFixed(0).padStart(13)}   ${`${(ratio * 100).toFixed(1)}%`.padStart(6)}   ${`${jm.latency.p50}/${jm.latency.p99}`.padStart(14)}   ${`${am.latency.p50}/${am.latency.p99}`.padStart(18)}   ${ratio >= 0.95 ? 'met' : 'NOT met'}`,
    );
  }
}

/**
 * Each (image, connections) row of the round with the median throughput, with the other rounds'
 * throughput as its range: rounds measured apart are combined as repeats measured together would be.
 */
export function medianRounds(rounds: readonly (readonly MeasuredRow[])[]): MeasuredRow[] {
  const first = rounds[0] ?? [];
  return first.map((row) => {
    const same = rounds.flatMap((rows) => rows.filter((r) => r.image === row.image && r.connections === row.connections));
    const byRps = [...same].sort((a, b) => a.result.median.requests.average - b.result.median.requests.average);
    const median = byRps[Math.floor((byRps.length - 1) / 2)] ?? row;
    return { ...median, result: { ...median.result, minRps: byRps[0]?.result.minRps ?? 0, maxRps: byRps[byRps.length - 1]?.result.maxRps ?? 0 } };
  });
}
