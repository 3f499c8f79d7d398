/**
 * Differential run of the preprocessing pipeline: the working tree's against a git ref's, on every
 * labelled image the repository generates (labelled-images.ts), each read by the default ensemble.
 * Prints, per category, how many each pipeline reads right, how many outputs differ, and every
 * image the working tree reads wrong where the base read it right. A pipeline version bump should
 * come with this run against the last version's commit.
 *
 *   nice -n 10 npx tsx bench/imaging-diff/main.ts [--base HEAD] [--scale 1] [--seed 1] [--models models]
 */
import { parseArgs } from 'node:util';
import { isAppError } from '@inkwell/contracts';
import { PREPROCESS_VERSION, preprocess } from '@inkwell/imaging';
import { type Preprocess, basePipeline } from './base-pipeline';
import { type Reading, loadEnsemble } from './ensemble';
import { labelledImages } from './labelled-images';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD' },
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    models: { type: 'string', default: 'models' },
  },
});

interface Outcome {
  readonly pixels: Float32Array | null;
  /** The reading, or the error code when the pipeline refused the image. */
  readonly answer: Reading | string;
}

const show = (o: Outcome): string => (typeof o.answer === 'string' ? o.answer : `${o.answer.digit} (${o.answer.confidence.toFixed(2)})`);
const right = (o: Outcome, label: number): boolean => typeof o.answer !== 'string' && o.answer.digit === label;
const same = (a: Outcome, b: Outcome): boolean =>
  a.pixels === null || b.pixels === null ? show(a) === show(b) : a.pixels.length === b.pixels.length && a.pixels.every((v, i) => v === b.pixels?.[i]);

async function main(): Promise<void> {
  const base = await basePipeline(args.base);
  const read = await loadEnsemble(args.models);
  const run = async (pipeline: Preprocess, bytes: Uint8Array): Promise<Outcome> => {
    try {
      const { pixels } = await pipeline(bytes);
      return { pixels, answer: await read(pixels) };
    } catch (e) {
      if (!isAppError(e)) throw e;
      return { pixels: null, answer: e.code };
    }
  };

  const images = await labelledImages(Number(args.scale), Number(args.seed));
  console.log(`base ${args.base} (${base.commit.slice(0, 10)}) against the working tree (${PREPROCESS_VERSION}): ${images.length} images`);
  const rows = new Map<string, { n: number; base: number; now: number; differ: number; fixed: number; broken: number }>();
  const broken: string[] = [];
  for (const image of images) {
    const before = await run(base.preprocess, image.bytes);
    const after = await run(preprocess, image.bytes);
    const row = rows.get(image.category) ?? { n: 0, base: 0, now: 0, differ: 0, fixed: 0, broken: 0 };
    const [was, is] = [right(before, image.label), right(after, image.label)];
    row.n++;
    row.base += was ? 1 : 0;
    row.now += is ? 1 : 0;
    row.differ += same(before, after) ? 0 : 1;
    row.fixed += !was && is ? 1 : 0;
    row.broken += was && !is ? 1 : 0;
    if (was && !is) broken.push(`${image.category} ${image.name} (label ${image.label}): base ${show(before)}, now ${show(after)}`);
    rows.set(image.category, row);
  }

  const total = { n: 0, base: 0, now: 0, differ: 0, fixed: 0, broken: 0 };
  const table = [['category', 'images', 'base right', 'now right', 'outputs differ', 'fixed', 'broken']];
  for (const [category, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    table.push([category, ...[r.n, r.base, r.now, r.differ, r.fixed, r.broken].map(String)]);
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
  }
  table.push(['total', ...[total.n, total.base, total.now, total.differ, total.fixed, total.broken].map(String)]);
  const widths = (table[0] ?? []).map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  for (const r of table) console.log(r.map((v, c) => (c === 0 ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join('  '));
  console.log(`\nread right: base ${total.base}, now ${total.now} of ${total.n} (${(total.now / Math.max(1, total.base)).toFixed(3)}x)`);
  console.log(broken.length === 0 ? 'nothing the base read right is read wrong now' : `read wrong now, right at the base (${broken.length}):\n  ${broken.join('\n  ')}`);
}

void main();
