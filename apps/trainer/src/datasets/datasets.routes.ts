import { Router } from 'express';
import { DatasetIdParams, DatasetUploadFields } from '@inkwell/contracts';
import { identityOf, requireRole } from '@inkwell/auth-guard';
import { parse } from '@inkwell/http';
import type { BlobStore } from '../storage/blob-store';
import { receiveUpload } from './dataset-upload';
import type { DatasetsService } from './datasets.service';

export function datasetsRoutes(datasets: DatasetsService, deps: { blobs: BlobStore; maxBytes: number }): Router {
  const r = Router();
  r.use('/api/datasets', requireRole('engineer'));
  r.post('/api/datasets', async (req, res) => {
    const who = identityOf(res);
    const upload = await receiveUpload(req, deps.blobs, deps.maxBytes, (files) => datasets.discard(files));
    try {
      const fields = parse(DatasetUploadFields, upload.fields, 'form');
      res.status(202).json(await datasets.create(who, fields, upload.files));
    } catch (err) {
      // Refused (bad fields, not a dataset): nothing of it stays stored.
      await datasets.discard(upload.files);
      throw err;
    }
  });
  r.get('/api/datasets', async (_req, res) => {
    res.json(await datasets.list(identityOf(res)));
  });
  r.get('/api/datasets/:id', async (req, res) => {
    res.json(await datasets.get(identityOf(res), parse(DatasetIdParams, req.params, 'path').id));
  });
  r.delete('/api/datasets/:id', async (req, res) => {
    await datasets.delete(identityOf(res), parse(DatasetIdParams, req.params, 'path').id);
    res.status(204).end();
  });
  return r;
}
