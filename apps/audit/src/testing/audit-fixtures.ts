import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '@inkwell/contracts';

/** A sign-in as auth records it (auditRecorder's shape), numbered so tests can tell events apart. */
export function signInEvent(n: number, at = new Date()): AuditEvent {
  return {
    id: randomUUID(),
    at: at.toISOString(),
    service: 'auth',
    action: 'auth.login',
    outcome: n % 10 === 0 ? 'failure' : 'success',
    actor: { kind: 'user', id: `user-${n % 97}`, email: `user${n % 97}@example.test`, role: 'viewer' },
    target: { type: 'user', id: `user-${n % 97}` },
    ip: `10.0.${(n >> 8) & 255}.${n & 255}`,
    user_agent: 'vitest',
    request_id: `req-${n}`,
    details: { n, reason: n % 10 === 0 ? 'bad_password' : null },
  };
}

/** Waits for `check` to hold, looking every `everyMs`; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
