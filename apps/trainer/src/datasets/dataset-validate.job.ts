import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { JobContext } from '@inkwell/queue';
import type { ValidateDatasetPayload, ValidateDatasetResult } from '@inkwell/contracts';
import { makeSplit, validateDataset } from '@inkwell/datasets';
import type { BlobStore } from '../storage/blob-store';
import { resolveLayout } from './dataset-files';
import type { DatasetsStore } from './datasets.store';
import { recordAudit } from './datasets.service';

export interface ValidateDeps {
  readonly db: Knex;
  readonly store: DatasetsStore;
  readonly blobs: BlobStore;
  /** Scratch space for the normalized copy before it goes into the blob store. */
  readonly workDir: string;
  readonly kick: () => void;
}

/**
 * `cpu` / `validate-dataset`: one streaming pass over the stored files gives the report, the
 * statistics and the normalized IDX copy; a valid dataset gets its split and becomes `ready`, an
 * invalid one `invalid` with its report. Re-running it (a retry after a crash) redoes the same work.
 */
export async function validateDatasetJob(deps: ValidateDeps, payload: ValidateDatasetPayload, ctx: JobContext<'cpu', 'validate-dataset'>): Promise<ValidateDatasetResult> {
  const d = await deps.store.get(payload.dataset_id);
  // Deleted while it waited: nothing to validate, and nobody to tell.
  if (!d || !d.files.layout) return { dataset_id: payload.dataset_id, valid: false, items: 0, problems: 0, problems_by_kind: {} };
  const layout = await resolveLayout(d.files.layout, (h) => deps.blobs.path(h));
  await mkdir(deps.workDir, { recursive: true });
  const scratch = await mkdtemp(join(deps.workDir, 'validate-'));
  try {
    const normalized = { images: join(scratch, 'images-idx3-ubyte'), labels: join(scratch, 'labels-idx1-ubyte') };
    const onProgress = (n: number) => {
      ctx.progress({ items_checked: n, items_total: null }).catch((err: unknown) => ctx.logger.warn({ err }, 'progress not reported'));
    };
    const result = await validateDataset(layout, { normalized, onProgress, signal: ctx.signal });
    const { report, stats } = result;
    const split = report.valid ? makeSplit(result.labels, d.files.split_spec).record : null;
    const stored = report.valid ? { images: (await deps.blobs.putFile(normalized.images)).hash, labels: (await deps.blobs.putFile(normalized.labels)).hash } : null;
    const status = report.valid ? 'ready' : 'invalid';
    await deps.db.transaction(async (trx) => {
      await deps.store.finishValidation(trx, d.view.id, { status, report, stats, split, normalized: stored });
      await recordAudit(trx, {
        action: 'dataset.validate',
        outcome: report.valid ? 'success' : 'failure',
        actor: { kind: 'system' },
        target: { type: 'dataset', id: d.view.id },
        details: { status, accepted: report.accepted, errors: report.error_count, warnings: report.warning_count },
      });
    });
    deps.kick();
    return { dataset_id: d.view.id, valid: report.valid, items: report.accepted, problems: report.error_count + report.warning_count, problems_by_kind: report.counts_by_kind };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
