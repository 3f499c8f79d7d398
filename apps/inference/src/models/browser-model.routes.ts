import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Router, type Request } from 'express';
import { AppError, type BrowserModelSet, type TtaProfile, browserModelPath } from '@inkwell/contracts';
import type { Logger } from '@inkwell/logger';
import { streamFailure } from '../stream-failure';
import type { ActiveSet, ModelSet } from './active-set';

/** What a browser needs to run `set` exactly as /v1/read does: members in the worker's averaging order. */
export function describeForBrowser(set: ModelSet, tta: TtaProfile): BrowserModelSet {
  return {
    model_id: set.modelId,
    tta,
    // Every member carries the service's own hash (model-folder.ts refuses any other).
    preprocess_hash: set.manifests[0]?.preprocess_hash ?? '',
    models: set.manifests.map((m, i) => {
      const file = set.files[i];
      if (!file) throw new Error(`model set ${set.id} has no file for member ${i}`);
      return { model_id: m.model_id, input_name: m.input_name, output_name: m.output_name, normalization: m.normalization, onnx_bytes: file.bytes, sha256: file.sha256, onnx_path: browserModelPath(m.model_id) };
    }),
  };
}

/** True when If-None-Match names this strong ETag (or is `*`); weak comparison, as RFC 9110 asks for GET. */
function notModified(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/**
 * `GET /v1/models/active/browser` and `GET /v1/models/{model_id}/model.onnx`: the active set's
 * graphs for in-browser inference. Only members of the active set are served, found by manifest id
 * (never a path built from the request), streamed from the folder they were loaded from.
 */
export function browserModelRoutes(deps: { active: ActiveSet; tta: TtaProfile; logger: Logger }): Router {
  const r = Router();
  r.get('/v1/models/active/browser', (_req, res) => {
    const set = deps.active.set;
    if (!set) throw new AppError('service_unavailable', 'No model is loaded yet; try again shortly');
    res.json(describeForBrowser(set, deps.tta));
  });
  r.get('/v1/models/:model_id/model.onnx', async (req, res) => {
    const set = deps.active.set;
    const i = set?.manifests.findIndex((m) => m.model_id === req.params.model_id) ?? -1;
    const file = set?.files[i];
    if (!file) throw new AppError('not_found', 'No model of the active set has this id', { model_id: req.params.model_id });
    // A model id names one immutable version; a file that changed since it was loaded is not what
    // the server runs (nor what the ETag promises), so it is refused rather than served.
    const size = await stat(file.path).then((s) => s.size, () => null);
    if (size !== file.bytes) throw new AppError('service_unavailable', 'The model file is no longer the one that was loaded; try again after the next model reload');
    const etag = `"${file.sha256}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    if (notModified(req, etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(file.bytes));
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // Streamed, not buffered: an ensemble's graphs can be tens of megabytes each. A read error
    // after the headers went out can only cut the response short (pipeline destroys both sides and
    // closes the file); it is logged, since the browser sees only a truncated download.
    await pipeline(createReadStream(file.path), res).catch((err: unknown) => streamFailure(deps.logger, err, { model_id: req.params.model_id }, 'model file not sent whole'));
  });
  return r;
}
