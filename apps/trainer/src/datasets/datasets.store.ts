import type { Knex } from 'knex';
import { z } from 'zod';
import { Dataset, DatasetSummary, type DatasetStatus } from '@inkwell/contracts';
import { DatasetFiles } from './dataset-files';

/** A row as the service works with it: the API's view plus the stored layout. */
export interface DatasetRecord {
  readonly view: Dataset;
  readonly files: DatasetFiles;
  readonly deleted: boolean;
  /** The normalized IDX pair's blobs, once validation accepted the dataset. */
  readonly normalized: { readonly images: string; readonly labels: string } | null;
}

const Row = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  owner_id: z.string().nullable(),
  built_in: z.boolean(),
  format: z.string(),
  status: z.string(),
  size_bytes: z.union([z.string(), z.number()]).transform(Number),
  files: DatasetFiles,
  report: z.unknown(),
  stats: z.unknown(),
  split: z.unknown(),
  normalized_images_hash: z.string().nullable(),
  normalized_labels_hash: z.string().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
  deleted_at: z.date().nullable(),
});

const SUMMARY_COLUMNS = ['id', 'name', 'description', 'owner_id', 'built_in', 'format', 'status', 'size_bytes', 'created_at', 'updated_at'];

function toRecord(raw: unknown): DatasetRecord {
  const r = Row.parse(raw);
  const view = Dataset.parse({
    ...r,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
    files: r.files.items,
  });
  const normalized = r.normalized_images_hash !== null && r.normalized_labels_hash !== null ? { images: r.normalized_images_hash, labels: r.normalized_labels_hash } : null;
  return { view, files: r.files, deleted: r.deleted_at !== null, normalized };
}

export interface NewDataset {
  readonly name: string;
  readonly description: string;
  readonly ownerId: string | null;
  readonly builtIn: boolean;
  readonly format: string;
  readonly status: DatasetStatus;
  readonly sizeBytes: number;
  readonly files: DatasetFiles;
  readonly report?: unknown;
  readonly stats?: unknown;
  readonly split?: unknown;
  readonly normalized?: { readonly images: string; readonly labels: string };
}

export interface ValidationOutcome {
  readonly status: 'ready' | 'invalid';
  readonly report: unknown;
  readonly stats: unknown;
  readonly split: unknown;
  readonly normalized: { readonly images: string; readonly labels: string } | null;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** All SQL on `datasets`. Methods take a transaction where the caller writes an outbox row with them. */
export class DatasetsStore {
  constructor(private readonly db: Knex) {}

  async insert(trx: Knex, d: NewDataset): Promise<DatasetRecord> {
    const [row] = await trx('datasets')
      .insert({
        name: d.name,
        description: d.description,
        owner_id: d.ownerId,
        built_in: d.builtIn,
        format: d.format,
        status: d.status,
        size_bytes: d.sizeBytes,
        files: JSON.stringify(d.files),
        report: json(d.report),
        stats: json(d.stats),
        split: json(d.split),
        normalized_images_hash: d.normalized?.images ?? null,
        normalized_labels_hash: d.normalized?.labels ?? null,
      })
      .returning('*');
    return toRecord(row);
  }

  /** A live (not deleted) dataset, or null. */
  async get(id: string, trx: Knex = this.db): Promise<DatasetRecord | null> {
    const row: unknown = await trx('datasets').where({ id }).whereNull('deleted_at').first();
    return row ? toRecord(row) : null;
  }

  /**
   * A live dataset, its row locked until `trx` ends: `share` by a job being created on it, `update`
   * by its deletion, so the two never both commit (a job on a deleted dataset). A row deleted while
   * this waited for the lock is not returned.
   */
  async lock(trx: Knex, id: string, mode: 'share' | 'update'): Promise<DatasetRecord | null> {
    const q = trx('datasets').where({ id }).whereNull('deleted_at').first();
    const row: unknown = await (mode === 'share' ? q.forShare() : q.forUpdate());
    return row ? toRecord(row) : null;
  }

  /** A queued or running training job on the dataset (the oldest), or null. */
  async activeJobUsing(trx: Knex, id: string): Promise<{ id: string; status: string } | null> {
    const row: unknown = await trx('training_jobs').where({ dataset_id: id }).whereIn('status', ['queued', 'running']).orderBy('created_at').first('id', 'status');
    return row ? z.object({ id: z.string(), status: z.string() }).parse(row) : null;
  }

  async findBuiltin(name: string): Promise<DatasetRecord | null> {
    const row: unknown = await this.db('datasets').where({ name, built_in: true }).first();
    return row ? toRecord(row) : null;
  }

  /** Live datasets of `ownerId` (every owner's when null) and the built-ins, newest first. */
  async list(ownerId: string | null): Promise<DatasetSummary[]> {
    const q = this.db('datasets').select(SUMMARY_COLUMNS).whereNull('deleted_at').orderBy([{ column: 'built_in', order: 'desc' }, { column: 'created_at', order: 'desc' }]);
    if (ownerId !== null) void q.where((w) => w.where({ owner_id: ownerId }).orWhere({ built_in: true }));
    const rows: unknown[] = await q;
    return rows.map((r) => {
      const s = z.object({ created_at: z.date(), updated_at: z.date(), size_bytes: z.union([z.string(), z.number()]).transform(Number) }).loose().parse(r);
      return DatasetSummary.parse({ ...s, created_at: s.created_at.toISOString(), updated_at: s.updated_at.toISOString() });
    });
  }

  async softDelete(trx: Knex, id: string): Promise<void> {
    await trx('datasets').where({ id }).update({ deleted_at: trx.fn.now(), updated_at: trx.fn.now() });
  }

  async finishValidation(trx: Knex, id: string, o: ValidationOutcome): Promise<void> {
    await trx('datasets')
      .where({ id })
      .update({
        status: o.status,
        report: json(o.report),
        stats: json(o.stats),
        split: json(o.split),
        normalized_images_hash: o.normalized?.images ?? null,
        normalized_labels_hash: o.normalized?.labels ?? null,
        updated_at: trx.fn.now(),
      });
  }

  /** Whether any dataset row (deleted ones too: a soft delete keeps the data) names this blob. */
  async blobInUse(hash: string): Promise<boolean> {
    const row: unknown = await this.db('datasets')
      .whereRaw(`files->'items' @> ?::jsonb`, [JSON.stringify([{ hash }])])
      .orWhere({ normalized_images_hash: hash })
      .orWhere({ normalized_labels_hash: hash })
      .first('id');
    return row !== undefined;
  }
}
