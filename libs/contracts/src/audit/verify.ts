import { z } from 'zod';

/*
 * `GET /api/admin/audit-logs/verify`: recomputes the audit log's hash chain over a range and names
 * the first event that does not fit it.
 */

/** A chain position (digits) or an instant (ISO 8601, matched against when the event was stored). */
const Bound = z.union([z.string().regex(/^\d{1,15}$/).transform(Number), z.iso.datetime({ offset: true })]);

export const AuditVerifyQuery = z
  .object({
    /** First seq (digits) or first recorded_at (ISO); the oldest kept event when left out. */
    from: Bound.optional(),
    /** Last seq or last recorded_at; the newest event when left out. */
    to: Bound.optional(),
  })
  .strict();
export type AuditVerifyQuery = z.infer<typeof AuditVerifyQuery>;

/**
 * Why an event breaks the chain. `altered`: its content no longer gives its hash (or a later link
 * or a signed checkpoint disagrees with it); `deleted`: its seq is missing; `inserted`: a row the
 * writer never stored (an unknown event id, a duplicate seq, a seq past the head);
 * `checkpoint_invalid`: a checkpoint's signature is wrong (or the one the range starts from is
 * missing); `checkpoint_missing`: a signed checkpoint was deleted (the next one's signed link names
 * it, or more events than `AUDIT_CHECKPOINT_EVERY` follow the newest one left); `floor_invalid`: the
 * head's record of where retention cut the log is not vouched for by retention's signed checkpoint.
 */
export const AUDIT_CHAIN_FAULTS = ['altered', 'deleted', 'inserted', 'checkpoint_invalid', 'checkpoint_missing', 'floor_invalid'] as const;
export const AuditChainFault = z.enum(AUDIT_CHAIN_FAULTS);
export type AuditChainFault = z.infer<typeof AuditChainFault>;

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  /** The seq range checked (after clamping to what retention kept); null bounds when the log is empty. */
  from_seq: z.int().nullable(),
  to_seq: z.int().nullable(),
  /** Events whose hash was recomputed (from the anchoring checkpoint on). */
  checked: z.int().nonnegative(),
  /**
   * Set when the range was cut to `AUDIT_VERIFY_MAX_EVENTS` events: the seq to pass as `from` to
   * go on (null: the range was checked to its end).
   */
  next_from: z.int().nullable(),
  /** The checkpoint the recomputation started from (0: the start of the chain). */
  anchor_seq: z.int().nonnegative().nullable(),
  first_bad: z
    .object({
      seq: z.int(),
      /** The event at that seq, where one is known (a deleted event's id is looked up in the writer's own index). */
      event_id: z.uuid().nullable(),
      reason: AuditChainFault,
    })
    .nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;
