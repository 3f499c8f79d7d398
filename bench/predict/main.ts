/**
 * The read path under load, through the gateway:
 *   nice -n 10 npx tsx bench/predict/main.ts [--duration 10] [--repeat 3] [--reference] [--log-level info]
 * Starts auth, inference and the gateway as separate processes, signs in a user (the guest limit
 * is 100/min; the user limit is raised for the run), then drives POST /v1/read with autocannon at
 * 1 and 16 connections for a small JPEG and a ~200 KB PNG, printing requests/s and p50/p90/p99
 * and each process's CPU time per request; at 1 connection one more run is timed to the
 * microsecond, and its p50 is the one judged against the 2 ms goal (autocannon's are whole ms).
 * `--reference` then stops the stack, measures seed 004's design (one CNN, oneDNN, reference.ts)
 * the same way and prints Inkwell's ratios to it.
 * `--auth jwt|api-key|both` (default both): load the gateway with a bearer token, with an X-API-Key
 * (created through the admin API), or each in turn, then print the API-key path's req/s as a share
 * of the token path's (goal: >= 95 %).
 * `--direct` skips the gateway; `--profile DIR` writes V8 CPU profiles of the gateway and
 * inference; `--models a,b` serves only those model folders (say one, as seed 004's design did)
 * instead of the default ensemble.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { signIdentity } from '@inkwell/auth-guard';
import { CommonEnv, loadConfig } from '@inkwell/config';
import { type AuthMode, authHeaders, createBenchApiKey, medianRounds, parseAuthModes, printAuthComparison } from './auth-modes';
import { benchImages } from './fixtures';
import { formatExact } from './latency';
import { formatRepeated } from './load';
import { type MeasuredRow, measureReads } from './measure-reads';
import { REFERENCE_PACKAGES, startReference } from './reference-server';
import { cpuOf, startStack } from './stack';

/**
 * Seed 004's FastAPI + PyTorch design as the issue quotes it, without a gateway: req/s at 16
 * connections per image, and p50 ms at 1 connection for the JPEG. The goal is at least twice its
 * throughput, through the gateway, and p50 <= 2 ms. `--reference` measures that design here.
 */
const QUOTED: Record<string, { rps16: number; p50at1?: number }> = { 'small JPEG': { rps16: 554, p50at1: 1.6 }, '~200 KB PNG': { rps16: 266 } };
const P50_GOAL_MS = 2;
const HEADER = 'image         conns   req/s (range)       p50 ms  p90 ms  p99 ms  non-2xx  errors';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    'log-level': { type: 'string', default: 'info' },
    connections: { type: 'string', default: '1,16' },
    repeat: { type: 'string', default: '3' },
    reference: { type: 'boolean', default: false },
    direct: { type: 'boolean', default: false },
    profile: { type: 'string' },
    only: { type: 'string' },
    models: { type: 'string' },
    auth: { type: 'string', default: 'both' },
  },
});
// --direct bypasses the gateway, where API keys are resolved: there is only the signed identity.
const authModes: AuthMode[] = values.direct ? ['jwt'] : parseAuthModes(values.auth);
const duration = Number(values.duration);
const connections = (values.connections ?? '1,16').split(',').map(Number);
const repeats = Math.max(1, Number(values.repeat));
const measure = { connections, duration, repeats };
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

const images = (await benchImages()).filter((i) => !values.only || i.name.includes(values.only ?? ''));
const email = 'bench@inkwell.local';
const password = 'bench-password-0123456789';
const stack = await startStack(
  { LOG_LEVEL: values['log-level'] ?? 'info', RATE_LIMIT_USER: '100000000', ADMIN_EMAIL: email, ADMIN_PASSWORD: password, ...(values.models ? { INFERENCE_ACTIVE_MODELS: values.models } : {}) },
  values.profile,
);
let inkwell: MeasuredRow[] = [];
const byAuth = new Map<AuthMode, MeasuredRow[]>();
try {
  const login = await fetch(`${stack.gatewayUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const token = z.object({ access_token: z.string() }).parse(await login.json()).access_token;
  // --direct: straight to inference with a gateway-signed identity, to separate the gateway's share.
  const target = values.direct ? stack.inferenceUrl : stack.gatewayUrl;
  const apiKey = authModes.includes('api-key') ? await createBenchApiKey(stack.gatewayUrl, token) : undefined;
  const direct = values.direct
    ? { 'x-inkwell-identity': signIdentity({ kind: 'user', sub: 'bench', role: 'viewer', email, session_id: null, ip: '127.0.0.1', user_agent: null }, loadConfig(CommonEnv).INTERNAL_TOKEN_SECRET, 3600) }
    : undefined;
  console.log(`target: ${values.direct ? 'inference directly (no gateway)' : 'the gateway'}`);
  console.log(`models: ${stack.models}`);
  console.log(`images: ${images.map((i) => `${i.name} ${Math.round(i.bytes.length / 1024)} KB`).join(', ')}`);
  console.log(`LOG_LEVEL=${values['log-level']}, load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${repeats} runs of ${duration} s each; req/s and percentiles of the median run, its range in brackets`);
  // With both modes, the rounds alternate (jwt, key, key, jwt, ...) so a VM that speeds up or slows
  // down during the run weighs on both alike; each mode's row is then its median round.
  const rounds = authModes.length > 1 ? repeats : 1;
  const perRound = authModes.length > 1 ? 1 : repeats;
  const roundsByAuth = new Map<AuthMode, MeasuredRow[][]>();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? authModes : [...authModes].reverse();
    for (const mode of order) {
      const headers: Record<string, string> = direct ?? authHeaders(mode, token, apiKey);
      if (!values.direct) console.log(`\nauth: ${mode === 'jwt' ? 'bearer access token' : 'X-API-Key'}${rounds > 1 ? ` (round ${round + 1} of ${rounds})` : ''}`);
      console.log(`${HEADER}   vs seed 004   CPU ms per request by process`);
      const rows = await measureReads({ url: target, headers }, images, {
        ...measure,
        repeats: perRound,
        cpuSeconds: () => stack.cpuSeconds(),
        onRow: ({ image, connections: c, result: r, exact }) => {
          const quoted = QUOTED[image];
          const m = r.median;
          // Throughput as a multiple of the issue's quoted reference (goal >= 2.0x) at 16 connections; p50 against 2 ms at 1.
          const versus = c === 16 && quoted ? `${(m.requests.average / quoted.rps16).toFixed(2)}x req/s` : c === 1 && quoted?.p50at1 ? `p50 ${((exact?.p50 ?? m.latency.p50) / P50_GOAL_MS).toFixed(2)}x goal` : '-';
          const cpu = Object.entries(r.cpuMsPerRequest).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
          console.log(`${formatRepeated(image, c, r)}   ${versus.padEnd(12)}  ${cpu}`);
          if (exact) console.log(formatExact(exact));
        },
      });
      roundsByAuth.set(mode, [...(roundsByAuth.get(mode) ?? []), rows]);
    }
  }
  for (const mode of authModes) byAuth.set(mode, medianRounds(roundsByAuth.get(mode) ?? []));
  inkwell = byAuth.get(authModes[0] ?? 'jwt') ?? [];
  const jwtRows = byAuth.get('jwt');
  const apiKeyRows = byAuth.get('api-key');
  if (jwtRows && apiKeyRows) printAuthComparison(jwtRows, apiKeyRows);
} finally {
  await stack.stop();
}

if (values.reference) {
  const server = await startReference({ ensemble: 1, arch: 'cnn', mkldnn: true });
  if (!server) {
    console.log(`\n--reference: skipped, the seed 004 design needs PyTorch and FastAPI (${REFERENCE_PACKAGES})`);
  } else {
    try {
      console.log(`\nreference: ${server.label}, no gateway`);
      console.log(`${HEADER}   CPU ms per request`);
      const reference = await measureReads({ url: server.url, headers: {} }, images, {
        ...measure,
        cpuSeconds: () => ({ server: cpuOf(server.pid) }),
        onRow: ({ image, connections: c, result: r, exact }) => {
          console.log(`${formatRepeated(image, c, r)}   server ${(r.cpuMsPerRequest.server ?? NaN).toFixed(2)}`);
          if (exact) console.log(formatExact(exact));
        },
      });
      printRatios(inkwell, reference);
    } finally {
      server.stop();
    }
  }
}

/** The issue's goal, against the reference measured here: >= 2x its req/s at <= its p99; p50 <= 2 ms at 1 connection. */
function printRatios(ours: readonly MeasuredRow[], theirs: readonly MeasuredRow[]): void {
  console.log('\nInkwell vs the reference measured above (goal: >= 2.00x req/s at <= its p99; p50 <= 2 ms at 1 connection)');
  console.log('image         conns   req/s ratio   p99 ms Inkwell / ref   p50 ms Inkwell / ref   goal');
  for (const o of ours) {
    const t = theirs.find((r) => r.image === o.image && r.connections === o.connections);
    if (!t) continue;
    const a = o.result.median;
    const b = t.result.median;
    const ratio = a.requests.average / b.requests.average;
    // p50 from the microsecond-timed run where there is one (1 connection), else autocannon's.
    const p50a = o.exact?.p50 ?? a.latency.p50;
    const p50b = t.exact?.p50 ?? b.latency.p50;
    // The issue sets the 1-connection goal for the small JPEG only.
    const met = o.connections !== 1 ? ratio >= 2 && a.latency.p99 <= b.latency.p99 : QUOTED[o.image]?.p50at1 ? p50a <= P50_GOAL_MS : null;
    console.log(
      `${o.image.padEnd(13)} ${String(o.connections).padStart(5)}   ${`${ratio.toFixed(2)}x`.padStart(11)}   ${`${a.latency.p99} / ${b.latency.p99}`.padStart(20)}   ${`${p50a.toFixed(2)} / ${p50b.toFixed(2)}`.padStart(20)}   ${met === null ? '-' : met ? 'met' : 'NOT met'}`,
    );
  }
}
