import { z } from 'zod';

/* `GET /api/models/{id}/misreads`: the test images behind one cell of a version's confusion matrix. */

const Digit = z.coerce.number().int().min(0).max(9);

export const ModelMisreadsQuery = z
  .object({
    /** The row of the confusion matrix: the image's true digit. */
    true: Digit,
    /** The column: what the version read it as (equal to `true`: the images it read correctly). */
    predicted: Digit,
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ModelMisreadsQuery = z.infer<typeof ModelMisreadsQuery>;

export const ModelMisreads = z.object({
  test_set: z.string(),
  true: z.int().min(0).max(9),
  predicted: z.int().min(0).max(9),
  /** Every test image in this cell (the confusion count), of which `items` are the first `limit`. */
  total: z.int().nonnegative(),
  items: z.array(
    z.object({
      /** The image's position in the test set (0-based). */
      index: z.int().nonnegative(),
      /** The 28x28 image as a grayscale PNG, dark ink on white, base64. */
      png_b64: z.string(),
    }),
  ),
});
export type ModelMisreads = z.infer<typeof ModelMisreads>;
