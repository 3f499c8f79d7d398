import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFolderName, ModelManifest } from '@inkwell/contracts';
import { PREPROCESS_HASH } from '@inkwell/imaging';

/** A model folder that passed every check: its manifest and graph bytes. */
export interface ModelFiles {
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly onnx: Uint8Array;
}

/** Why a folder was not served. */
export interface Refusal {
  readonly folder: string;
  readonly reason: string;
}

/**
 * Reads `<modelDir>/<folder>/{manifest.json, model.onnx}` and refuses it unless the manifest is a
 * valid v1.1 one for this folder and was made with this service's preprocessing (a model fed
 * inputs unlike its training data would answer confidently and wrongly).
 */
export async function readModelFolder(modelDir: string, folder: string, preprocessHash = PREPROCESS_HASH): Promise<ModelFiles | Refusal> {
  if (!ModelFolderName.safeParse(folder).success) return { folder, reason: 'not a folder name (letters, digits, ".", "_", "-")' };
  const dir = join(modelDir, folder);
  // A link could point anywhere on the machine; the models directory holds its models itself.
  const isLink = await lstat(dir).then((st) => st.isSymbolicLink(), () => false);
  if (isLink) return { folder, reason: 'is a symbolic link; model folders must lie in the models directory' };
  let raw: string;
  try {
    raw = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch {
    return { folder, reason: 'no manifest.json' };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { folder, reason: 'manifest.json is not JSON' };
  }
  const parsed = ModelManifest.safeParse(json);
  if (!parsed.success) {
    return { folder, reason: `manifest is not a valid v1.1 manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  }
  const manifest = parsed.data;
  if (manifest.preprocess_hash !== preprocessHash) {
    return { folder, reason: `preprocess_hash ${manifest.preprocess_hash} differs from this service's pipeline ${preprocessHash}: the model was trained on differently prepared inputs` };
  }
  try {
    const onnx = new Uint8Array(await readFile(join(dir, 'model.onnx')));
    return { dir, manifest, onnx };
  } catch {
    return { folder, reason: 'no model.onnx' };
  }
}

export const isRefusal = (r: ModelFiles | Refusal): r is Refusal => 'reason' in r;

/** Every sub-folder of the model directory (the candidates when no active list is configured). */
export async function listModelFolders(modelDir: string): Promise<string[]> {
  try {
    const entries = await readdir(modelDir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
