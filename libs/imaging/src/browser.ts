/**
 * @inkwell/imaging/browser: the pure half of the pipeline, safe to bundle for a browser (nothing
 * here imports sharp, node:* or pino). The web app runs exactly what the server runs after decoding:
 * canvas RGBA -> toGray -> preprocessGray -> ttaBatch -> normalizeForModel per model -> the models
 * -> average over models -> meanProbs. browser-entry.test.ts bundles this file for the browser, so
 * a node-only import added here fails there. PREPROCESS_HASH is not here (it hashes with
 * node:crypto): the browser reads it from GET /v1/models/active/browser.
 */
export { cmykToGray, toGray } from './gray-convert';
export { preprocessGray, type CoreOptions, type CoreResult } from './preprocess-core';
export { meanProbs, ttaBatch, TTA_VARIANTS } from './tta';
export { normalizeForModel } from './normalize';
export { PIPELINE_PARAMS } from './pipeline-params';
export type { GrayImage, FloatImage } from './gray-image';
