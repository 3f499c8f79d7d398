import { type PresetModel, type PresetModelList, PRESET_MODEL_NAMES } from '@inkwell/contracts';
import { IMAGE_SHAPE, parameterCount, PRESET_MODELS } from '@inkwell/ml';
import type { ModelVersionsStore } from './model-versions.store';
import { PRESET_SEED } from './preset-models';

/** Counting ResNet-18's parameters builds its layer graph: once per process is enough. */
const counts = new Map<string, number>();
const parametersOf = (name: keyof typeof PRESET_MODELS): number => {
  const known = counts.get(name);
  if (known !== undefined) return known;
  const n = parameterCount(PRESET_MODELS[name].arch);
  counts.set(name, n);
  return n;
};

/** `GET /api/models/presets`: every preset in code, with the registered version of its untrained weights. */
export class PresetsService {
  constructor(private readonly versions: ModelVersionsStore) {}

  async list(): Promise<PresetModelList> {
    const items: PresetModel[] = [];
    for (const name of PRESET_MODEL_NAMES) {
      const p = PRESET_MODELS[name];
      items.push({
        name,
        title: p.title,
        description: p.description,
        family: name,
        task: 'classification',
        parameters: parametersOf(name),
        input: { name: 'image', dtype: 'float32', shape: ['N', ...IMAGE_SHAPE] },
        output: { name: 'probs', dtype: 'float32', shape: ['N', 10] },
        trained: false,
        seed: PRESET_SEED,
        version: await this.versions.presetVersion(name),
      });
    }
    return { items };
  }
}
