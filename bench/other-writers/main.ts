/**
 * Issue 28's other-writers check on generated fixtures (makeOtherWriters: low-resolution digits
 * by the stroke model's writers, and MNIST TEST digits degraded the same way): for each subset,
 * how many the working tree's pipeline + default ensemble reads right and how many of its answers
 * are uncertain, next to a git ref's pipeline (today's, by default) and the plain seed-004 design
 * (Otsu, box, centre of mass, one CNN). Tune on one seed, report on another (--seed).
 *
 *   nice -n 10 npx tsx bench/other-writers/main.ts [--count 300] [--seed 2] [--base 09b648e] [--models models] [--member cnn-f-v1] [--misses]
 */
import { parseArgs } from 'node:util';
import { isAppError } from '@inkwell/contracts';
import { OTHER_WRITER_SOURCES, PREPROCESS_VERSION, makeOtherWriters, preprocess } from '@inkwell/imaging';
import { type Preprocess, basePipeline } from '../imaging-diff/base-pipeline';
import { loadEnsemble } from '../imaging-diff/ensemble';
import { loadMember, seed004Pixels } from './seed004';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '300' },
    seed: { type: 'string', default: '2' },
    base: { type: 'string', default: '09b648e' },
    models: { type: 'string', default: 'models' },
    member: { type: 'string', default: 'cnn-f-v1' },
    misses: { type: 'boolean', default: false },
  },
});

/** The read service's rule (read.service.ts): uncertain below 0.7, or several digits, or no digit-like shape. */
const UNCERTAIN_BELOW = 0.7;

interface Tally {
  right: number;
  uncertain: number;
  refused: number;
}

async function main(): Promise<void> {
  const base = await basePipeline(args.base);
  const ensemble = await loadEnsemble(args.models);
  const member = await loadMember(args.models, args.member);
  const withEnsemble = async (pipeline: Preprocess, bytes: Uint8Array, label: number, t: Tally): Promise<string> => {
    try {
      const pre = await pipeline(bytes);
      const r = await ensemble(pre.pixels);
      t.right += r.digit === label ? 1 : 0;
      t.uncertain += r.confidence < UNCERTAIN_BELOW || pre.separateDigitCandidates >= 2 || !pre.digitLike ? 1 : 0;
      return `${r.digit} (${r.confidence.toFixed(2)})`;
    } catch (e) {
      if (!isAppError(e)) throw e;
      t.refused++;
      return e.code;
    }
  };

  console.log(`seed ${args.seed}; base ${args.base} (${base.commit.slice(0, 10)}) vs working tree (${PREPROCESS_VERSION}); seed-004 reads with ${args.member}`);
  const rows: string[][] = [['subset', 'images', 'base right', 'base uncertain', 'now right', 'now uncertain', 'now refused', 'seed-004 right']];
  const pct = (k: number, n: number): string => `${k} (${((100 * k) / Math.max(1, n)).toFixed(1)} %)`;
  for (const source of OTHER_WRITER_SOURCES) {
    const fixtures = await makeOtherWriters({ count: Number(args.count), seed: Number(args.seed), source });
    const tally = (): Tally => ({ right: 0, uncertain: 0, refused: 0 });
    const [was, now, plain] = [tally(), tally(), tally()];
    const styles = new Map<string, { n: number; now: number; base: number }>();
    for (const f of fixtures) {
      const before = was.right;
      const after = now.right;
      await withEnsemble(base.preprocess, f.bytes, f.label, was);
      const answer = await withEnsemble(preprocess, f.bytes, f.label, now);
      const r = await member(await seed004Pixels(f.bytes));
      plain.right += r.digit === f.label ? 1 : 0;
      const key = `${f.label}:${f.style}`;
      const s = styles.get(key) ?? { n: 0, now: 0, base: 0 };
      s.n++;
      s.now += now.right - after;
      s.base += was.right - before;
      styles.set(key, s);
      if (args.misses && now.right === after) console.log(`  miss ${f.name} (label ${f.label}, ${f.look.scanHeight}->${f.look.height} px): ${answer}`);
    }
    const n = fixtures.length;
    rows.push([source, String(n), pct(was.right, n), String(was.uncertain), pct(now.right, n), String(now.uncertain), String(now.refused), pct(plain.right, n)]);
    if (source === 'strokes') {
      console.log(`per style (now / base of n): ${[...styles].sort(([a], [b]) => a.localeCompare(b)).map(([k, s]) => `${k} ${s.now}/${s.base}/${s.n}`).join(', ')}`);
    }
  }
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) console.log(r.map((v, c) => (c === 0 ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join('  '));
}

void main();
