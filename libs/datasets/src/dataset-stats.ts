import { z } from 'zod';
import { IMAGE_BYTES } from './digit-record';

/** Statistics stored with a dataset and returned by the API. */
export const DatasetStats = z.object({
  count: z.number().int().nonnegative(),
  /** Digits per class, index = label. */
  class_counts: z.array(z.number().int().nonnegative()).length(10),
  /** Mean pixel value (0..255) at each of the 784 positions, row-major. */
  mean_image: z.array(z.number()).length(IMAGE_BYTES),
  /** How many pixels of all images take each value 0..255. */
  pixel_histogram: z.array(z.number().int().nonnegative()).length(256),
  /** Images identical to an earlier one (the first copy is not counted). */
  duplicate_count: z.number().int().nonnegative(),
});
export type DatasetStats = z.infer<typeof DatasetStats>;

/** Accumulates the stats one digit at a time, in fixed memory (float64 sums: exact past 2^32). */
export class StatsAccumulator {
  private count = 0;
  private duplicates = 0;
  private readonly classCounts = new Float64Array(10);
  private readonly pixelSums = new Float64Array(IMAGE_BYTES);
  private readonly histogram = new Float64Array(256);

  add(label: number, pixels: Uint8Array, duplicate: boolean): void {
    this.count++;
    if (duplicate) this.duplicates++;
    this.classCounts[label] = (this.classCounts[label] ?? 0) + 1;
    for (let p = 0; p < IMAGE_BYTES; p++) {
      const v = pixels[p] as number;
      this.pixelSums[p] = (this.pixelSums[p] as number) + v;
      this.histogram[v] = (this.histogram[v] as number) + 1;
    }
  }

  result(): DatasetStats {
    const n = this.count;
    return DatasetStats.parse({
      count: n,
      class_counts: [...this.classCounts],
      mean_image: [...this.pixelSums].map((s) => (n === 0 ? 0 : s / n)),
      pixel_histogram: [...this.histogram],
      duplicate_count: this.duplicates,
    });
  }
}
