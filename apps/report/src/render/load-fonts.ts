import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportFonts } from './report-pdf';

/** DejaVu Sans regular and bold from the service's font folder (REPORT_FONT_DIR). */
export async function loadFonts(dir: string): Promise<ReportFonts> {
  const [regular, bold] = await Promise.all([readFile(join(dir, 'DejaVuSans.ttf')), readFile(join(dir, 'DejaVuSans-Bold.ttf'))]);
  return { regular: new Uint8Array(regular), bold: new Uint8Array(bold) };
}
