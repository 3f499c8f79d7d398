import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '@inkwell/auth-guard';
import { type ActiveModels, MANIFEST_SCHEMA_VERSION, ModelFolderList, type ModelReadiness, type ServiceVersion } from '@inkwell/contracts';
import { parse } from '@inkwell/http';
import type { TtaProfile } from '@inkwell/contracts';
import type { ActiveSet, ModelSet } from './active-set';
import type { ModelManager } from './model-manager';

export function describeActive(set: ModelSet | null, tta: TtaProfile): ActiveModels {
  if (!set) return { model_loaded: false, model_id: null };
  const ms = set.manifests;
  const single = ms.length === 1 ? ms[0] : undefined;
  return {
    model_loaded: true,
    model_id: set.modelId,
    arch: single?.arch ?? 'ensemble',
    n_classes: 10,
    version: single?.version ?? ms.map((m) => `${m.model_id}@${m.version}`).join('+'),
    created_at: ms.map((m) => m.created_at).sort().at(-1) ?? set.loadedAt.toISOString(),
    schema_version: MANIFEST_SCHEMA_VERSION,
    val_acc: single?.val_acc ?? ms.reduce((s, m) => s + m.val_acc, 0) / ms.length,
    temperature: single?.temperature ?? 1,
    ensemble_size: ms.length,
    model_ids: ms.map((m) => m.model_id),
    tta,
    models: ms.map((m, i) => ({
      model_id: m.model_id,
      arch: m.arch,
      version: m.version,
      created_at: m.created_at,
      val_acc: m.val_acc,
      test_acc: m.test_acc,
      temperature: m.temperature,
      preprocess_hash: m.preprocess_hash,
      execution_provider: set.providers[i] ?? 'cpu',
    })),
    engine: set.engine,
  };
}

export function modelReadiness(set: ModelSet | null): ModelReadiness {
  return {
    model_loaded: set !== null,
    model_id: set?.modelId ?? null,
    manifest_schema_version: set ? MANIFEST_SCHEMA_VERSION : null,
    ensemble_size: set?.manifests.length ?? 0,
    model_ids: set?.manifests.map((m) => m.model_id) ?? [],
  };
}

const ReloadRequest = z.object({ model_ids: ModelFolderList.optional() }).strict();

export function modelsRoutes(deps: { active: ActiveSet; manager: ModelManager; tta: TtaProfile; version: ServiceVersion }): Router {
  const r = Router();
  r.get('/v1/models/active', (_req, res) => {
    res.json(describeActive(deps.active.set, deps.tta));
  });
  r.get('/v1/version', (_req, res) => {
    res.json(deps.version);
  });
  // Internal (not in the gateway's table): a registry or an operator with the internal secret
  // swaps the active set; answers once the new set serves.
  r.post('/internal/models/reload', requireRole('admin'), async (req, res) => {
    const body = parse(ReloadRequest, req.body ?? {});
    const set = await deps.manager.load(body.model_ids);
    res.json(describeActive(set, deps.tta));
  });
  return r;
}
