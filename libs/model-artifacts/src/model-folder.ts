import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFolderName, ModelManifest } from '@inkwell/contracts';
import { COMPATIBLE_PREPROCESS_HASHES, PREPROCESS_HASH } from '@inkwell/imaging';

export const MODEL_FILE = 'model.onnx';
export const MANIFEST_FILE = 'manifest.json';
export const METRICS_FILE = 'metrics.json';

/** A model folder that passed every check: its manifest and graph bytes. */
export interface ModelFiles {
  readonly dir: string;
  readonly folder: string;
  readonly manifest: ModelManifest;
  readonly onnx: Uint8Array;
}

/** Why a folder is not a usable model. */
export interface Refusal {
  readonly folder: string;
  readonly reason: string;
}

export interface ReadRules {
  /**
   * The preprocessing the reader feeds models with; a model made for another is refused. Default:
   * this build's PREPROCESS_HASH, or one of the earlier pipelines it still serves models of
   * (@inkwell/imaging's COMPATIBLE_PREPROCESS_HASHES). A hash named here is the only one accepted.
   */
  readonly preprocessHash?: string;
  /** The graph file to read from the folder (default `model.onnx`; inference reads `model.int8.onnx` for the int8 variant). */
  readonly modelFile?: string;
}

export const isRefusal = <T extends object>(r: T | Refusal): r is Refusal => 'reason' in r;

/**
 * Reads `<modelDir>/<folder>/{manifest.json, model.onnx}` and refuses it unless the name is a plain
 * folder name (so no caller can reach outside the models directory), the folder is not a link, the
 * manifest is a valid v1.1 one and it was made with the reader's preprocessing (a model fed inputs
 * unlike its training data would answer confidently and wrongly).
 */
export async function readModelFolder(modelDir: string, folder: string, rules: ReadRules = {}): Promise<ModelFiles | Refusal> {
  const preprocessHash = rules.preprocessHash ?? PREPROCESS_HASH;
  const accepted = rules.preprocessHash === undefined ? [PREPROCESS_HASH, ...COMPATIBLE_PREPROCESS_HASHES] : [rules.preprocessHash];
  if (!ModelFolderName.safeParse(folder).success) return { folder, reason: 'not a folder name (letters, digits, ".", "_", "-")' };
  const dir = join(modelDir, folder);
  // A link could point anywhere on the machine; the models directory holds its models itself.
  const isLink = await lstat(dir).then((st) => st.isSymbolicLink(), () => false);
  if (isLink) return { folder, reason: 'is a symbolic link; model folders must lie in the models directory' };
  let raw: string;
  try {
    raw = await readFile(join(dir, MANIFEST_FILE), 'utf8');
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
  if (!accepted.includes(manifest.preprocess_hash)) {
    return { folder, reason: `preprocess_hash ${manifest.preprocess_hash} differs from this service's pipeline ${preprocessHash}: the model was trained on differently prepared inputs` };
  }
  const modelFile = rules.modelFile ?? MODEL_FILE;
  try {
    const onnx = new Uint8Array(await readFile(join(dir, modelFile)));
    return { dir, folder, manifest, onnx };
  } catch {
    return { folder, reason: `no ${modelFile}` };
  }
}

/**
 * Reads a set of folders: the ones that pass, and a refusal for each that does not. A folder named
 * twice is refused the second time (an ensemble of a model with itself is that model, weighted).
 */
export async function readModelFolders(modelDir: string, folders: readonly string[], rules: ReadRules = {}): Promise<{ files: ModelFiles[]; refused: Refusal[] }> {
  const files: ModelFiles[] = [];
  const refused: Refusal[] = [];
  const seen = new Set<string>();
  for (const folder of folders) {
    if (seen.has(folder)) {
      refused.push({ folder, reason: 'named twice in one set' });
      continue;
    }
    seen.add(folder);
    const r = await readModelFolder(modelDir, folder, rules);
    if (isRefusal(r)) refused.push(r);
    else files.push(r);
  }
  return { files, refused };
}

/**
 * Every sub-folder of the model directory (the candidates when no set is named). Names starting
 * with "." are skipped: they are folders still being written (see writeArtifact) or not models.
 */
export async function listModelFolders(modelDir: string): Promise<string[]> {
  try {
    const entries = await readdir(modelDir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
