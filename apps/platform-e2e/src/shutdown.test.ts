import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '@inkwell/testing';

let env: TestEnv;
let slow: Server;
let slowUrl = '';
let arrived: () => void = () => undefined;
beforeAll(async () => {
  env = await createTestEnv();
  // Stands in for auth: answers every request after 1.5 s, so a request is in flight at SIGTERM.
  slow = createServer((req, res) => {
    req.resume();
    arrived();
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"slow":true}'), 1500);
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
});
afterAll(async () => {
  slow.closeAllConnections();
  await new Promise((r) => slow.close(r));
  await env.cleanup();
});

describe('SIGTERM', () => {
  it('lets in-flight requests finish, then exits 0 well within 30 s', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/gateway/src/main.ts'], {
      env: { ...env.env, GATEWAY_PORT: String(port), AUTH_URL: slowUrl, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '25000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const listening = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('"listening"')) resolve();
      });
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('exit', (code) => reject(new Error(`gateway exited early (${code}): ${output}`)));
    });
    await listening;
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));

    const reachedUpstream = new Promise<void>((resolve) => (arrived = resolve));
    const inflight = fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await reachedUpstream;
    const signalled = Date.now();
    child.kill('SIGTERM');

    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slow: true });
    const { code, at } = await exited;
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(30_000);
    expect(output).toMatch(/shutting down/);
  }, 90_000);
});
