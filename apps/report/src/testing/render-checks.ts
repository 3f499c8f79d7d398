import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HtmlValidate } from 'html-validate';
import { PDFDocument } from 'pdf-lib';
import type { RenderedFile } from '../render/render-report';

/* What the render tests of every report kind check the same way: hashes, PDFs, HTML validity. */

export const run = promisify(execFile);
export const FONT_DIR = 'apps/report/assets/fonts';
export const VIEWS = ['technical', 'simple'] as const;

/** `view.format` -> sha256 of the file's bytes. */
export const fileHashes = (files: readonly RenderedFile[]): Record<string, string> =>
  Object.fromEntries(files.map((f) => [`${f.view}.${f.format}`, createHash('sha256').update(f.bytes).digest('hex')]));

export const fileText = (f: RenderedFile | undefined): string => new TextDecoder().decode(f?.bytes);

export const fileOf = (files: readonly RenderedFile[], view: string, format: string): RenderedFile | undefined => files.find((f) => f.view === view && f.format === format);

/** The same hashes computed in a child process under another time zone and locale (`print-hashes.ts`). */
export async function hashesInTokyo(...args: readonly string[]): Promise<Record<string, string>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'apps/report/src/testing/print-hashes.ts', FONT_DIR, ...args], {
    env: { ...process.env, TZ: 'Asia/Tokyo', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
  });
  return JSON.parse(stdout) as Record<string, string>;
}

type View = (typeof VIEWS)[number];

export interface PdfCheck {
  /** pdftotext -layout of the whole file. */
  readonly text: string;
  readonly created: string | undefined;
  readonly producer: string | undefined;
  readonly pages: number;
  /** Pages pdftoppm rendered to images. */
  readonly rendered: number;
  /** pdffonts' listing. */
  readonly fonts: string;
}

/**
 * Each view's PDF: written to `dir`, rendered page by page with pdftoppm (every page must render),
 * fonts embedded; answers its creation date and producer, and its text by pdftotext, per view.
 */
export async function checkPdfs(files: readonly RenderedFile[], dir: string): Promise<Record<View, PdfCheck>> {
  const out: Partial<Record<View, PdfCheck>> = {};
  for (const view of VIEWS) {
    const pdf = fileOf(files, view, 'pdf');
    if (!pdf) throw new Error(`no ${view} pdf`);
    const path = join(dir, `${view}.pdf`);
    writeFileSync(path, pdf.bytes);
    const doc = await PDFDocument.load(pdf.bytes, { updateMetadata: false });
    await run('pdftoppm', ['-r', '30', '-png', path, join(dir, `${view}-page`)]);
    const rendered = readdirSync(dir).filter((f) => f.startsWith(`${view}-page`) && f.endsWith('.png')).length;
    out[view] = {
      text: (await run('pdftotext', ['-layout', path, '-'])).stdout,
      created: doc.getCreationDate()?.toISOString(),
      producer: doc.getProducer(),
      pages: doc.getPageCount(),
      rendered,
      fonts: (await run('pdffonts', [path])).stdout,
    };
  }
  return out as Record<View, PdfCheck>;
}

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

/** html-validate's messages (recommended rules) for one document; [] when valid. */
export async function htmlProblems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`));
}
