import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { INT8_MODEL_FILE, type ActivationEngine } from '@inkwell/contracts';
import { MODEL_FILE, sha256Of } from '@inkwell/model-artifacts';
import { quantizeDynamicInt8 } from '@inkwell/onnx';

export type Int8File = ActivationEngine['files'][number];

/** What was written for one member: the file inference loads, and its size (compared with the benchmark's). */
export interface Int8Copy extends Int8File {
  readonly bytes: number;
}

/**
 * Each version folder's int8 copy, `model.int8.onnx` beside its `model.onnx`, made by the same
 * quantizer the benchmark measured (deterministic: the same float bytes give the same int8 bytes,
 * so a copy already there is rewritten with identical bytes). Written under a temporary name and
 * renamed, so a replica never reads half a file; inference checks the SHA-256 recorded here.
 */
export async function writeInt8Copies(folders: readonly string[]): Promise<Int8Copy[]> {
  const out: Int8Copy[] = [];
  for (const dir of folders) {
    const { bytes } = quantizeDynamicInt8(new Uint8Array(await readFile(join(dir, MODEL_FILE))));
    const target = join(dir, INT8_MODEL_FILE);
    const temp = join(dir, `.${INT8_MODEL_FILE}.${process.pid}.${Date.now()}`);
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    out.push({ file: INT8_MODEL_FILE, sha256: sha256Of(bytes), bytes: bytes.length });
  }
  return out;
}
