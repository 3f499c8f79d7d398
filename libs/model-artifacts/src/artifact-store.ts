import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelManifest } from '@inkwell/contracts';
import { ArtifactMetrics } from './artifact-metrics';
import { isRefusal, listModelFolders, MANIFEST_FILE, METRICS_FILE, MODEL_FILE, type ReadRules, readModelFolder, type Refusal } from './model-folder';

/** A model folder with everything the trainer writes: graph, manifest and metrics, all checked. */
export interface Artifact {
  /** `<root>/<model_id>` */
  readonly dir: string;
  readonly folder: string;
  readonly modelPath: string;
  readonly manifest: ModelManifest;
  readonly metrics: ArtifactMetrics;
}

export interface ArtifactContent {
  readonly onnx: Uint8Array;
  readonly manifest: ModelManifest;
  readonly metrics: ArtifactMetrics;
  /** The predicted digit of each test image, in test-set order (written as PREDICTIONS_FILE; the registry's compare reads it). */
  readonly testPredictions?: Uint8Array;
}

/** One byte per test image: the model's predicted digit. Optional in a model folder; readers ignore it. */
export const PREDICTIONS_FILE = 'test-predictions.bin';

/** Thrown by readArtifact: the refusal says which rule the folder broke. */
export class ArtifactRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(`model folder ${refusal.folder}: ${refusal.reason}`);
    this.name = 'ArtifactRefused';
  }
}

/** A folder written but not yet visible: `commit` renames it into place, `discard` removes it. */
export interface StagedArtifact {
  /** A hidden sibling of the final folder (its name starts with "."), which readers skip and refuse. */
  readonly staging: string;
  readonly dir: string;
  commit(): Promise<Artifact>;
  discard(): Promise<void>;
}

/** Writes bytes and waits until they are on disk, so a rename that follows never publishes a short file. */
async function writeDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync of a directory makes the names created or renamed in it durable (Linux, macOS). */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);
const hiddenSibling = (root: string, modelId: string, what: string): string => join(root, `.${modelId}.${process.pid}.${randomBytes(4).toString('hex')}.${what}`);

/**
 * Validates the content and writes it, fsynced, into a hidden folder beside its final place
 * (same parent, so the later rename is atomic and never crosses a file system).
 */
export async function stageArtifact(root: string, content: ArtifactContent): Promise<StagedArtifact> {
  const manifest = ModelManifest.parse(content.manifest);
  const metrics = ArtifactMetrics.parse(content.metrics);
  const dir = join(root, manifest.model_id);
  await mkdir(root, { recursive: true });
  const staging = hiddenSibling(root, manifest.model_id, 'tmp');
  await mkdir(staging);
  try {
    await writeDurably(join(staging, MODEL_FILE), content.onnx);
    await writeDurably(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeDurably(join(staging, METRICS_FILE), `${JSON.stringify(metrics)}\n`);
    if (content.testPredictions) await writeDurably(join(staging, PREDICTIONS_FILE), content.testPredictions);
    await syncDir(staging);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  return {
    staging,
    dir,
    commit: async () => {
      // rename() cannot replace a non-empty folder: move the old one aside first, drop it after.
      const old = (await exists(dir)) ? hiddenSibling(root, manifest.model_id, 'old') : null;
      if (old) await rename(dir, old);
      try {
        await rename(staging, dir);
      } catch (e) {
        // The previous model goes back where it was rather than staying hidden.
        if (old) await rename(old, dir);
        throw e;
      }
      await syncDir(root);
      if (old) await rm(old, { recursive: true, force: true });
      return { dir, folder: manifest.model_id, modelPath: join(dir, MODEL_FILE), manifest, metrics };
    },
    discard: () => rm(staging, { recursive: true, force: true }),
  };
}

/**
 * Writes `<root>/<model_id>/{model.onnx, manifest.json, metrics.json}` atomically: a reader sees
 * the whole folder or none of it, never a model without its manifest, even if the process dies.
 */
export async function writeArtifact(root: string, content: ArtifactContent): Promise<Artifact> {
  const staged = await stageArtifact(root, content);
  try {
    return await staged.commit();
  } catch (e) {
    await staged.discard();
    throw e;
  }
}

/** The folder's artifact, or why it is not one: every rule of readModelFolder, plus a valid metrics.json. */
export async function inspectArtifact(root: string, folder: string, rules: ReadRules = {}): Promise<Artifact | Refusal> {
  const files = await readModelFolder(root, folder, rules);
  if (isRefusal(files)) return files;
  let raw: string;
  try {
    raw = await readFile(join(files.dir, METRICS_FILE), 'utf8');
  } catch {
    return { folder, reason: 'no metrics.json' };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { folder, reason: 'metrics.json is not JSON' };
  }
  const metrics = ArtifactMetrics.safeParse(json);
  if (!metrics.success) return { folder, reason: `metrics.json is not a valid metrics report: ${metrics.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return { dir: files.dir, folder, modelPath: join(files.dir, MODEL_FILE), manifest: files.manifest, metrics: metrics.data };
}

/** Reads one artifact folder; throws ArtifactRefused naming the rule it broke. */
export async function readArtifact(root: string, folder: string, rules: ReadRules = {}): Promise<Artifact> {
  const r = await inspectArtifact(root, folder, rules);
  if (isRefusal(r)) throw new ArtifactRefused(r);
  return r;
}

/** Every valid artifact folder directly under `root`, sorted by name; the others go to `onRefused`. */
export async function listArtifacts(root: string, options: ReadRules & { readonly onRefused?: (r: Refusal) => void } = {}): Promise<Artifact[]> {
  const out: Artifact[] = [];
  for (const folder of await listModelFolders(root)) {
    const r = await inspectArtifact(root, folder, options);
    if (isRefusal(r)) options.onRefused?.(r);
    else out.push(r);
  }
  return out;
}
