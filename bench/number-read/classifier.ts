import { normalizeForModel, preprocessGray } from "@inkwell/imaging";
import { digitAt, loadMnist } from "@inkwell/ml-data";
import {
  createOrtSession,
  readArtifact,
  readEnsemble,
} from "@inkwell/model-artifacts";
import * as ort from "onnxruntime-node";

/** 28x28 inputs -> 10 probabilities each: the mean of the members' probabilities, as the engine's workers combine them (TTA off, the service's default). */
export type Classify = (
  images: readonly Float32Array[],
) => Promise<Float32Array[]>;

export interface Member {
  readonly modelPath: string;
  readonly normalization: { readonly mean: number; readonly std: number };
}

/** The members named by `root/ensemble.json`. */
export async function ensembleMembers(
  root: string,
): Promise<{ members: Member[]; name: string }> {
  const ensemble = readEnsemble(root);
  if (ensemble === null) throw new Error(`${root} has no ensemble.json`);
  const members = await Promise.all(
    ensemble.members.map(async (id) => readArtifact(root, id)),
  );
  return {
    members: members.map((a) => ({
      modelPath: a.modelPath,
      normalization: a.manifest.normalization,
    })),
    name: ensemble.ensemble_id,
  };
}

/** The members as one classifier. */
export async function loadClassifier(
  specs: readonly Member[],
): Promise<Classify> {
  const members = await Promise.all(
    specs.map(async (spec) => {
      const { session } = await createOrtSession(spec.modelPath, {
        intraOpThreads: 1,
      });
      return { session, normalization: spec.normalization };
    }),
  );
  return async (images) => {
    const n = images.length;
    if (n === 0) return [];
    const mean = new Float32Array(n * 10);
    for (const m of members) {
      const input = new Float32Array(n * 784);
      images.forEach((px, i) =>
        input.set(normalizeForModel(px, m.normalization), i * 784),
      );
      const out = await m.session.run({
        image: new ort.Tensor("float32", input, [n, 1, 28, 28]),
      });
      const probs = out["probs"]?.data;
      if (!(probs instanceof Float32Array))
        throw new Error('a member has no float "probs" output');
      for (let i = 0; i < mean.length; i++)
        mean[i] = (mean[i] ?? 0) + (probs[i] ?? 0) / members.length;
    }
    return images.map((_, i) => mean.slice(i * 10, i * 10 + 10));
  };
}

/** MNIST test digits (of the first `scan`) the classifier reads right with at least `minConfidence`, as number-read.test.ts picks its pool. */
export async function confidentPool(
  classify: Classify,
  scan: number,
  minConfidence: number,
): Promise<number[]> {
  const test = loadMnist("test");
  const images = Array.from(
    { length: scan },
    (_, i) =>
      preprocessGray(
        { data: digitAt(test, i), width: 28, height: 28 },
        { invert: true, center: true },
      ).pixels,
  );
  const probs: Float32Array[] = [];
  for (let i = 0; i < images.length; i += 500)
    probs.push(...(await classify(images.slice(i, i + 500))));
  return probs.flatMap((p, i) => {
    const best = p.indexOf(Math.max(...p));
    return best === test.labels[i] && (p[best] ?? 0) >= minConfidence
      ? [i]
      : [];
  });
}
