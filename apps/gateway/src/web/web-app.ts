import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Router, static as serveStatic } from 'express';

/**
 * Serves the React build at `/`; unknown non-API GETs fall back to index.html so client-side
 * routes survive a reload.
 */
export function webApp(distDir: string): Router {
  const r = Router();
  const dir = resolve(distDir);
  const index = resolve(dir, 'index.html');
  r.use(serveStatic(dir, { index: false, maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));
  r.get(/^\/(?!api\/|v1\/|admin\/queues|metrics|healthz|readyz).*/, (_req, res, next) => {
    if (!existsSync(index)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
