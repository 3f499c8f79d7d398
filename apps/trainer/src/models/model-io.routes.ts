import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { ModelCompareQuery, ModelIdParams, ModelImportFields, ModelMisreadsQuery } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { ModelCompareService } from './model-compare.service';
import { receiveModelUpload } from './model-import-upload';
import type { ModelImportService } from './model-import.service';

/**
 * `GET /api/models/compare?a=&b=`, `GET /api/models/{id}/misreads`, `GET`/`HEAD /api/models/{id}/export` (viewer and up) and
 * `POST /api/models/import` (engineer and up). Fixed paths, so they never clash with the
 * registry's `/api/models/{id}` routes (which pass on every id that is not a uuid).
 */
export function modelIoRoutes(compare: ModelCompareService, importer: ModelImportService): Router {
  const r = Router();
  r.get('/api/models/compare', requireRole('viewer'), async (req, res) => {
    res.json(await compare.compare(parse(ModelCompareQuery, req.query, 'query')));
  });
  r.get('/api/models/:id/misreads', requireRole('viewer'), async (req, res) => {
    const { id } = parse(ModelIdParams, req.params, 'path');
    res.json(await compare.misreads(id, parse(ModelMisreadsQuery, req.query, 'query')));
  });
  // Express answers HEAD with the GET route; the body is skipped explicitly so no file is opened.
  r.get('/api/models/:id/export', requireRole('viewer'), async (req, res) => {
    const { id } = parse(ModelIdParams, req.params, 'path');
    const { zip, filename } = await compare.exportZip(id);
    res.status(200).set({ 'Content-Type': 'application/zip', 'Content-Length': String(zip.size), 'Content-Disposition': `attachment; filename="${filename}"` });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.flushHeaders();
    // Headers are sent: a failure now (a file changed under us) can only cut the connection short of Content-Length.
    await pipeline(zip.open(), res).catch(() => res.destroy());
  });
  r.post('/api/models/import', requireRole('engineer'), async (req, res) => {
    const who = identityOf(res);
    // Before a byte of the upload is read: a refused request's body is drained and dropped by node.
    const release = importer.begin();
    const dir = await importer.uploadDir().catch((err: unknown) => {
      release();
      throw err;
    });
    try {
      const upload = await receiveModelUpload(req, join(dir, 'upload.onnx'), importer.maxBytes);
      const fields = parse(ModelImportFields, upload.fields, 'form');
      res.status(202).json(await importer.import(who, { path: join(dir, 'upload.onnx'), filename: upload.filename }, fields));
    } finally {
      // Accepted: the model was moved or rewritten into its version folder. Refused: nothing stays.
      await rm(dir, { recursive: true, force: true }).finally(release);
    }
  });
  return r;
}
