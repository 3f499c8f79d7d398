import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EpochStats, TrainConfig, type Weights } from './config';

const MAGIC = 'INKCKPT1';

const TensorEntry = z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), offset: z.number().int(), length: z.number().int() });

const Header = z.object({
  config: TrainConfig,
  /** Epochs completed; training resumes with epoch `epoch + 1`. */
  epoch: z.number().int().positive(),
  /** Optimizer steps taken so far (drives the lr schedule and Adam's bias correction). */
  step: z.number().int().nonnegative(),
  rng: z.array(z.number().int()).length(4),
  dataCount: z.number().int().positive(),
  history: z.array(EpochStats),
  early: z.object({ best: z.number(), bestEpoch: z.number().int(), stale: z.number().int() }),
  /** Weights, buffers and optimizer states (`<param>.m`, `<param>.v`). */
  tensors: z.array(TensorEntry),
  /** Weights of the best validation epoch, kept for early stopping's restoreBest. */
  best: z.array(TensorEntry),
});

export interface Checkpoint {
  readonly config: TrainConfig;
  readonly epoch: number;
  readonly step: number;
  readonly rng: number[];
  readonly dataCount: number;
  readonly history: EpochStats[];
  readonly early: { best: number; bestEpoch: number; stale: number };
  readonly tensors: Weights;
  readonly best: Weights;
}

function layout(w: Weights, start: number): { entries: z.infer<typeof TensorEntry>[]; end: number } {
  let offset = start;
  const entries = Object.entries(w).map(([name, t]) => {
    const e = { name, shape: [...t.shape], offset, length: t.data.length };
    offset += t.data.length;
    return e;
  });
  return { entries, end: offset };
}

/**
 * One file: magic, header length (u32 LE), JSON header, then every tensor's float32 data.
 * Written to a temporary name and renamed, so a crash never leaves a torn checkpoint.
 */
export function writeCheckpoint(dir: string, c: Checkpoint): string {
  mkdirSync(dir, { recursive: true });
  const a = layout(c.tensors, 0);
  const b = layout(c.best, a.end);
  const header = Buffer.from(
    JSON.stringify({ ...c, tensors: a.entries, best: b.entries } satisfies z.input<typeof Header>),
  );
  const floats = new Float32Array(b.end);
  for (const [w, entries] of [
    [c.tensors, a.entries],
    [c.best, b.entries],
  ] as const) {
    for (const e of entries) {
      const t = w[e.name];
      if (t) floats.set(t.data, e.offset);
    }
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const path = join(dir, `epoch-${String(c.epoch).padStart(4, '0')}.ckpt`);
  writeFileSync(`${path}.tmp`, Buffer.concat([Buffer.from(MAGIC), len, header, Buffer.from(floats.buffer)]));
  renameSync(`${path}.tmp`, path);
  return path;
}

export function readCheckpoint(path: string): Checkpoint {
  const buf = readFileSync(path);
  if (buf.subarray(0, MAGIC.length).toString() !== MAGIC) throw new Error(`${path} is not an Inkwell checkpoint`);
  const len = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  const h = Header.parse(JSON.parse(buf.subarray(start, start + len).toString()));
  const body = buf.subarray(start + len);
  // Copy into an aligned buffer: the file's float data starts at an arbitrary byte offset.
  const floats = new Float32Array(new Uint8Array(body).buffer);
  const take = (entries: z.infer<typeof TensorEntry>[]): Weights =>
    Object.fromEntries(entries.map((e) => [e.name, { shape: e.shape, data: floats.slice(e.offset, e.offset + e.length) }]));
  return {
    config: h.config,
    epoch: h.epoch,
    step: h.step,
    rng: h.rng,
    dataCount: h.dataCount,
    history: h.history,
    early: h.early,
    tensors: take(h.tensors),
    best: take(h.best),
  };
}
