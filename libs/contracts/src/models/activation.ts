import { z } from 'zod';
import { ModelFolderList } from '../inference/models';
import { ActivationEngine } from './activation-engine';

/* Which model versions inference serves, and the history of every change to that (issue 21). */

/**
 * `initial`: the shipped default ensemble, activated by the system the first time a trainer starts.
 * `apply`: a benchmark's selected engine and variant (`POST /api/benchmarks/{id}/apply`), gated and
 * undone by a rollback like a promotion.
 */
export const ACTIVATION_KINDS = ['initial', 'promote', 'rollback', 'apply'] as const;
export const ActivationKind = z.enum(ACTIVATION_KINDS);
export type ActivationKind = z.infer<typeof ActivationKind>;

const Ratio = z.number().min(0).max(1);

/**
 * The pre-activation gate's numbers: the candidate's test accuracy must be at least `floor` and
 * not more than `max_drop` below the accuracy of the set serving now (`active_accuracy`; null when
 * nothing serves or its accuracy is unknown, and then only the floor applies).
 */
export const GateResult = z.object({
  floor: Ratio,
  max_drop: Ratio,
  candidate_accuracy: Ratio,
  active_accuracy: Ratio.nullable(),
  passed: z.boolean(),
  /** Why it failed, one line per failed check; empty when it passed. */
  failures: z.array(z.string()),
});
export type GateResult = z.infer<typeof GateResult>;

/** Who made the change; `system` for the initial activation. */
export const ActivationActor = z.object({
  kind: z.enum(['system', 'user', 'api_key']),
  id: z.string().nullable(),
  email: z.string().nullable(),
  role: z.string().nullable(),
});
export type ActivationActor = z.infer<typeof ActivationActor>;

/** One row of the activation history: every change of the active set, as it was decided. */
export const Activation = z.object({
  id: z.int().positive(),
  kind: ActivationKind,
  /** The versions that served before (empty for the first activation). */
  from_ids: z.array(z.uuid()),
  /** The versions that serve from now on: one, or an ensemble (probabilities averaged). */
  to_ids: z.array(z.uuid()).min(1),
  /** Test accuracy of the set now serving (an ensemble's: of its averaged probabilities); null when unknown. */
  to_accuracy: Ratio.nullable(),
  actor: ActivationActor,
  reason: z.string().nullable(),
  /** Promotions only. */
  gate: GateResult.nullable(),
  /** A promotion the gate refused, made anyway with a written reason. */
  forced: z.boolean(),
  /** A rollback: the activation it undid. */
  undoes: z.int().positive().nullable(),
  /** The engine settings the set runs with (an apply's, or restored by a rollback); null: inference's configured defaults, float32. */
  engine: ActivationEngine.nullable(),
  created_at: z.iso.datetime({ offset: true }),
});
export type Activation = z.infer<typeof Activation>;

const Reason = z.string().trim().min(1).max(2000);

/**
 * `POST /api/models/{id}/promote`. `ensemble_with` names the other versions served with it as one
 * ensemble (order kept: the promoted one first). `force` overrides a refusing gate and needs a reason.
 */
export const PromoteRequest = z
  .object({
    ensemble_with: z.array(z.uuid()).max(15).default([]),
    force: z.boolean().default(false),
    reason: Reason.optional(),
  })
  .strict()
  .refine((b) => !b.force || b.reason !== undefined, { message: 'force needs a written reason', path: ['reason'] });
export type PromoteRequest = z.infer<typeof PromoteRequest>;

/** `POST /api/models/rollback`: back to the set that served before the last promotion not yet undone. */
export const RollbackRequest = z.object({ reason: Reason.optional() }).strict();
export type RollbackRequest = z.infer<typeof RollbackRequest>;

export const ActivationListQuery = z.object({
  kind: ActivationKind.optional(),
  /** A user id or e-mail address. */
  actor: z.string().min(1).max(320).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});
export type ActivationListQuery = z.infer<typeof ActivationListQuery>;

export const ActivationList = z.object({
  items: z.array(Activation),
  total: z.int().nonnegative(),
  page: z.int().positive(),
  page_size: z.int().positive(),
});
export type ActivationList = z.infer<typeof ActivationList>;

/**
 * The trainer's internal `GET /internal/models/active-set`: what inference should serve. Each
 * folder lies under `<DATA_DIR>/models/` of the shared artifact volume; `activation_id` orders
 * answers and `model.promoted` events, so a replica never goes back to an older set.
 */
export const RegistryActiveSet = z.discriminatedUnion('active', [
  z.object({ active: z.literal(false) }),
  z.object({
    active: z.literal(true),
    activation_id: z.int().positive(),
    model_ids: ModelFolderList,
    versions: z.array(z.object({ id: z.uuid(), name: z.string() })),
    /** The activation's engine settings; null (or absent, from an older trainer): inference's configured defaults. */
    engine: ActivationEngine.nullable().default(null),
  }),
]);
export type RegistryActiveSet = z.infer<typeof RegistryActiveSet>;
