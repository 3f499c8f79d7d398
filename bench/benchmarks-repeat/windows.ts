/**
 * Where a benchmark cell's noise comes from: one engine at one batch size, run back to back in
 * short windows, printing each window's throughput (issue 23, done-when 6 investigation).
 *   npx tsx bench/benchmarks-repeat/windows.ts [--engine ort-cpu|ort-cpu-int8|ort-wasm] [--threads 1] [--batch 1] [--window 0.25] [--seconds 10]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchmarkEngineSpec } from '@inkwell/contracts';
import { mnistTest } from '@inkwell/model-artifacts';
import { buildEngine, type MemberModel } from '../../apps/trainer/src/benchmarks/engine-sessions';
import { int8Members } from '../../apps/trainer/src/benchmarks/int8-variant';
import { batchInputs } from '../../apps/trainer/src/benchmarks/measure-cell';

const { values } = parseArgs({ options: { engine: { type: 'string', default: 'ort-cpu' }, threads: { type: 'string', default: '1' }, batch: { type: 'string', default: '1' }, window: { type: 'string', default: '0.25' }, seconds: { type: 'string', default: '10' }, builds: { type: 'string', default: '1' }, models: { type: 'string', default: 'models' } } });
const ensemble = JSON.parse(readFileSync(join(values.models, 'ensemble.json'), 'utf8')) as { members: string[] };
let members: MemberModel[] = ensemble.members.map((name) => {
  const m = JSON.parse(readFileSync(join(values.models, name, 'manifest.json'), 'utf8')) as { input_name: string; output_name: string; normalization: { mean: number; std: number } };
  return { name, bytes: new Uint8Array(readFileSync(join(values.models, name, 'model.onnx'))), inputName: m.input_name, outputName: m.output_name, normalization: m.normalization };
});
const spec = { engine: values.engine, threads: Number(values.threads) } as BenchmarkEngineSpec;
if (spec.engine === 'ort-cpu-int8') members = int8Members(members).members;
const batch = Number(values.batch);
const inputs = batchInputs(mnistTest(), members, batch);
for (let b = 0; b < Number(values.builds); b++) {
  const runner = await buildEngine(spec, members);
  const line: string[] = [];
  const end = performance.now() + Number(values.seconds) * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    let runs = 0;
    let busy = 0;
    while (performance.now() - t0 < Number(values.window) * 1000) {
      const s = performance.now();
      await runner.run(inputs, batch);
      busy += performance.now() - s;
      runs++;
      await new Promise((r) => setImmediate(r));
    }
    line.push(((runs * batch * 1000) / busy).toFixed(0));
  }
  console.log(`${values.engine}@${values.threads}t b${String(batch)} build ${String(b + 1)}: ${line.join(' ')}`);
  await runner.release();
}
