/* Renders a fixture (the comparison, or with `benchmark` the benchmark) and prints each file's
 * sha256 as JSON: the determinism tests run this in a child process with another time zone and locale. */
import { createHash } from 'node:crypto';
import { benchmarkDocuments } from '../benchmark/benchmark-report';
import { comparisonDocuments } from '../comparison/comparison-report';
import { loadFonts } from '../render/load-fonts';
import { renderAll } from '../render/render-report';
import { benchmarkFixture } from './benchmark-fixture';
import { comparisonFixture } from './comparison-fixture';

const views = process.argv[3] === 'benchmark' ? benchmarkDocuments(benchmarkFixture()) : comparisonDocuments(comparisonFixture());
const files = await renderAll(views, await loadFonts(process.argv[2] ?? 'apps/report/assets/fonts'));
process.stdout.write(JSON.stringify(Object.fromEntries(files.map((f) => [`${f.view}.${f.format}`, createHash('sha256').update(f.bytes).digest('hex')]))));
