// Times augmentation of the full MNIST training set on one core: `nice -n 10 npx tsx bench/ml-data/augment.ts`
import { augmentSet, loadMnist, Rng } from '@inkwell/ml-data';

const train = loadMnist('train');
for (const [name, opts] of [
  ['affine (shift 2px, rot 10deg, scale 0.9-1.1)', {}],
  ['affine + elastic (alpha 1.5, sigma 5)', { elastic: { alpha: 1.5, sigma: 5 } }],
] as const) {
  augmentSet(train, new Rng(0), opts); // warm-up (JIT)
  const t0 = performance.now();
  augmentSet(train, new Rng(1), opts);
  console.log(`${name}: ${train.count} digits in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}
