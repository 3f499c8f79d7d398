import { Router } from 'express';
import { CreateReportRequest, REPORT_CONTENT_TYPES, REQUEST_ID_HEADER, ReportFileQuery, ReportIdParams, ReportListQuery } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { ReportsService } from './reports.service';

/** `POST /api/reports` (engineer), `GET /api/reports` and `GET /api/reports/{id}` (viewer: everyone signed in). */
export function reportsRoutes(reports: ReportsService): Router {
  const r = Router();
  r.post('/api/reports', requireRole('engineer'), async (req, res) => {
    const body = parse(CreateReportRequest, req.body, 'body');
    res.status(202).json(await reports.create(identityOf(res), body, req.header(REQUEST_ID_HEADER) ?? null));
  });
  r.get('/api/reports', requireRole('viewer'), async (req, res) => {
    res.json({ reports: await reports.list(parse(ReportListQuery, req.query, 'query')) });
  });
  r.get('/api/reports/:id', requireRole('viewer'), async (req, res) => {
    const { id } = parse(ReportIdParams, req.params, 'path');
    const q = parse(ReportFileQuery, req.query, 'query');
    const file = await reports.file(id, q);
    // PDF and HTML open in the browser; JSON and CSV download. The bytes never change: the ETag is their sha256.
    const disposition = q.format === 'pdf' || q.format === 'html' ? 'inline' : 'attachment';
    res.status(200).set({
      'Content-Type': REPORT_CONTENT_TYPES[q.format],
      'Content-Length': String(file.bytes.length),
      'Content-Disposition': `${disposition}; filename="report-${id}-${q.view}.${q.format}"`,
      ETag: `"${file.sha256}"`,
      'Cache-Control': 'private, max-age=0, must-revalidate',
    });
    res.end(file.bytes);
  });
  return r;
}
