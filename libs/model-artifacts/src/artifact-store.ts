import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelManifest } from '@inkwell/contracts';
import { ArtifactMetrics } from './artifact-metrics';

export const MODEL_FILE = 'model.onnx';
export const MANIFEST_FILE = 'manifest.json';
export const METRICS_FILE = 'metrics.json';

export interface Artifact {
  /** `<root>/<model_id>` */
  readonly dir: string;
  readonly modelPath: string;
  readonly manifest: ModelManifest;
  readonly metrics: ArtifactMetrics;
}

/**
 * Writes `<root>/<model_id>/{model.onnx, manifest.json, metrics.json}`. The folder is assembled
 * beside its final place and renamed in, so a reader never sees a model without its manifest.
 */
export function writeArtifact(root: string, content: { onnx: Uint8Array; manifest: ModelManifest; metrics: ArtifactMetrics }): Artifact {
  const manifest = ModelManifest.parse(content.manifest);
  const metrics = ArtifactMetrics.parse(content.metrics);
  const dir = join(root, manifest.model_id);
  const staging = join(root, `.${manifest.model_id}.${process.pid}.tmp`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, MODEL_FILE), content.onnx);
  writeFileSync(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(staging, METRICS_FILE), `${JSON.stringify(metrics)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { dir, modelPath: join(dir, MODEL_FILE), manifest, metrics };
}

/** Reads and validates one artifact folder; throws naming the file that is missing or invalid. */
export function readArtifact(dir: string): Artifact {
  const read = (file: string): unknown => {
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`${path} is missing`);
    return JSON.parse(readFileSync(path, 'utf8'));
  };
  const modelPath = join(dir, MODEL_FILE);
  if (!existsSync(modelPath)) throw new Error(`${modelPath} is missing`);
  const manifest = ModelManifest.safeParse(read(MANIFEST_FILE));
  if (!manifest.success) throw new Error(`${join(dir, MANIFEST_FILE)}: ${manifest.error.message}`);
  const metrics = ArtifactMetrics.safeParse(read(METRICS_FILE));
  if (!metrics.success) throw new Error(`${join(dir, METRICS_FILE)}: ${metrics.error.message}`);
  return { dir, modelPath, manifest: manifest.data, metrics: metrics.data };
}

/** Every artifact folder directly under `root` (those holding a manifest.json), sorted by name. */
export function listArtifacts(root: string): Artifact[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && existsSync(join(root, d.name, MANIFEST_FILE)))
    .map((d) => d.name)
    .sort()
    .map((name) => readArtifact(join(root, name)));
}
