import { z } from 'zod';
import { ActivationEngine, ServingEngine } from '../models/activation-engine';

/** One member of the active set, as its manifest describes it. */
export const ActiveModel = z.object({
  model_id: z.string(),
  arch: z.string(),
  version: z.string(),
  created_at: z.string(),
  val_acc: z.number(),
  test_acc: z.number().nullable(),
  temperature: z.number(),
  preprocess_hash: z.string(),
  /** The execution provider its session actually runs on (after any fallback to CPU). */
  execution_provider: z.string(),
});
export type ActiveModel = z.infer<typeof ActiveModel>;

export const TtaProfile = z.enum(['none', 'light', 'strong']);
export type TtaProfile = z.infer<typeof TtaProfile>;

/**
 * `GET /v1/models/active` (seed 004). With several models the top-level fields describe the
 * ensemble: `arch` is "ensemble", `val_acc` the members' mean, `temperature` 1 (each member's own
 * temperature is already applied inside its graph), `created_at` the newest member's.
 */
export const ActiveModels = z.discriminatedUnion('model_loaded', [
  z.object({
    model_loaded: z.literal(true),
    model_id: z.string(),
    arch: z.string(),
    n_classes: z.literal(10),
    version: z.string(),
    created_at: z.string(),
    schema_version: z.string(),
    val_acc: z.number(),
    temperature: z.number(),
    ensemble_size: z.number().int().positive(),
    model_ids: z.array(z.string()),
    tta: TtaProfile,
    models: z.array(ActiveModel),
    /** The engine, model variant and threads the set runs on (set by a benchmark's apply, else the configured defaults). */
    engine: ServingEngine.optional(),
  }),
  z.object({ model_loaded: z.literal(false), model_id: z.null() }),
]);
export type ActiveModels = z.infer<typeof ActiveModels>;

/** `GET /v1/version` (seed 004's `/version`, under the gateway's `/v1`). */
export const ServiceVersion = z.object({
  service: z.string(),
  version: z.string(),
  build: z.string(),
  commit: z.string().nullable(),
});
export type ServiceVersion = z.infer<typeof ServiceVersion>;

/** What inference's `/readyz` reports about models (the `models` check's detail). */
export const ModelReadiness = z.object({
  model_loaded: z.boolean(),
  model_id: z.string().nullable(),
  manifest_schema_version: z.string().nullable(),
  ensemble_size: z.number().int().nonnegative(),
  model_ids: z.array(z.string()),
});
export type ModelReadiness = z.infer<typeof ModelReadiness>;

/** A model folder under the models directory: a plain name, so no request can reach outside it. */
export const ModelFolderName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a model folder name: letters, digits, ".", "_" or "-", not starting with "."');

/** The folders of one set: at least one, none twice (an ensemble of a model with itself is that model, weighted). */
export const ModelFolderList = z
  .array(ModelFolderName)
  .min(1)
  .refine((ids) => new Set(ids).size === ids.length, 'model_ids must not name a folder twice');

/**
 * Published (JSON) on `<REDIS_PREFIX>:model.promoted` when the active set should change. Without
 * `model_ids` the service re-reads its configured set (e.g. after files changed on disk).
 */
export const ModelPromoted = z.object({
  model_ids: ModelFolderList.optional(),
  request_id: z.string().optional(),
  /**
   * Set by the trainer's registry: the folders then lie under `<DATA_DIR>/models/`, and a replica
   * ignores an event older than the set it already serves (the relay may deliver out of order).
   */
  activation_id: z.int().positive().optional(),
  /** The registry's activation's engine settings (null: the configured defaults); only with `activation_id`. */
  engine: ActivationEngine.nullable().optional(),
});
export type ModelPromoted = z.infer<typeof ModelPromoted>;
export const MODEL_PROMOTED_CHANNEL = 'model.promoted';
