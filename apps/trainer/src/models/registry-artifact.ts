import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelEvaluation, ModelManifest } from '@inkwell/contracts';
import { MANIFEST_FILE, METRICS_FILE, MODEL_FILE, PREDICTIONS_FILE, sha256Of } from '@inkwell/model-artifacts';

/** What the registry reads from an artifact folder: the graph's identity and, when present, its test-split results. */
export interface RegistryArtifact {
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly manifest: ModelManifest | null;
  /** metrics.json, when it is a full evaluation on the test split (the trainer writes one; shipped folders may not). */
  readonly evaluation: ModelEvaluation | null;
  /** One predicted digit per test image; only kept when it matches the evaluation's count. */
  readonly predictions: Uint8Array | null;
}

const readJson = async (path: string): Promise<unknown> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
};

/** Reads `<dir>/{model.onnx, manifest.json, metrics.json, test-predictions.bin}`; only model.onnx must exist. */
export async function readRegistryArtifact(dir: string): Promise<RegistryArtifact> {
  const onnx = await readFile(join(dir, MODEL_FILE));
  const manifest = ModelManifest.safeParse(await readJson(join(dir, MANIFEST_FILE)));
  const evaluation = ModelEvaluation.safeParse(await readJson(join(dir, METRICS_FILE)));
  const predictions = await readFile(join(dir, PREDICTIONS_FILE)).then((b) => new Uint8Array(b), () => null);
  const usable = evaluation.success && predictions !== null && predictions.length === evaluation.data.count;
  return {
    sha256: sha256Of(onnx),
    sizeBytes: onnx.length,
    manifest: manifest.success ? manifest.data : null,
    evaluation: usable ? evaluation.data : null,
    predictions: usable ? predictions : null,
  };
}
