import { createHash } from 'node:crypto';
import type { Db } from '@inkwell/db';
import type { ReportFormat, ReportKind, ReportStatus, ReportSummary, ReportView } from '@inkwell/contracts';
import type { RenderedFile } from '../render/render-report';

interface ReportRow {
  id: string;
  kind: ReportKind;
  subject_ids: string[];
  status: ReportStatus;
  status_reason: string | null;
  created_at: Date | null;
  requested_at: Date;
  inputs: unknown;
}

export interface StoredReport extends ReportSummary {
  readonly inputs: unknown;
}

/** All SQL of the report service. */
export class ReportsStore {
  constructor(private readonly db: Db) {}

  /**
   * Inserts a queued report, or re-queues a failed one. True when a job should now be queued (a
   * new row, or a failed one taken back); false when it is queued or ready already.
   */
  async request(r: { id: string; kind: ReportKind; subject_ids: string[]; requested_by: string | null; now: Date }): Promise<boolean> {
    const inserted = await this.db.raw<{ rows: unknown[] }>(
      `insert into reports (id, kind, subject_ids, status, requested_at, requested_by, updated_at)
       values (?, ?, ?::uuid[], 'queued', ?, ?, ?)
       on conflict (id) do update set status = 'queued', status_reason = null, requested_at = excluded.requested_at, requested_by = excluded.requested_by, updated_at = excluded.updated_at
         where reports.status = 'failed'
       returning id`,
      [r.id, r.kind, r.subject_ids, r.now, r.requested_by, r.now],
    );
    return inserted.rows.length > 0;
  }

  async get(id: string): Promise<StoredReport | null> {
    const row = await this.db<ReportRow>('reports').where({ id }).first();
    return row ? this.summary(row) : null;
  }

  async list(q: { kind?: ReportKind | undefined; id?: string | undefined; subject?: readonly string[] | undefined; limit: number }): Promise<StoredReport[]> {
    let query = this.db<ReportRow>('reports').orderBy([{ column: 'requested_at', order: 'desc' }, { column: 'id', order: 'asc' }]).limit(q.limit);
    if (q.kind) query = query.where({ kind: q.kind });
    if (q.id) query = query.where({ id: q.id });
    if (q.subject) query = query.whereRaw('subject_ids = ?::uuid[]', [[...q.subject]]);
    return Promise.all((await query).map((r) => this.summary(r)));
  }

  /** Stores the inputs and every rendered file, and marks the report ready, in one transaction. */
  async complete(id: string, createdAt: string, inputs: unknown, files: readonly RenderedFile[], now: Date): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('report_files').where({ report_id: id }).delete();
      await trx('report_files').insert(files.map((f) => ({ report_id: id, view: f.view, format: f.format, sha256: sha256(f.bytes), bytes: Buffer.from(f.bytes) })));
      await trx('reports').where({ id }).update({ status: 'ready', status_reason: null, created_at: createdAt, inputs: JSON.stringify(inputs), updated_at: now });
    });
  }

  async fail(id: string, reason: string, now: Date): Promise<void> {
    await this.db('reports').where({ id }).whereNot({ status: 'ready' }).update({ status: 'failed', status_reason: reason.slice(0, 1000), updated_at: now });
  }

  async file(id: string, view: ReportView, format: ReportFormat): Promise<{ bytes: Buffer; sha256: string } | null> {
    const row = (await this.db('report_files').where({ report_id: id, view, format }).first('bytes', 'sha256')) as { bytes: Buffer; sha256: string } | undefined;
    return row ?? null;
  }

  private async summary(row: ReportRow): Promise<StoredReport> {
    const files = (await this.db('report_files').where({ report_id: row.id }).orderBy(['view', 'format']).select('view', 'format', 'sha256')) as { view: string; format: string; sha256: string }[];
    return {
      id: row.id,
      kind: row.kind,
      subject_ids: row.subject_ids,
      status: row.status,
      status_reason: row.status_reason,
      created_at: row.created_at ? row.created_at.toISOString() : null,
      requested_at: row.requested_at.toISOString(),
      files: Object.fromEntries(files.map((f) => [`${f.view}.${f.format}`, f.sha256])),
      inputs: row.inputs,
    };
  }
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
