import { basename, dirname, join } from 'node:path';
import type { Knex } from 'knex';
import {
  type Activation,
  type ActivationActor,
  type ActivationEngine,
  type ActivationList,
  type ActivationListQuery,
  AppError,
  type GateResult,
  type Identity,
  ModelFolderName,
  ModelListQuery,
  type ModelVersion,
  type PromoteRequest,
  type RegistryActiveSet,
  type RollbackRequest,
} from '@inkwell/contracts';
import { currentRequestId, type Logger } from '@inkwell/logger';
import { readEnsemble } from '@inkwell/model-artifacts';
import { auditRecorder, enqueue } from '@inkwell/outbox';
import type { ModelVersionsStore, StoredVersion } from '../models/model-versions.store';
import { MNIST_TEST_SET, type TestSets } from '../models/test-sets';
import type { ActivationsStore, NewActivation, StoredActivation } from './activations.store';
import { ensembleAccuracy } from './ensemble-accuracy';
import { promotionGate } from './promotion-gate';

const recordAudit = auditRecorder('trainer');

export interface ActivationsConfig {
  /** TRAINER_PROMOTE_MIN_ACCURACY, TRAINER_PROMOTE_MAX_DROP */
  readonly floor: number;
  readonly maxDrop: number;
  /** Artifact paths are relative to it; served folders lie in `<dataDir>/models/`. */
  readonly dataDir: string;
}

const SYSTEM: ActivationActor = { kind: 'system', id: null, email: null, role: null };
const actorOf = (who: Identity): ActivationActor => ({ kind: who.kind === 'api_key' ? 'api_key' : 'user', id: who.sub, email: who.email, role: who.role });
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameEngine = (a: ActivationEngine | null, b: ActivationEngine | null) =>
  a === null || b === null ? a === b : a.engine === b.engine && a.variant === b.variant && a.threads === b.threads && a.files.every((f, i) => f.sha256 === b.files[i]?.sha256);

/** A benchmark's selection to serve: its versions on the engine it chose, judged on the accuracy it measured for that variant. */
export interface EngineApply {
  readonly versionIds: readonly string[];
  /** The engine settings, with the int8 copies' hashes (the files are written by `onActivated`). */
  readonly engine: ActivationEngine;
  /** The selected variant's test accuracy as the benchmark measured it (the gate's candidate). */
  readonly accuracy: number;
  readonly force: boolean;
  readonly reason: string | null;
  /**
   * Runs inside the activation's transaction once every check has passed (writes the files it
   * names, records the apply on the benchmark): a refusal runs nothing, a failure here undoes the
   * activation, and nothing is reported failed after the activation committed.
   */
  readonly onActivated?: (trx: Knex.Transaction, activation: Activation) => Promise<void>;
}

/** What `/v1/read` serves: MNIST-style digits, so only versions scored on the MNIST test split are judged for it. */
const MNIST_TEST = MNIST_TEST_SET;

/**
 * The candidate's one test set, which must be the MNIST test split: an accuracy measured on an
 * uploaded dataset's split says nothing about `/v1/read`'s digits, so force does not override it.
 */
function servingTestSet(members: readonly ModelVersion[]): string {
  const testSets = new Set(members.map((m) => m.test_set));
  if (testSets.size > 1) throw new AppError('conflict', `The ensemble's versions were tested on different test sets (${[...testSets].join(', ')}): its accuracy cannot be measured`);
  const [testSet = MNIST_TEST] = testSets;
  if (testSet !== MNIST_TEST) {
    throw new AppError('conflict', `Only versions tested on ${MNIST_TEST} can serve /v1/read; this one was tested on ${testSet}, so its accuracy says nothing about the digits served (force does not override this)`, { test_set: testSet, required_test_set: MNIST_TEST });
  }
  return testSet;
}

/**
 * The folder inference loads a version from: every registered artifact lies at `models/<folder>`
 * under the data directory that trainer and inference share (trained, builtin and imported alike).
 */
export function servedFolder(v: ModelVersion): string {
  const folder = basename(v.artifact_path);
  if (dirname(v.artifact_path) !== 'models' || !ModelFolderName.safeParse(folder).success) {
    throw new AppError('conflict', `Model version ${v.id} has its artifact at ${v.artifact_path}, outside models/: inference cannot load it`);
  }
  return folder;
}

/**
 * Which versions inference serves. Every change (promote, rollback, the first activation of the
 * shipped defaults) is one transaction: the activation row, the `active` flags, an audit event and
 * a `model.promoted` outbox row that the relay publishes to every inference replica. Changes queue
 * on one advisory lock, so two admins promoting at once are applied one after the other.
 */
export class ActivationsService {
  constructor(
    private readonly db: Knex,
    private readonly store: ActivationsStore,
    private readonly versions: ModelVersionsStore,
    private readonly config: ActivationsConfig,
    private readonly kick: () => void,
    private readonly logger: Logger,
    private readonly testSets: TestSets,
  ) {}

  async promote(who: Identity, id: string, body: PromoteRequest): Promise<Activation> {
    const ids = [id, ...body.ensemble_with];
    if (new Set(ids).size !== ids.length) throw new AppError('validation_failed', 'A version is named twice in the ensemble');
    const members = await this.servable(ids);
    const testSet = servingTestSet(members);
    // Outside the transaction: an ensemble's accuracy, the candidate's or the serving set's, takes seconds to compute.
    const candidate = members.length === 1 ? (members[0]?.accuracy ?? null) : await this.accuracyOfSet(members);
    if (candidate === null) throw new AppError('conflict', `Model version ${id} has no test accuracy yet`);
    const measured = await this.measureServing();
    const outcome = await this.db.transaction(async (trx) => {
      await this.store.lock(trx);
      // A delete (or a failed re-evaluation) may have committed since servable() read the versions.
      await this.recheckReady(trx, ids);
      const current = await this.store.latest(trx);
      // The same set on an applied engine may be promoted: that brings it back to the configured defaults.
      if (current && sameSet(current.view.to_ids, ids) && current.view.engine === null) throw new AppError('conflict', 'This set already serves', { activation_id: current.view.id });
      if (current) await this.sameTestSet(trx, current, testSet);
      const active = current ? await this.accuracyServing(trx, current, measured) : null;
      const gate = promotionGate({ floor: this.config.floor, maxDrop: this.config.maxDrop, candidate, active });
      if (!gate.passed && !body.force) return { refused: gate, activation: null };
      const activation = await this.activate(trx, {
        kind: 'promote',
        fromIds: current?.view.to_ids ?? [],
        toIds: ids,
        fromAccuracy: active,
        toAccuracy: candidate,
        actor: actorOf(who),
        reason: body.reason ?? null,
        gate,
        forced: !gate.passed,
        undoes: null,
        engine: null,
        fromEngine: current?.view.engine ?? null,
      }, who);
      return { refused: null, activation };
    });
    if (!outcome.activation) return this.refuse(who, ids, outcome.refused);
    this.kick();
    return outcome.activation;
  }

  /**
   * A benchmark's apply: its versions serve from now on with its selected engine settings, through
   * the promotion's gate (judged on the selected variant's measured accuracy, overridable with
   * force and a reason) and recorded as an `apply` activation that a rollback undoes.
   */
  async applyEngine(who: Identity, a: EngineApply): Promise<Activation> {
    const ids = [...a.versionIds];
    const testSet = servingTestSet(await this.servable(ids));
    const measured = await this.measureServing();
    const outcome = await this.db.transaction(async (trx) => {
      await this.store.lock(trx);
      await this.recheckReady(trx, ids);
      const current = await this.store.latest(trx);
      if (current && sameSet(current.view.to_ids, ids) && sameEngine(current.view.engine, a.engine)) {
        throw new AppError('conflict', 'This set already serves on this engine', { reason: 'already_serving', activation_id: current.view.id });
      }
      if (current) await this.sameTestSet(trx, current, testSet);
      const active = current ? await this.accuracyServing(trx, current, measured) : null;
      const gate = promotionGate({ floor: this.config.floor, maxDrop: this.config.maxDrop, candidate: a.accuracy, active });
      if (!gate.passed && !a.force) return { refused: gate, activation: null };
      const activation = await this.activate(trx, {
        kind: 'apply',
        fromIds: current?.view.to_ids ?? [],
        toIds: ids,
        fromAccuracy: active,
        toAccuracy: a.accuracy,
        actor: actorOf(who),
        reason: a.reason,
        gate,
        forced: !gate.passed,
        undoes: null,
        engine: a.engine,
        fromEngine: current?.view.engine ?? null,
      }, who);
      await a.onActivated?.(trx, activation);
      return { refused: null, activation };
    });
    if (!outcome.activation) return this.refuse(who, ids, outcome.refused, 'model.apply');
    this.kick();
    return outcome.activation;
  }

  async rollback(who: Identity, body: RollbackRequest): Promise<Activation> {
    const activation = await this.db.transaction(async (trx) => {
      await this.store.lock(trx);
      const undo = await this.store.lastUndoable(trx);
      const current = await this.store.latest(trx);
      if (!undo || !current) throw new AppError('conflict', 'Nothing to roll back: no promotion that is not already undone');
      const target = undo.view.from_ids;
      if (target.length === 0) throw new AppError('conflict', `Nothing to roll back to: nothing served before activation ${undo.view.id}`);
      // Under the lock, so a delete that committed after the set stopped serving is seen here.
      for (const [i, v] of (await this.findEach(target, trx)).entries()) {
        if (!v || v.view.status === 'deleted') {
          throw new AppError('conflict', `Cannot roll back: the earlier set names version ${v?.view.id ?? target[i] ?? 'missing'}, which was deleted after it served; promote a set instead`, { deleted_id: target[i] ?? null });
        }
      }
      return this.activate(trx, {
        kind: 'rollback',
        fromIds: current.view.to_ids,
        toIds: target,
        fromAccuracy: current.view.to_accuracy,
        toAccuracy: undo.fromAccuracy,
        actor: actorOf(who),
        reason: body.reason ?? null,
        gate: null,
        forced: false,
        undoes: undo.view.id,
        // Back to the files and threads that served then, not only the versions.
        engine: undo.fromEngine,
        fromEngine: current.view.engine,
      }, who);
    });
    this.kick();
    return activation;
  }

  /**
   * The first activation, by the system: the shipped default ensemble (`ensemble.json` in the
   * default models folder; without it, every builtin version). Once: a registry that has an
   * activation already is left alone, and the lock orders trainers starting together.
   */
  async activateDefaults(defaultModelDir: string): Promise<Activation | null> {
    const builtins = (await this.versions.list(ModelListQuery.parse({ source: 'builtin', order: 'asc', page_size: 100 }))).items;
    if (builtins.length === 0) return null;
    let ensemble = null;
    try {
      ensemble = readEnsemble(defaultModelDir);
    } catch (err) {
      this.logger.warn({ err, dir: defaultModelDir }, 'ensemble.json is not valid; activating every default model');
    }
    const byName = new Map(builtins.map((v) => [v.name, v]));
    const named = ensemble?.members.map((m) => byName.get(m)) ?? [];
    const complete = ensemble !== null && named.every((v) => v !== undefined);
    const members = complete ? named.filter((v): v is ModelVersion => v !== undefined) : [...builtins].sort((a, b) => a.name.localeCompare(b.name));
    const activation = await this.db.transaction(async (trx) => {
      await this.store.lock(trx);
      if (await this.store.latest(trx)) return null;
      return this.activate(trx, {
        kind: 'initial',
        fromIds: [],
        toIds: members.map((v) => v.id),
        fromAccuracy: null,
        // The ensemble's accuracy as measured when it was built; one model's comes from its evaluation.
        toAccuracy: complete && members.length > 1 ? (ensemble?.test_acc ?? null) : null,
        actor: SYSTEM,
        reason: complete ? `the default ensemble ${ensemble?.ensemble_id ?? ''}` : 'every default model',
        gate: null,
        forced: false,
        undoes: null,
      }, null);
    });
    if (activation) this.kick();
    return activation;
  }

  async remove(who: Identity, id: string): Promise<ModelVersion> {
    await this.db.transaction(async (trx) => {
      await this.store.lock(trx);
      const v = await this.versions.find(id, trx);
      if (!v) throw new AppError('not_found', 'No such model version');
      const current = await this.store.latest(trx);
      if (current?.view.to_ids.includes(id)) {
        throw new AppError('conflict', current.view.to_ids.length > 1 ? 'The version serves now, in the active ensemble; promote another set first' : 'The version serves now; promote another first', { activation_id: current.view.id });
      }
      if (v.view.status === 'deleted') return;
      await this.store.softDelete(trx, id, who.sub);
      await recordAudit(trx, { action: 'model.delete', actor: who, target: { type: 'model_version', id }, details: { name: v.view.name, source: v.view.source } });
    });
    this.kick();
    const after = await this.versions.find(id);
    if (!after) throw new AppError('not_found', 'No such model version');
    return after.view;
  }

  async list(q: ActivationListQuery): Promise<ActivationList> {
    const { items, total } = await this.store.list(q);
    return { items, total, page: q.page, page_size: q.page_size };
  }

  /** What inference should serve: the newest activation's versions, as folders under `<DATA_DIR>/models/`. */
  async activeSet(): Promise<RegistryActiveSet> {
    const current = await this.store.latest();
    if (!current) return { active: false };
    const versions = await Promise.all(current.view.to_ids.map(async (id) => (await this.versions.find(id))?.view ?? null));
    const found = versions.filter((v): v is ModelVersion => v !== null);
    if (found.length !== versions.length) throw new AppError('internal_error', `Activation ${current.view.id} names a version that does not exist`);
    return { active: true, activation_id: current.view.id, model_ids: found.map(servedFolder), versions: found.map((v) => ({ id: v.id, name: v.name })), engine: current.view.engine };
  }

  /** The versions, each registered, `ready` and loadable; 404 or 409 naming the first that is not. */
  private async servable(ids: readonly string[]): Promise<ModelVersion[]> {
    const out: ModelVersion[] = [];
    for (const id of ids) {
      const v = (await this.versions.find(id))?.view;
      if (!v) throw new AppError('not_found', `No such model version: ${id}`);
      // Before any other check, and whatever `force` says: a preset's weights are an untrained initialisation.
      if (v.source === 'preset') throw new AppError('conflict', `Model version ${id} is the untrained preset ${v.name}: it cannot serve; train it first (POST /api/models/train with family ${v.family}) and promote the trained version (force does not override this)`, { reason: 'untrained_preset', preset: v.name, family: v.family });
      if (v.status !== 'ready') throw new AppError('conflict', `Model version ${id} is ${v.status}${v.status === 'evaluating' ? ' (its test-split evaluation is under way; try again shortly)' : ''}: only a ready version can serve`, { status: v.status });
      servedFolder(v);
      out.push(v);
    }
    return out;
  }

  private async accuracyOfSet(members: readonly ModelVersion[]): Promise<number> {
    const testSet = members[0]?.test_set ?? MNIST_TEST;
    const set = await this.testSets.digits(testSet);
    if (!set) throw new AppError('conflict', `The test set ${testSet} cannot be loaded: its dataset was deleted or re-split`, { test_set: testSet });
    return ensembleAccuracy(members.map((m) => join(this.config.dataDir, m.artifact_path)), set);
  }

  /** Re-reads each version in the locked transaction: only a `ready` one may start serving. */
  private async recheckReady(trx: Knex, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const v = (await this.versions.find(id, trx))?.view;
      if (!v) throw new AppError('not_found', `No such model version: ${id}`);
      if (v.status !== 'ready') throw new AppError('conflict', `Model version ${id} became ${v.status} while the promotion waited: only a ready version can serve`, { status: v.status });
    }
  }

  /** The gate compares two accuracies only when both were measured on the same digits. */
  private async sameTestSet(trx: Knex, current: StoredActivation, testSet: string): Promise<void> {
    const serving = (await this.findEach(current.view.to_ids, trx)).map((v) => v?.view.test_set ?? null);
    const other = serving.find((t) => t !== null && t !== testSet);
    if (other !== undefined) {
      throw new AppError('conflict', `The serving set was tested on ${other ?? 'an unknown test set'} and the candidate on ${testSet}: their accuracies cannot be compared, and force does not override this`, { test_set: testSet, serving_test_set: other });
    }
  }

  /**
   * The serving set's accuracy when its activation did not record one (an ensemble activated without
   * a measured accuracy), measured before the promotion takes the lock and stored on the activation
   * row, so it is measured once and no promotion holds the lock for the seconds it takes.
   */
  private async measureServing(): Promise<{ activationId: number; accuracy: number | null } | null> {
    const current = await this.store.latest();
    if (!current || current.view.to_accuracy !== null) return null;
    const found = await this.servingVersions(this.db, current);
    if (!found || found.length === 1) return null;
    const accuracy = await this.accuracyOfSet(found).catch((err: unknown) => {
      this.logger.warn({ err }, 'could not measure the serving ensemble; the gate checks the floor only');
      return null;
    });
    if (accuracy !== null) await this.store.recordAccuracy(current.view.id, accuracy);
    return { activationId: current.view.id, accuracy };
  }

  /**
   * The versions by id, read one after another: a transaction is one connection, and pg queues
   * (deprecated, an error in pg 9) a query sent while another is still running on it.
   */
  private async findEach(ids: readonly string[], trx: Knex): Promise<(StoredVersion | null)[]> {
    const found: (StoredVersion | null)[] = [];
    for (const id of ids) found.push(await this.versions.find(id, trx));
    return found;
  }

  private async servingVersions(trx: Knex, current: StoredActivation): Promise<ModelVersion[] | null> {
    const versions = (await this.findEach(current.view.to_ids, trx)).map((v) => v?.view ?? null);
    const found = versions.filter((v): v is ModelVersion => v !== null);
    return found.length === versions.length ? found : null;
  }

  /** The serving set's accuracy: recorded with its activation, else (one version) its evaluation, else as measured before the lock. */
  private async accuracyServing(trx: Knex, current: StoredActivation, measured: { activationId: number; accuracy: number | null } | null): Promise<number | null> {
    if (current.view.to_accuracy !== null) return current.view.to_accuracy;
    const found = await this.servingVersions(trx, current);
    if (!found) return null;
    if (found.length === 1) return found[0]?.accuracy ?? null;
    if (measured?.activationId === current.view.id) return measured.accuracy;
    // Another change (a rollback to an unmeasured ensemble) landed while this one measured the old set.
    throw new AppError('conflict', 'The serving set changed while this promotion was being checked; try again');
  }

  private async activate(trx: Knex, a: NewActivation, who: Identity | null): Promise<Activation> {
    const activation = await this.store.insert(trx, a);
    const to = (await this.findEach(a.toIds, trx)).map((v) => v?.view ?? null);
    const folders = to.map((v) => {
      if (!v) throw new AppError('not_found', 'A version of the set vanished');
      return servedFolder(v);
    });
    await recordAudit(trx, {
      action: `model.${a.kind === 'initial' ? 'activate_defaults' : a.kind}`,
      actor: who ?? { kind: 'system' },
      target: { type: 'model_version', id: a.toIds[0] ?? '' },
      details: { activation_id: activation.id, from_ids: a.fromIds, to_ids: a.toIds, reason: a.reason, gate: a.gate, forced: a.forced, undoes: a.undoes, engine: a.engine ?? null },
    });
    // No `engine`: the configured defaults (as every event before benchmark applies existed said).
    await enqueue(trx, 'model.promoted', { model_ids: folders, activation_id: activation.id, ...(a.engine ? { engine: a.engine } : {}), ...(currentRequestId() ? { request_id: currentRequestId() ?? undefined } : {}) });
    return activation;
  }

  /** A refused promotion is audited too (who tried, and the gate's numbers), then answered 409. */
  private async refuse(who: Identity, ids: readonly string[], gate: GateResult, action = 'model.promote'): Promise<never> {
    await this.db.transaction((trx) =>
      recordAudit(trx, { action, outcome: 'failure', actor: who, target: { type: 'model_version', id: ids[0] ?? '' }, details: { to_ids: ids, gate } }),
    );
    this.kick();
    const apply = action === 'model.apply';
    // An apply's refusals all carry `reason` (benchmarks.service.ts); a promotion's keep their shape.
    throw new AppError('conflict', `The promotion gate refused it: ${gate.failures.join('; ')}. ${apply ? 'Apply' : 'Promote'} with force: true and a reason to override`, { gate_refused: true, ...(apply ? { reason: 'gate_refused' } : {}), gate });
  }
}
