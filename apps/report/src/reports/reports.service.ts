import { AppError, type CreateReportRequest, type Identity, type ReportFileQuery, type ReportListQuery, type ReportSummary } from '@inkwell/contracts';
import type { TypedQueue } from '@inkwell/queue';
import { reportIdOf, subjectIdsOf } from './report-id';
import type { ReportsStore, StoredReport } from './reports.store';

const summaryOf = ({ inputs: _inputs, ...summary }: StoredReport): ReportSummary => summary;

/** Starting reports (queued as `report.render` jobs) and reading their files. */
export class ReportsService {
  constructor(
    private readonly store: ReportsStore,
    private readonly queue: TypedQueue<'report'>,
    private readonly now: () => Date,
  ) {}

  async create(who: Identity, req: CreateReportRequest, requestId: string | null): Promise<ReportSummary> {
    const id = reportIdOf(req);
    if (await this.store.request({ id, kind: req.kind, subject_ids: subjectIdsOf(req), requested_by: who.sub, now: this.now() })) {
      try {
        await this.queue.add('report.render', { report_id: id }, { request_id: requestId, actor_id: who.sub });
      } catch (err) {
        // Not left `queued` with no job behind it: failed, so asking again queues it.
        await this.store.fail(id, 'could not queue the render job', this.now());
        throw err;
      }
    }
    return summaryOf(await this.found(id));
  }

  async get(id: string): Promise<ReportSummary> {
    return summaryOf(await this.found(id));
  }

  async list(q: ReportListQuery): Promise<ReportSummary[]> {
    return (await this.store.list(q)).map(summaryOf);
  }

  async file(id: string, q: ReportFileQuery): Promise<{ bytes: Buffer; sha256: string }> {
    const report = await this.found(id);
    if (report.status !== 'ready') throw new AppError('conflict', `The report is ${report.status}`, { status: report.status, reason: report.status_reason });
    const file = await this.store.file(id, q.view, q.format);
    if (!file) throw new AppError('not_found', 'The report has no such file');
    return file;
  }

  private async found(id: string): Promise<StoredReport> {
    const r = await this.store.get(id);
    if (!r) throw new AppError('not_found', 'No such report');
    return r;
  }
}
