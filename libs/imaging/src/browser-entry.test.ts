import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The web app bundles @inkwell/imaging/browser; a node-only import reaching it (sharp, node:*,
// pino) would break the web build or ship a dead module. Nothing is marked external here, so
// esbuild must resolve every import for a browser or fail.
describe('@inkwell/imaging/browser', () => {
  it('bundles for the browser with no node-only module', async () => {
    const entry = new URL('./browser.ts', import.meta.url).pathname;
    const result = await build({ entryPoints: [entry], platform: 'browser', format: 'esm', bundle: true, write: false, metafile: true, logLevel: 'silent' });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((p) => /node_modules\/(sharp|pino|@img)\//.test(p) || p.startsWith('node:'))).toEqual([]);
    const code = result.outputFiles.map((f) => f.text).join('');
    // Comments may name sharp (pipeline-params explains the early shrink); code may not load it.
    expect(code).not.toMatch(/(from|import|require)\s*\(?\s*["'](sharp|node:[\w/]+|pino)["']/);
    expect(code).toContain('function preprocessGray');
  });

  it('refuses a module that imports sharp (so the check above can fail)', async () => {
    const bundle = build({
      stdin: { contents: "import sharp from 'sharp'; export const s = sharp;", resolveDir: new URL('.', import.meta.url).pathname, loader: 'ts' },
      platform: 'browser',
      bundle: true,
      write: false,
      logLevel: 'silent',
    });
    // sharp's entry requires node builtins (child_process, fs...), which a browser build cannot resolve.
    await expect(bundle).rejects.toThrow();
  });
});
