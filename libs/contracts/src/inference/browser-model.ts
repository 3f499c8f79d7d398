import { z } from 'zod';
import { InputNormalization, ModelManifest } from '../ml/model-manifest';
import { TtaProfile } from './models';

/** One member of the active set, as a browser needs it to run the model itself. */
export const BrowserModel = z.object({
  model_id: z.string(),
  /** The graph's float32 input, [N, 1, 28, 28]. */
  input_name: z.string(),
  /** The graph's [N, 10] probabilities (temperature already applied inside). */
  output_name: z.string(),
  /** Applied to 0..1 ink with normalizeForModel (@inkwell/imaging/browser). */
  normalization: InputNormalization,
  onnx_bytes: z.number().int().positive(),
  /** Hex SHA-256 of the file; also its ETag. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where to GET the file (`/v1/models/{model_id}/model.onnx`), so clients never build the path. */
  onnx_path: z.string(),
});
export type BrowserModel = z.infer<typeof BrowserModel>;

/**
 * `GET /v1/models/active/browser`: what a browser needs to answer exactly as `/v1/read` does for
 * the same pixels: the members in the server's averaging order, each one's normalisation, and the
 * TTA profile whose rows are averaged (ttaBatch then meanProbs).
 */
export const BrowserModelSet = z.object({
  /** The set's id as `/v1/models/active` names it (a model id, or `ensemble_<N>_models`). */
  model_id: z.string(),
  tta: TtaProfile,
  /** The pipeline every member was trained for; the browser must run the same one. */
  preprocess_hash: z.string(),
  models: z.array(BrowserModel).min(1),
});
export type BrowserModelSet = z.infer<typeof BrowserModelSet>;

/** `GET /v1/models/{model_id}/model.onnx`: a member of the active set, by its manifest's id. */
export const BrowserModelParams = z.object({ model_id: ModelManifest.shape.model_id });
export type BrowserModelParams = z.infer<typeof BrowserModelParams>;

/** The path of a member's graph file. */
export const browserModelPath = (modelId: string): string => `/v1/models/${encodeURIComponent(modelId)}/model.onnx`;
