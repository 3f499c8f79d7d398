import { layoutChart, type ChartShape, type Rgb } from './chart-layout';
import { formatNumber, formatTimestamp } from './format';
import type { ReportChart, ReportDocument, ReportSection, ReportTable } from './report-document';

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 14px; color: #222; max-width: 960px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; margin: 0.8em 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; }
th { background: #f2f2f2; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; }
figcaption { font-size: 0.9em; color: #555; }
`;

const rgb = (c: Rgb): string => `rgb(${c[0]},${c[1]},${c[2]})`;
const n2 = (v: number): string => formatNumber(v, 2);
const NUMERIC = /^[+-]?\d+(\.\d+)?( %| pt| ms| MB)?$/;

function svgShape(s: ChartShape): string {
  switch (s.type) {
    case 'line':
      return `<line x1="${n2(s.x1)}" y1="${n2(s.y1)}" x2="${n2(s.x2)}" y2="${n2(s.y2)}" stroke="${rgb(s.color)}" stroke-width="${n2(s.width)}"/>`;
    case 'rect':
      return `<rect x="${n2(s.x)}" y="${n2(s.y)}" width="${n2(s.w)}" height="${n2(s.h)}" fill="${rgb(s.color)}"/>`;
    case 'polyline':
      return `<polyline points="${s.points.map(([x, y]) => `${n2(x)},${n2(y)}`).join(' ')}" fill="none" stroke="${rgb(s.color)}" stroke-width="${n2(s.width)}"/>`;
    case 'text':
      return `<text x="${n2(s.x)}" y="${n2(s.y)}" font-size="${n2(s.size)}" text-anchor="${s.anchor}">${escapeHtml(s.text)}</text>`;
  }
}

/** The chart as inline SVG (the same shapes the PDF draws). */
export function renderSvg(chart: ReportChart): string {
  const l = layoutChart(chart);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${l.width} ${l.height}" width="${l.width}" height="${l.height}" role="img" aria-label="${escapeHtml(chart.title)}">`,
    ...l.shapes.map(svgShape),
    '</svg>',
  ].join('\n');
}

function table(t: ReportTable): string {
  const head = `<tr>${t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td${NUMERIC.test(c) ? ' class="num"' : ''}>${escapeHtml(c)}</td>`)).join('')}</tr>`);
  return [`<table id="table-${escapeHtml(t.id)}">`, `<caption>${escapeHtml(t.title)}</caption>`, `<thead>${head}</thead>`, '<tbody>', ...body, '</tbody>', '</table>'].join('\n');
}

function sectionHtml(s: ReportSection): string {
  const parts = [`<section id="section-${escapeHtml(s.id)}">`, `<h2>${escapeHtml(s.heading)}</h2>`];
  for (const p of s.paragraphs) parts.push(`<p>${escapeHtml(p)}</p>`);
  if (s.list) {
    const tag = s.list.ordered ? 'ol' : 'ul';
    parts.push(`<${tag}>`, ...s.list.items.map((i) => `<li>${escapeHtml(i)}</li>`), `</${tag}>`);
  }
  for (const t of s.tables) parts.push(table(t));
  for (const c of s.charts) parts.push('<figure>', renderSvg(c), `<figcaption>${escapeHtml(c.title)}</figcaption>`, '</figure>');
  parts.push('</section>');
  return parts.join('\n');
}

/** A complete HTML5 document: inline style, no scripts, no external resources. */
export function renderHtml(doc: ReportDocument): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p>Record time: <time datetime="${escapeHtml(formatTimestamp(doc.created_at))}">${escapeHtml(formatTimestamp(doc.created_at))}</time></p>`,
    '<dl class="meta">',
    ...doc.meta.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`),
    '</dl>',
    ...doc.sections.map(sectionHtml),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
