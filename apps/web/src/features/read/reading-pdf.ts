import { t } from '../../i18n/i18n';
import { percent, topThree, visualPng, type Reading } from './reading';

/** At most `max` characters, the last one "…" when cut (WinAnsi has it, so it survives `encodable`). */
const clip = (s: string, max: number): string => {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
};

/**
 * pdf-lib's standard fonts encode WinAnsi only; anything else (a file name in another script)
 * would make drawText throw, so it is shown as "?". The font's own character set decides, so the
 * typographic characters WinAnsi does have (… ’ – € and the like) are kept.
 */
function encodable(charset: readonly number[]): (s: string) => string {
  const ok = new Set(charset);
  return (s) => Array.from(s, (c) => (ok.has(c.codePointAt(0) ?? -1) ? c : '?')).join('');
}

/**
 * The reading as a one-page PDF: title, digit, confidence, top 3, the uncertain hint, model, time,
 * file, and the 28x28 image the model read. pdf-lib (~200 KB gzipped) loads only here, on the
 * first click, so it never weighs on the reader's first load.
 */
export async function readingPdf(r: Reading): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const res = r.response;
  const title = t('read.pdf.title');
  doc.setTitle(`${title}: ${t('read.pdf.digit', { digit: res.digit })}`);
  doc.setSubject(t('read.pdf.confidence', { percent: percent(res.confidence) }));
  doc.setCreator('Inkwell');
  doc.setCreationDate(new Date(r.readAt));

  const page = doc.addPage([595.28, 841.89]); // A4, in points
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const winAnsi = encodable(regular.getCharacterSet());
  const ink = rgb(0.06, 0.09, 0.16);
  const left = 56;
  let y = 780;
  const line = (text: string, size = 12, font = regular, color = ink): void => {
    page.drawText(winAnsi(text), { x: left, y, size, font, color });
    y -= size * 1.6;
  };

  line(title, 22, bold);
  y -= 8;
  line(t('read.pdf.digit', { digit: res.digit }), 40, bold);
  line(t('read.pdf.confidence', { percent: percent(res.confidence) }), 14);
  const top = topThree(res.probs).map((c) => t('read.result.top3Item', { digit: c.digit, percent: percent(c.prob) }));
  line(t('read.pdf.top3', { list: top.join(', ') }), 12);
  if (res.uncertain) line(t('read.result.uncertain'), 12, bold, rgb(0.55, 0.25, 0));
  y -= 6;
  line(t('read.pdf.model', { model: clip(res.model_id, 80) }), 10);
  line(t('read.pdf.time', { time: new Date(r.readAt).toISOString() }), 10);
  line(t('read.pdf.file', { name: clip(r.fileName, 80) }), 10);

  const png = visualPng(r);
  if (png) {
    y -= 10;
    line(t('read.pdf.processed'), 10);
    const image = await doc.embedPng(png);
    const side = 140; // 5 points per pixel: large enough to see each one
    page.drawImage(image, { x: left, y: y - side + 10, width: side, height: side });
  }
  return doc.save();
}
