import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { webApp } from './web-app';

const dist = mkdtempSync(join(tmpdir(), 'inkwell-web-dist-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/index.js"></script></head><body><div id="root"></div></body></html>');
writeFileSync(join(dist, 'app.js'), 'console.log(1);\n'.repeat(200));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const app = express().use(webApp(dist));

/** The CSP header's directives, by name. */
function directives(header: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

describe('the web app', () => {
  it('compresses the app\'s files for browsers that accept gzip', async () => {
    const res = await request(app).get('/app.js').set('accept-encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.text).toBe('console.log(1);\n'.repeat(200));
  });

  it.each(['/', '/admin/users', '/index.html'])('serves %s with a Content-Security-Policy that allows no inline or foreign script', async (path) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(200);
    const csp = directives(res.headers['content-security-policy'] as string | undefined);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    // Same-origin scripts only; 'wasm-unsafe-eval' permits compiling WebAssembly (the in-browser model), not eval of text.
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    for (const values of csp.values()) {
      expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain("'unsafe-eval'");
    }
  });
});
