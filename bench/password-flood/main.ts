/**
 * Sign-in latency while one user floods POST /api/auth/password (issue 19, item 4): before the
 * argon2 bound, each of the flood's requests ran an argon2 check in libuv's threadpool and every
 * sign-in queued behind them. Starts auth, inference and the gateway as processes (bench/predict's
 * stack), then measures sequential sign-ins of a second user, first with no load, then while one
 * user fires waves of `--flood` concurrent password changes (a new wave once the last has been
 * answered and at least a second after it started), for two floods, each by a user of its own:
 *   wrong:  wrong current passwords (the throttle refuses them after LOGIN_MAX_FAILURES_PER_ACCOUNT);
 *   argon2: the right current password and the same new one, so every request that gets through
 *           runs argon2 and changes nothing (the worst case for the pool; the throttle never counts it).
 *
 *   nice -n 10 npx tsx bench/password-flood/main.ts [--flood 200] [--sign-ins 30]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startStack } from '../predict/stack';

const { values } = parseArgs({ options: { flood: { type: 'string', default: '200' }, 'sign-ins': { type: 'string', default: '30' } } });
const FLOOD = Number(values.flood);
const SIGN_INS = Number(values['sign-ins']);

const percentile = (xs: readonly number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

const adminEmail = 'flood-admin@inkwell.local';
const adminPassword = 'flood-admin-password-0123';
const stack = await startStack({ LOG_LEVEL: 'warn', RATE_LIMIT_USER: '100000000', RATE_LIMIT_GUEST: '100000000', ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword });
const url = (path: string) => `${stack.gatewayUrl}${path}`;
const post = (path: string, body: unknown, token?: string) =>
  fetch(url(path), { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

async function signIn(email: string, password: string): Promise<{ status: number; ms: number; token: string | null }> {
  const t0 = performance.now();
  const res = await post('/api/auth/login', { email, password });
  const body: unknown = await res.json();
  const ms = performance.now() - t0;
  const parsed = z.object({ access_token: z.string() }).safeParse(body);
  return { status: res.status, ms, token: parsed.success ? parsed.data.access_token : null };
}

/** Sequential sign-ins of the measured user: their latencies and any answer that was not 200. */
async function measure(email: string, password: string): Promise<{ ms: number[]; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  for (let i = 0; i < SIGN_INS; i++) {
    const r = await signIn(email, password);
    if (r.status === 200) ms.push(r.ms);
    else failed++;
  }
  return { ms, failed };
}

/** Fires waves of FLOOD concurrent password changes of one user until `stop` resolves; counts answers by status. */
async function flood(token: string, body: { current_password: string; new_password: string }, stop: Promise<void>): Promise<Record<string, number>> {
  let running = true;
  void stop.then(() => (running = false));
  const statuses: Record<string, number> = {};
  const one = async () => {
    const res = await post('/api/auth/password', body, token).catch(() => null);
    await res?.arrayBuffer();
    const k = String(res?.status ?? 'error');
    statuses[k] = (statuses[k] ?? 0) + 1;
  };
  while (running) {
    const wave = Promise.all(Array.from({ length: FLOOD }, one));
    await Promise.all([wave, new Promise((r) => setTimeout(r, 1000))]);
  }
  return statuses;
}

/** A user past the temporary-password step, signed in: its access token. */
async function ownUser(adminToken: string, email: string, password: string): Promise<string> {
  const mk = await post('/api/admin/users', { email, name: 'Flooder', role: 'viewer' }, adminToken);
  const temp = z.object({ temporary_password: z.string() }).parse(await mk.json()).temporary_password;
  const first = await signIn(email, temp);
  const changed = await post('/api/auth/password', { current_password: temp, new_password: password }, first.token ?? '');
  // Before issue 19 the change answered 204 and kept the session; now it answers the new session's tokens.
  if (changed.status === 204) return first.token ?? '';
  return z.object({ access_token: z.string() }).parse(await changed.json()).access_token;
}

const row = (name: string, r: { ms: number[]; failed: number }, extra = '') =>
  console.log(`${name.padEnd(34)} ${String(r.ms.length).padStart(4)}  ${percentile(r.ms, 50).toFixed(0).padStart(6)}  ${percentile(r.ms, 95).toFixed(0).padStart(6)}  ${Math.max(...r.ms).toFixed(0).padStart(6)}  ${String(r.failed).padStart(6)}  ${extra}`);

try {
  const admin = await signIn(adminEmail, adminPassword);
  if (!admin.token) throw new Error(`admin sign-in answered ${admin.status}`);
  // The measured user: created by the admin, signing in with the temporary password.
  const created = await post('/api/admin/users', { email: 'measured@inkwell.local', name: 'Measured', role: 'viewer' }, admin.token);
  const user = z.object({ temporary_password: z.string() }).parse(await created.json());
  const flooderPassword = 'flooder-own-password-0123';
  const flooders = [await ownUser(admin.token, 'flooder-1@inkwell.local', flooderPassword), await ownUser(admin.token, 'flooder-2@inkwell.local', flooderPassword)] as const;

  console.log(`waves of ${FLOOD} concurrent password changes by one user (at most one wave a second); ${SIGN_INS} sequential sign-ins of another user per row`);
  console.log('sign-in latency (ms)                  n     p50     p95     max  not200  flood answers');
  await measure('measured@inkwell.local', user.temporary_password); // warm-up
  row('no flood', await measure('measured@inkwell.local', user.temporary_password));
  for (const [name, token, body] of [
    ['flood: right password, argon2 runs', flooders[0], { current_password: flooderPassword, new_password: flooderPassword }],
    ['flood: wrong current password', flooders[1], { current_password: 'not-the-password-at-all', new_password: 'whatever-new-password-1' }],
  ] as const) {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    const answers = flood(token, body, stopped);
    const r = await measure('measured@inkwell.local', user.temporary_password);
    stop();
    row(name, r, JSON.stringify(await answers));
  }
  const cpu = stack.cpuSeconds();
  console.log(`CPU seconds: ${Object.entries(cpu).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
} finally {
  await stack.stop();
}
