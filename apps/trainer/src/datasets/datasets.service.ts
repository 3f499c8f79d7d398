import type { Knex } from 'knex';
import { AppError, type Dataset, type DatasetList, type DatasetUploadFields, type Identity } from '@inkwell/contracts';
import { detectDataset } from '@inkwell/datasets';
import { currentRequestId } from '@inkwell/logger';
import { auditRecorder, enqueueJob } from '@inkwell/outbox';
import type { BlobStore } from '../storage/blob-store';
import { mapLayout, type StoredFile } from './dataset-files';
import type { DatasetRecord, DatasetsStore } from './datasets.store';

export const recordAudit = auditRecorder('trainer');

/** Admins see every dataset; anyone else their own and the built-ins. Another's is "not found" (training on one too). */
export function visibleTo(d: DatasetRecord, who: Identity): boolean {
  return who.role === 'admin' || d.view.built_in || (d.view.owner_id !== null && d.view.owner_id === who.sub);
}

/** Decides who may see, add and delete datasets; the upload's validation runs as a `cpu` job. */
export class DatasetsService {
  constructor(
    private readonly db: Knex,
    private readonly store: DatasetsStore,
    private readonly blobs: BlobStore,
    /** Wakes the outbox relay after a commit, so the job and the audit event leave at once. */
    private readonly kick: () => void,
  ) {}

  /**
   * Detects the format of the stored upload at once (a non-dataset is refused and its blobs
   * dropped), then records the dataset as `validating` and enqueues its validation, in one
   * transaction with the audit event.
   */
  async create(who: Identity, fields: DatasetUploadFields, files: readonly StoredFile[]): Promise<Dataset> {
    if (fields.validation_fraction + fields.test_fraction >= 1) {
      throw new AppError('validation_failed', 'validation_fraction + test_fraction must be below 1', { validation_fraction: fields.validation_fraction, test_fraction: fields.test_fraction });
    }
    const uploaded = await Promise.all(files.map(async (f) => ({ path: await this.blobs.path(f.hash), name: f.name, hash: f.hash })));
    const detected = await detectDataset(uploaded.map(({ path, name }) => ({ path, name })));
    const hashOf = new Map(uploaded.map((u) => [u.path, u.hash]));
    const layout = mapLayout(detected, (p) => hashOf.get(p) ?? p);
    const requestId = currentRequestId() ?? null;
    const created = await this.db.transaction(async (trx) => {
      const d = await this.store.insert(trx, {
        name: fields.name,
        description: fields.description,
        ownerId: who.sub,
        builtIn: false,
        format: detected.format,
        status: 'validating',
        sizeBytes: files.reduce((n, f) => n + f.size_bytes, 0),
        files: { items: [...files], layout, split_spec: { method: 'stratified', seed: fields.split_seed, validation_fraction: fields.validation_fraction, test_fraction: fields.test_fraction } },
      });
      await enqueueJob(trx, 'cpu', 'validate-dataset', { dataset_id: d.view.id, request_id: requestId }, { request_id: requestId, actor_id: who.sub });
      await recordAudit(trx, { action: 'dataset.upload', actor: who, target: { type: 'dataset', id: d.view.id }, details: { name: d.view.name, format: d.view.format, size_bytes: d.view.size_bytes } });
      return d;
    });
    this.kick();
    return created.view;
  }

  /**
   * Drops the blobs of a refused upload, unless another dataset holds the same bytes (blobs are
   * addressed by content, so two uploads of one file share it).
   */
  async discard(files: readonly StoredFile[]): Promise<void> {
    for (const f of files) if (!(await this.store.blobInUse(f.hash))) await this.blobs.delete(f.hash);
  }

  async list(who: Identity): Promise<DatasetList> {
    return { items: await this.store.list(who.role === 'admin' ? null : (who.sub ?? '')) };
  }

  async get(who: Identity, id: string): Promise<Dataset> {
    const d = await this.store.get(id);
    if (!d || !visibleTo(d, who)) throw new AppError('not_found', 'No such dataset');
    return d.view;
  }

  /**
   * Soft delete: the row and blobs stay (a model may name this dataset). Refused (409) while a
   * queued or running training job uses it. The row stays locked from that check to the delete,
   * and creating a job locks it too, so no job can start on a dataset being deleted.
   */
  async delete(who: Identity, id: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      const d = await this.store.lock(trx, id, 'update');
      if (!d || !visibleTo(d, who)) throw new AppError('not_found', 'No such dataset');
      if (d.view.built_in) throw new AppError('conflict', 'A built-in dataset cannot be deleted');
      const job = await this.store.activeJobUsing(trx, id);
      if (job) throw new AppError('conflict', `A training job (${job.status}) uses this dataset; delete it once the job has finished or been cancelled`, { job_id: job.id, job_status: job.status });
      await this.store.softDelete(trx, id);
      await recordAudit(trx, { action: 'dataset.delete', actor: who, target: { type: 'dataset', id }, details: { name: d.view.name } });
    });
    this.kick();
  }
}
