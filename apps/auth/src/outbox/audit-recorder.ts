import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditEvent, Identity } from '@inkwell/contracts';
import { currentRequestId } from '@inkwell/logger';
import { enqueueOutbox } from './outbox.store';

export interface AuditInput {
  readonly action: string;
  readonly outcome?: AuditEvent['outcome'];
  readonly actor: Identity | { kind: 'system' } | { kind: 'user'; id: string | null; email: string | null; role: string | null; ip: string | null; user_agent: string | null };
  readonly target?: AuditEvent['target'];
  readonly details?: Record<string, unknown>;
}

/** Builds the full event (who, what, target, where from, which request) and stores it in the outbox. */
export async function recordAudit(trx: Knex, input: AuditInput, now: Date = new Date()): Promise<AuditEvent> {
  const a = input.actor;
  const actor: AuditEvent['actor'] =
    a.kind === 'system'
      ? { kind: 'system', id: null, email: null, role: null }
      : 'sub' in a
        ? { kind: a.kind, id: a.sub, email: a.email, role: a.role }
        : { kind: 'user', id: a.id, email: a.email, role: a.role };
  const event: AuditEvent = {
    id: randomUUID(),
    at: now.toISOString(),
    service: 'auth',
    action: input.action,
    outcome: input.outcome ?? 'success',
    actor,
    target: input.target ?? null,
    ip: a.kind === 'system' ? null : a.ip,
    user_agent: a.kind === 'system' ? null : a.user_agent,
    request_id: currentRequestId() ?? null,
    details: input.details ?? {},
  };
  await enqueueOutbox(trx, 'audit', event, event.id);
  return event;
}
