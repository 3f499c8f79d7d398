import { Router, static as serveStatic } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Inkwell API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script><script src="/api/docs/init.js"></script></body></html>`;

/** `/api/openapi.json` and Swagger UI at `/api/docs`, served from the package (no CDN). */
export function docsRoutes(document: Record<string, unknown>): Router {
  const r = Router();
  r.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  r.get('/api/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  r.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });");
  });
  r.use('/api/docs/assets', serveStatic(getAbsoluteFSPath(), { index: false }));
  return r;
}
