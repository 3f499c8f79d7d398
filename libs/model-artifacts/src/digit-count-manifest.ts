import { z } from 'zod';

/**
 * The digit-count model number mode uses beside the digit models: from the same 28x28 input, how
 * many digits a piece of ink holds. Its network is the digit models' (ten outputs, as every
 * exported network has); it is trained with labels 0-3 only, so the outputs named in `classes`
 * carry the probability and the rest stay near zero.
 */
export const DigitCountManifest = z.object({
  schema_version: z.literal(1),
  model_id: z.string().min(1),
  /** Output index -> meaning: 0 a fragment of a digit, 1 one digit, 2 two, 3 three or more. */
  classes: z.tuple([z.literal('fragment'), z.literal('one'), z.literal('two'), z.literal('three_or_more')]),
  normalization: z.object({ mean: z.number(), std: z.number().positive() }),
  /** What `npm run models:number-count` trained it from; `recipe_hash` is the sha256 of its canonical JSON. */
  recipe: z.record(z.string(), z.unknown()),
  recipe_hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The image pipeline its examples went through (PREPROCESS_HASH): a changed pipeline means a rebuild. */
  preprocess_hash: z.string().min(1),
  /** Share of the validation seed's examples whose most likely class is right. */
  val_accuracy: z.number().min(0).max(1),
  examples: z.object({ train: z.number().int().nonnegative(), val: z.number().int().nonnegative() }),
  /** sha256 of model.onnx beside it. */
  onnx_sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DigitCountManifest = z.infer<typeof DigitCountManifest>;
