import { digitAt } from '@inkwell/ml-data';
import { mnistTestSet } from '../fixtures/mnist-test-set';
import { preprocess } from '../preprocess';
import { preprocessGray } from '../preprocess-core';
import { correlation } from './draw';

/**
 * For each generated image of an MNIST test digit, the correlation of its pipeline output with
 * what the MNIST original itself comes out as; 0 where the image is refused.
 */
export async function correlationsWithSource(images: readonly { readonly bytes: Uint8Array; readonly mnistIndex: number }[]): Promise<number[]> {
  const test = mnistTestSet();
  const scores: number[] = [];
  for (const image of images) {
    const source = preprocessGray({ data: digitAt(test, image.mnistIndex), width: 28, height: 28 }, { center: true }).pixels;
    scores.push(
      await preprocess(image.bytes).then(
        (r) => correlation(r.pixels, source),
        () => 0,
      ),
    );
  }
  return scores;
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
