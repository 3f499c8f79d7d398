import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditEvent, Identity } from '@inkwell/contracts';
import { currentRequestId } from '@inkwell/logger';
import { enqueue } from './outbox.store';

export type AuditActor =
  | Identity
  | { kind: 'system' }
  | { kind: 'user'; id: string | null; email: string | null; role: string | null; ip: string | null; user_agent: string | null };

export interface AuditInput {
  readonly action: string;
  readonly outcome?: AuditEvent['outcome'];
  readonly actor: AuditActor;
  readonly target?: AuditEvent['target'];
  readonly details?: Record<string, unknown>;
}

export type RecordAudit = (trx: Knex, input: AuditInput, now?: Date) => Promise<AuditEvent>;

/**
 * The audit recorder of one service: each event names the service that wrote it. The returned
 * function builds the full event (who, what, target, where from, which request) and stores it in
 * the outbox within the caller's transaction; the outbox row id is the event id, which the relay
 * uses as the audit job's id.
 */
export function auditRecorder(service: string): RecordAudit {
  return async (trx, input, now = new Date()) => {
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
      service,
      action: input.action,
      outcome: input.outcome ?? 'success',
      actor,
      target: input.target ?? null,
      ip: a.kind === 'system' ? null : a.ip,
      user_agent: a.kind === 'system' ? null : a.user_agent,
      request_id: currentRequestId() ?? null,
      details: input.details ?? {},
    };
    await enqueue(trx, 'audit', event, event.id);
    return event;
  };
}
