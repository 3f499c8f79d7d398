import { z } from 'zod';

/**
 * What detection found, enough for a reader to stream the files: stored with the upload and passed
 * to the validation job, so it is a schema too.
 */
export const DetectedDataset = z.discriminatedUnion('format', [
  z.object({ format: z.literal('idx'), images: z.string(), labels: z.string() }),
  z.object({ format: z.literal('csv'), path: z.string(), header: z.boolean() }),
  z.object({ format: z.literal('npy'), images: z.string(), labels: z.string() }),
  z.object({ format: z.literal('zip'), path: z.string() }),
]);
export type DetectedDataset = z.infer<typeof DetectedDataset>;

/** An uploaded file already on disk; `name` is the client's file name, used only in messages. */
export const UploadedFile = z.object({ path: z.string(), name: z.string() });
export type UploadedFile = z.infer<typeof UploadedFile>;

/** Told to the client when a file is refused, so they know what to send instead. */
export const EXPECTED_FORMATS = [
  'IDX pair: images (magic 0x00000803, N x 28 x 28) + labels (magic 0x00000801), raw or gzipped',
  'CSV: label column then 784 pixel columns 0-255, header optional',
  'NPY pair: images uint8/float32 [N,28,28] or [N,784] + integer labels [N]',
  'ZIP of class folders 0/ .. 9/ holding PNG or JPEG images',
] as const;
