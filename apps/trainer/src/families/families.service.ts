import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError, FamilyView, type FamilyList, type Identity, type TrainFamily } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import { auditRecorder } from '@inkwell/outbox';
import type { ModelFamily } from './family';
import type { FamiliesStore, FamilyRow } from './families.store';

const recordAudit = auditRecorder('trainer');

export interface ReconcileOutcome {
  readonly available: readonly string[];
  readonly unavailable: readonly string[];
  readonly unregistered: readonly string[];
}

const jsonSchemaOf = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
};

/**
 * The families in code (../families) against the `families` table. Policy for a family in code
 * without a row ("unregistered"): it is logged as a warning at every start and cannot be trained
 * until an admin registers it (`POST /api/families/{name}/register`), so shipping a new family's
 * code does not by itself open it to every engineer. The five first families are registered by the
 * migration that made the table.
 */
export class FamiliesService {
  constructor(
    private readonly db: Knex,
    private readonly store: FamiliesStore,
    private readonly families: Readonly<Record<TrainFamily, ModelFamily>>,
    private readonly logger: Logger,
    /** Wakes the outbox relay after a commit (the audit event). */
    private readonly kick: () => void,
  ) {}

  private get inCode(): TrainFamily[] {
    return Object.values(this.families).map((f) => f.name);
  }

  /** At start: see FamiliesStore.reconcile; logs each unregistered family as a warning. */
  async reconcile(): Promise<ReconcileOutcome> {
    const rows = await this.store.reconcile(this.inCode);
    const inTable = new Set(rows.map((r) => r.name));
    const outcome: ReconcileOutcome = {
      available: rows.filter((r) => r.status === 'available').map((r) => r.name),
      unavailable: rows.filter((r) => r.status === 'unavailable').map((r) => r.name),
      unregistered: this.inCode.filter((f) => !inTable.has(f)),
    };
    for (const family of outcome.unregistered) {
      this.logger.warn({ family }, `model family ${family} is unregistered: in code but not in the families table; an admin registers it with POST /api/families/${family}/register`);
    }
    if (outcome.unavailable.length > 0) this.logger.info({ families: outcome.unavailable }, 'model families in the table but not in this trainer\'s code are unavailable');
    this.logger.info(outcome, 'model families reconciled');
    return outcome;
  }

  async list(): Promise<FamilyList> {
    const rows = new Map((await this.store.list()).map((r) => [r.name, r]));
    const coded = Object.values(this.families).map((f) => this.view(f.name, rows.get(f.name) ?? null));
    const tableOnly = [...rows.values()].filter((r) => !(r.name in this.families)).map((r) => this.view(r.name, r));
    return { items: [...coded, ...tableOnly] };
  }

  /** 409 unless the family is in this trainer's code and registered as available. */
  async requireAvailable(name: TrainFamily): Promise<void> {
    const status = this.statusOf(name, await this.store.get(name));
    if (status !== 'available') throw new AppError('conflict', `Model family ${name} is ${status}: it cannot be trained now`, { family: name, status });
  }

  /** Admin: registers a family this trainer's code has (again available if it was not). */
  async register(who: Identity, name: TrainFamily): Promise<FamilyView> {
    const row = await this.db.transaction(async (trx) => {
      const r = await this.store.register(trx, name, who.sub);
      await recordAudit(trx, { action: 'family.register', actor: who, target: { type: 'model_family', id: name } });
      return r;
    });
    this.kick();
    return this.view(name, row);
  }

  private statusOf(name: string, row: FamilyRow | null): FamilyView['status'] {
    if (!(name in this.families)) return 'unavailable';
    return row === null ? 'unregistered' : row.status;
  }

  private view(name: string, row: FamilyRow | null): FamilyView {
    const family = Object.values(this.families).find((f) => f.name === name);
    return FamilyView.parse({
      name,
      status: this.statusOf(name, row),
      description: family?.description ?? null,
      defaults: family?.defaults ?? null,
      parameters: family ? jsonSchemaOf(family.hyperparameters) : null,
      registered_at: row?.registered_at.toISOString() ?? null,
    });
  }
}
