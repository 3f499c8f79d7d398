import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalize } from '@inkwell/imaging';
import { EnsembleManifest } from '@inkwell/model-artifacts';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';

const Manifest = z.object({ normalization: z.object({ mean: z.number(), std: z.number() }) });

export interface Reading {
  readonly digit: number;
  readonly confidence: number;
}

/** The default ensemble from a models folder: the mean of its members' calibrated probabilities. */
export async function loadEnsemble(models: string): Promise<(pixels: Float32Array) => Promise<Reading>> {
  const ensemble = EnsembleManifest.parse(JSON.parse(readFileSync(join(models, 'ensemble.json'), 'utf8')));
  const members = await Promise.all(
    ensemble.members.map(async (id) => ({
      session: await ort.InferenceSession.create(join(models, id, 'model.onnx'), { intraOpNumThreads: 1 }),
      normalization: Manifest.parse(JSON.parse(readFileSync(join(models, id, 'manifest.json'), 'utf8'))).normalization,
    })),
  );
  return async (pixels) => {
    const mean = new Float32Array(10);
    for (const m of members) {
      const out = await m.session.run({ image: new ort.Tensor('float32', normalize(pixels, m.normalization), [1, 1, 28, 28]) });
      const probs = out['probs']?.data;
      if (!(probs instanceof Float32Array)) throw new Error('a member has no float "probs" output');
      for (let k = 0; k < 10; k++) mean[k] = (mean[k] ?? 0) + (probs[k] ?? 0) / members.length;
    }
    let digit = 0;
    for (let k = 1; k < 10; k++) if ((mean[k] ?? 0) > (mean[digit] ?? 0)) digit = k;
    return { digit, confidence: mean[digit] ?? 0 };
  };
}
