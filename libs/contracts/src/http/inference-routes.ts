import { z } from 'zod';
import { ErrorBody } from './errors';
import { BrowserModelParams, BrowserModelSet } from '../inference/browser-model';
import { ActiveModels, ServiceVersion } from '../inference/models';
import { PredictAnyResponse, ReadAnyResponse, ReadFields } from '../inference/read';
import { ReadLimits } from '../inference/read-limits';
import { defineRoutes } from './route-def';

const ok = (description: string, schema?: z.ZodType, contentType?: string) => ({ description, ...(schema ? { schema } : {}), ...(contentType ? { contentType } : {}) });
const err = (description: string) => ({ description, schema: ErrorBody });

/** Image-reading failures both upload routes can answer, besides the ones every route has. */
const uploadErrors = {
  400: err('validation_failed (no file, malformed form), invalid_image, bad_dimensions (a side over the limit, default 8192 px, or under 8 px) or preprocessing_failed'),
  413: err('too_large: the file (default 5 MB), its pixel count (default 16 megapixels: a decompression bomb), or an interlaced PNG / progressive JPEG that must be decoded whole beyond 4 bytes per allowed pixel; GET /v1/limits gives the running values'),
  415: err('unsupported_media_type: not PNG or JPEG (decided from the bytes)'),
  503: err('service_unavailable: no model loaded, or the queue is full (retry shortly)'),
  504: err('timeout: no answer within the service deadline'),
};
const upload = { fields: ReadFields.shape, files: ['file'] };

export const INFERENCE_ROUTES = defineRoutes([
  { method: 'post', path: '/v1/read', service: 'inference', access: 'guest', tag: 'inference', summary: 'Read one handwritten digit from a PNG or JPEG (seed 004 contract); with mode=number, every digit of a number, left to right, each with its box', multipart: upload, responses: { 200: ok('The digit, its calibrated confidence (0..1), all ten probabilities and the engine that answered (`engine`: name, variant, threads); with mode=number, the number, its confidence (the product of its digits\' confidences) and each digit with its top-3 and box (mode: "number")', ReadAnyResponse), ...uploadErrors } },
  { method: 'post', path: '/api/predict', service: 'inference', access: 'guest', tag: 'inference', summary: 'Predict one digit (PRD shape: confidence in percent, top-3, timing); with mode=number, every digit of a number, left to right, each with its box', multipart: upload, responses: { 200: ok('The prediction; with mode=number, the number shape (mode: "number", confidences in percent)', PredictAnyResponse), ...uploadErrors } },
  { method: 'get', path: '/v1/limits', service: 'inference', access: 'guest', tag: 'inference', summary: 'What one /v1/read upload may be (bytes, pixels, sides, types), from the service\'s configuration, so clients can check a file before sending it', responses: { 200: ok('The upload limits', ReadLimits) } },
  { method: 'get', path: '/v1/models/active', service: 'inference', access: 'guest', tag: 'inference', summary: 'The models currently answering reads, and the engine they run on (`engine`: name, variant float32 or int8, intra-op threads, the benchmark whose apply set it)', responses: { 200: ok('The active model or ensemble', ActiveModels) } },
  {
    method: 'get', path: '/v1/models/active/browser', service: 'inference', access: 'guest', tag: 'inference',
    summary: 'What a browser needs to run the active set itself with the server\'s preprocessing (@inkwell/imaging/browser): each member\'s input and output names, normalisation, file size, SHA-256 and download path, in the server\'s averaging order, and the TTA profile',
    responses: { 200: ok('The active set for in-browser inference', BrowserModelSet), 503: err('service_unavailable: no model loaded yet') },
  },
  {
    method: 'get', path: '/v1/models/{model_id}/model.onnx', service: 'inference', access: 'guest', tag: 'inference',
    summary: 'The ONNX graph of a member of the active set, streamed, with Content-Length and ETag (its SHA-256); If-None-Match answers 304. Cacheable for a year: a model id names one immutable version',
    params: BrowserModelParams,
    responses: { 200: ok('The ONNX file', undefined, 'application/octet-stream'), 304: ok('Not modified (If-None-Match matched)'), 404: err('not_found: no member of the active set has this id'), 503: err('service_unavailable: the file is no longer what was loaded') },
  },
  { method: 'get', path: '/v1/version', service: 'inference', access: 'guest', tag: 'inference', summary: 'Version of the inference service', responses: { 200: ok('Version', ServiceVersion) } },
] as const);
