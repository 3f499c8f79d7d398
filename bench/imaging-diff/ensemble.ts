import { normalizeForModel } from '@inkwell/imaging';
import { createOrtSession, readArtifact, readEnsemble } from '@inkwell/model-artifacts';
import * as ort from 'onnxruntime-node';

export interface Reading {
  readonly digit: number;
  readonly confidence: number;
}

/** The default ensemble from a models folder: the mean of its members' calibrated probabilities. */
export async function loadEnsemble(models: string): Promise<(pixels: Float32Array) => Promise<Reading>> {
  const ensemble = readEnsemble(models);
  if (ensemble === null) throw new Error(`${models} has no ensemble.json`);
  const members = await Promise.all(
    ensemble.members.map(async (id) => {
      const artifact = await readArtifact(models, id);
      const { session } = await createOrtSession(artifact.modelPath, { intraOpThreads: 1 });
      return { session, normalization: artifact.manifest.normalization };
    }),
  );
  return async (pixels) => {
    const mean = new Float32Array(10);
    for (const m of members) {
      const out = await m.session.run({ image: new ort.Tensor('float32', normalizeForModel(pixels, m.normalization), [1, 1, 28, 28]) });
      const probs = out['probs']?.data;
      if (!(probs instanceof Float32Array)) throw new Error('a member has no float "probs" output');
      for (let k = 0; k < 10; k++) mean[k] = (mean[k] ?? 0) + (probs[k] ?? 0) / members.length;
    }
    let digit = 0;
    for (let k = 1; k < 10; k++) if ((mean[k] ?? 0) > (mean[digit] ?? 0)) digit = k;
    return { digit, confidence: mean[digit] ?? 0 };
  };
}
