import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import compression from 'compression';
import type { Response } from 'express';
import { Router, static as serveStatic } from 'express';

/**
 * The web app's Content-Security-Policy: scripts, styles and connections from this origin only,
 * no inline script (the Vite build has none: one module script tag with a src), nothing may frame
 * it (clickjacking), and no plugins. Images may also be data:/blob: (previews of a picked file).
 * `wasm-unsafe-eval` lets the reader compile onnxruntime-web's WebAssembly (it allows compiling
 * WASM only, not eval of script text).
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const html = (res: Response): void => {
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Security-Policy', WEB_APP_CSP);
};

/**
 * Serves the React build at `/`; unknown non-API GETs fall back to index.html so client-side
 * routes survive a reload.
 */
export function webApp(distDir: string): Router {
  const r = Router();
  const dir = resolve(distDir);
  const index = resolve(dir, 'index.html');
  // Only the app's own files are compressed here: API answers (event streams among them) pass
  // through the proxy untouched.
  r.use(compression());
  r.use(serveStatic(dir, { index: false, maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && html(res) }));
  r.get(/^\/(?!api\/|v1\/|admin\/queues|metrics|healthz|readyz).*/, (_req, res, next) => {
    if (!existsSync(index)) return next();
    html(res);
    res.sendFile(index);
  });
  return r;
}
