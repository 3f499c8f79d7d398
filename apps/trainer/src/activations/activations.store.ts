import type { Knex } from 'knex';
import { z } from 'zod';
import { Activation, ActivationEngine, type ActivationActor, type ActivationKind, type ActivationListQuery, GateResult } from '@inkwell/contracts';

const Int8 = z.union([z.string(), z.number()]).transform(Number);

const Row = z.object({
  id: Int8,
  kind: z.enum(['initial', 'promote', 'rollback', 'apply']),
  from_ids: z.array(z.string()),
  to_ids: z.array(z.string()),
  from_accuracy: z.number().nullable(),
  to_accuracy: z.number().nullable(),
  actor_kind: z.enum(['system', 'user', 'api_key']),
  actor_id: z.string().nullable(),
  actor_email: z.string().nullable(),
  actor_role: z.string().nullable(),
  reason: z.string().nullable(),
  gate: GateResult.nullable(),
  forced: z.boolean(),
  undoes: Int8.nullable(),
  engine: ActivationEngine.nullable(),
  from_engine: ActivationEngine.nullable(),
  created_at: z.date(),
});

/** An activation as stored: the public view plus the accuracy and engine settings of the set it replaced. */
export interface StoredActivation {
  readonly view: Activation;
  readonly fromAccuracy: number | null;
  readonly fromEngine: ActivationEngine | null;
}

const toStored = (raw: unknown): StoredActivation => {
  const r = Row.parse(raw);
  return {
    fromAccuracy: r.from_accuracy,
    fromEngine: r.from_engine,
    view: Activation.parse({
      id: r.id,
      kind: r.kind,
      from_ids: r.from_ids,
      to_ids: r.to_ids,
      to_accuracy: r.to_accuracy,
      actor: { kind: r.actor_kind, id: r.actor_id, email: r.actor_email, role: r.actor_role },
      reason: r.reason,
      gate: r.gate,
      forced: r.forced,
      undoes: r.undoes,
      engine: r.engine,
      created_at: r.created_at.toISOString(),
    }),
  };
};

export interface NewActivation {
  readonly kind: ActivationKind;
  readonly fromIds: readonly string[];
  readonly toIds: readonly string[];
  readonly fromAccuracy: number | null;
  readonly toAccuracy: number | null;
  readonly actor: ActivationActor;
  readonly reason: string | null;
  readonly gate: GateResult | null;
  readonly forced: boolean;
  readonly undoes: number | null;
  /** The engine settings from now on, and before (null: inference's configured defaults). */
  readonly engine?: ActivationEngine | null;
  readonly fromEngine?: ActivationEngine | null;
}

/** One transaction at a time changes the active set (whichever trainer replica): they queue on this lock. */
const ACTIVE_SET_LOCK = 0x6d6c6163; // "mlac"

/**
 * All SQL of `ml.activations`, plus the two `model_versions` columns an activation or a delete
 * changes (`active`, and the soft delete's status and stamps).
 */
export class ActivationsStore {
  constructor(private readonly db: Knex) {}

  /** Serialises changes of the active set until the transaction ends. */
  async lock(trx: Knex): Promise<void> {
    await trx.raw('select pg_advisory_xact_lock(?)', [ACTIVE_SET_LOCK]);
  }

  /** The newest activation: its `to_ids` serve now. */
  async latest(trx: Knex = this.db): Promise<StoredActivation | null> {
    const row: unknown = await trx('activations').orderBy('id', 'desc').first();
    return row ? toStored(row) : null;
  }

  /** The newest promotion (or benchmark apply) that no rollback has undone yet: what the next rollback undoes. */
  async lastUndoable(trx: Knex): Promise<StoredActivation | null> {
    const row: unknown = await trx('activations as a')
      .whereIn('a.kind', ['promote', 'apply'])
      .whereNotExists((q) => void q.select(trx.raw('1')).from('activations as r').whereRaw('r.undoes = a.id'))
      .orderBy('a.id', 'desc')
      .first('a.*');
    return row ? toStored(row) : null;
  }

  /** Inserts the row and marks exactly its `to_ids` as the active versions. */
  async insert(trx: Knex, a: NewActivation): Promise<Activation> {
    const [row]: unknown[] = await trx('activations')
      .insert({
        kind: a.kind,
        from_ids: [...a.fromIds],
        to_ids: [...a.toIds],
        from_accuracy: a.fromAccuracy,
        to_accuracy: a.toAccuracy,
        actor_kind: a.actor.kind,
        actor_id: a.actor.id,
        actor_email: a.actor.email,
        actor_role: a.actor.role,
        reason: a.reason,
        gate: a.gate ? JSON.stringify(a.gate) : null,
        forced: a.forced,
        undoes: a.undoes,
        engine: a.engine ? JSON.stringify(a.engine) : null,
        from_engine: a.fromEngine ? JSON.stringify(a.fromEngine) : null,
      })
      .returning('*');
    await trx('model_versions').where('active', true).update({ active: false });
    await trx('model_versions').whereIn('id', [...a.toIds]).update({ active: true });
    return toStored(row).view;
  }

  async list(q: ActivationListQuery): Promise<{ items: Activation[]; total: number }> {
    const filtered = this.db('activations').where((b) => {
      if (q.kind) void b.where('kind', q.kind);
      const actor = q.actor;
      if (actor) void b.where((w) => void w.where('actor_id', actor).orWhereRaw('lower(actor_email) = lower(?)', [actor]));
      if (q.since) void b.where('created_at', '>=', q.since);
      if (q.until) void b.where('created_at', '<', q.until);
    });
    const count: unknown = await filtered.clone().count({ n: '*' }).first();
    const total = Number(z.object({ n: Int8 }).parse(count).n);
    const rows: unknown[] = await filtered.clone().select('*').orderBy('id', 'desc').limit(q.page_size).offset((q.page - 1) * q.page_size);
    return { items: rows.map((r) => toStored(r).view), total };
  }

  /** Stores the serving set's accuracy measured after its activation (only once: a value already there stays). */
  async recordAccuracy(id: number, accuracy: number): Promise<void> {
    await this.db('activations').where({ id }).whereNull('to_accuracy').update({ to_accuracy: accuracy });
  }

  /** Soft delete: the row stays (history names it), hidden from the default listing. */
  async softDelete(trx: Knex, id: string, by: string | null): Promise<void> {
    await trx('model_versions').where({ id }).whereNot('status', 'deleted').update({ status: 'deleted', deleted_at: trx.fn.now(), deleted_by: by });
  }
}
