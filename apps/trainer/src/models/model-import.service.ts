import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { AppError, type Identity, MANIFEST_SCHEMA_VERSION, MNIST_NORMALIZATION, type ModelImportFields, type ModelImportResult, ModelManifest } from '@inkwell/contracts';
import { MNIST_OFFICIAL_SPLIT } from '@inkwell/datasets';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { canonicalizeImported, type CheckedImport, checkImportedModel, MANIFEST_FILE, MODEL_FILE, sha256Of } from '@inkwell/model-artifacts';
import { auditRecorder } from '@inkwell/outbox';
import type { ModelVersionsStore } from './model-versions.store';

const recordAudit = auditRecorder('trainer');

/** Seconds a refused concurrent import is told to wait: a large model's checks take about that long. */
const IMPORT_RETRY_AFTER_S = 30;

/** Pixel scalings an importer may name: the platform's MNIST mean/std, or the 0..1 ink value itself. */
const PIXELS = { mnist: MNIST_NORMALIZATION, unit: { mean: 0, std: 1 } } as const;

export interface ModelImportDeps {
  readonly db: Knex;
  readonly versions: ModelVersionsStore;
  readonly dataDir: string;
  readonly maxBytes: number;
  /** Wakes the outbox relay, so the evaluation starts at once. */
  readonly kick: () => void;
}

/**
 * Imports an uploaded ONNX file: the checks (refusals name the failed one), then the model in the
 * platform's form (see canonicalizeImported) with a v1.1 manifest in `<DATA_DIR>/models/<id>/`,
 * registered as an `imported` version whose `evaluate-model` job scores it on the MNIST test split
 * like every other version, with the audit event, in one transaction.
 */
export class ModelImportService {
  private importing = false;

  constructor(private readonly deps: ModelImportDeps) {}

  /**
   * One import at a time in this process: checking and rewriting a model holds several copies of
   * it in memory (see the import route's summary), so two 1 GiB uploads at once could exhaust the
   * trainer. A second one is refused at once with 503 and Retry-After; returns the release.
   */
  begin(): () => void {
    if (this.importing) {
      throw new AppError('service_unavailable', 'Another model import is running in this trainer; try again when it is done', { reason: 'import_in_progress' }, { 'Retry-After': String(IMPORT_RETRY_AFTER_S) });
    }
    this.importing = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.importing = false;
    };
  }

  /** A fresh folder for one upload, on the data directory's file system (so the model moves in by rename). */
  async uploadDir(): Promise<string> {
    const dir = join(this.deps.dataDir, 'imports', `.upload-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  get maxBytes(): number {
    return this.deps.maxBytes;
  }

  async import(who: Identity, uploaded: { path: string; filename: string }, fields: ModelImportFields): Promise<ModelImportResult> {
    const normalization = PIXELS[fields.pixels];
    const checked = await checkImportedModel(uploaded.path, { maxBytes: this.deps.maxBytes, normalization });
    const id = randomUUID();
    const artifactPath = join('models', id);
    const dest = join(this.deps.dataDir, artifactPath);
    await mkdir(dest, { recursive: true });
    let rewritten: boolean;
    try {
      const stored = await this.store(uploaded.path, dest, checked);
      rewritten = stored.rewritten;
      const name = fields.name ?? (uploaded.filename.replace(/\.onnx$/i, '') || id);
      const manifest = ModelManifest.parse({
        schema_version: MANIFEST_SCHEMA_VERSION,
        model_id: `imported-${id}`,
        arch: 'imported',
        n_classes: 10,
        version: '1.0.0',
        created_at: new Date().toISOString(),
        // The importer vouches for the input (MNIST-like digits, scaled as `pixels` says); serving feeds this build's preprocessing.
        preprocess_hash: PREPROCESS_HASH,
        // Not known for a model trained elsewhere; the registry's evaluation gives its test accuracy.
        val_acc: 0,
        temperature: 1,
        training_recipe: 'imported',
        training_seed: 0,
        training_epochs: 0,
        test_acc: null,
        recipe_hash: checked.sha256,
        normalization,
        hyperparameters: { imported: importDetails(checked, uploaded.filename, stored.rewritten) },
        input_name: stored.inputName,
        output_name: stored.outputName,
      });
      await writeFile(join(dest, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      await this.deps.db.transaction(async (trx) => {
        await this.deps.versions.insertUntrained(trx, {
          id,
          source: 'imported',
          name,
          family: 'imported',
          hyperparameters: { imported: importDetails(checked, uploaded.filename, stored.rewritten) },
          seed: null,
          datasetId: 'mnist',
          split: { id: 'mnist-official', ...MNIST_OFFICIAL_SPLIT, train_limit: null },
          testSet: 'mnist:test',
          artifactPath,
          sizeBytes: stored.size,
          sha256: stored.sha256,
          createdBy: who.sub,
        });
        await recordAudit(trx, { action: 'model.import', actor: who, target: { type: 'model_version', id }, details: { name, sha256: stored.sha256, size_bytes: stored.size, uploaded_sha256: checked.sha256 } });
      });
    } catch (err) {
      await rm(dest, { recursive: true, force: true });
      throw err;
    }
    this.deps.kick();
    const version = await this.deps.versions.find(id);
    if (!version) throw new AppError('internal_error', `Imported version ${id} vanished`);
    return {
      version: version.view,
      checks: {
        opset: checked.opset,
        input: { name: checked.inputName, shape: checked.inputLayout === 'nchw' ? '[N,1,28,28]' : '[N,784]' },
        output: { name: checked.outputName, kind: checked.outputKind },
        rewritten,
        smoke_accuracy: checked.smokeAccuracy,
      },
    };
  }

  /** Moves the upload into the version's folder as model.onnx, rewritten to the platform's form when it is not in it. */
  private async store(uploadPath: string, dest: string, checked: CheckedImport): Promise<{ size: number; sha256: string; inputName: string; outputName: string; rewritten: boolean }> {
    const target = join(dest, MODEL_FILE);
    if (checked.inputLayout === 'nchw' && checked.outputKind === 'probs') {
      await rename(uploadPath, target);
      return { size: checked.sizeBytes, sha256: checked.sha256, inputName: checked.inputName, outputName: checked.outputName, rewritten: false };
    }
    const canonical = canonicalizeImported(new Uint8Array(await readFile(uploadPath)), checked);
    await writeFile(target, canonical.bytes);
    return { size: canonical.bytes.length, sha256: sha256Of(canonical.bytes), inputName: canonical.inputName, outputName: canonical.outputName, rewritten: true };
  }
}

function importDetails(c: CheckedImport, filename: string, rewritten: boolean): Record<string, string | number | boolean> {
  return {
    filename,
    uploaded_sha256: c.sha256,
    uploaded_bytes: c.sizeBytes,
    opset: c.opset,
    input: `${c.inputName} ${c.inputLayout === 'nchw' ? '[N,1,28,28]' : '[N,784]'}`,
    output: `${c.outputName} (${c.outputKind})`,
    rewritten,
    smoke_accuracy: c.smokeAccuracy,
  };
}
