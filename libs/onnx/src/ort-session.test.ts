import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder';
import { createOrtSession } from './ort-session';

function doubler(): Uint8Array {
  const g = new GraphBuilder('double');
  const x = g.input('x', 'float32', ['N']);
  const two = g.constant('float32', [], [2]);
  g.output(g.node('Mul', [x, two], {}, { outputs: ['y'] }), 'float32', ['N']);
  return g.toModel();
}

async function run(session: ort.InferenceSession): Promise<number[]> {
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2.5]), [2]) });
  return Array.from(out.y?.data as Float32Array);
}

describe('createOrtSession', () => {
  it('runs on CPU, silently, when CPU is asked for', async () => {
    const lines: string[] = [];
    const { session, provider } = await createOrtSession(doubler(), { log: (m) => lines.push(m) });
    expect([provider, await run(session), lines]).toEqual(['cpu', [2, 5], []]);
    await session.release();
  });

  // This machine's onnxruntime-node has no CUDA: asking for it must still give a working session.
  it.each(['cuda', 'tensorrt'] as const)('falls back from %s to CPU with exactly one clear log line', async (requested) => {
    const lines: string[] = [];
    const { session, provider } = await createOrtSession(doubler(), { provider: requested, log: (m) => lines.push(m) });
    expect(provider).toBe('cpu');
    expect(await run(session)).toEqual([2, 5]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^execution provider ${requested} unavailable \\(.+\\); using cpu$`));
    await session.release();
  });
});
