import { z } from 'zod';

/** The operators this pass rewrites: the ones that carry weight matrices (the bulk of a model's bytes and arithmetic). */
export const QUANTIZED_OP_TYPES = ['Conv', 'Gemm', 'MatMul'] as const;
export const QuantizedOpType = z.enum(QUANTIZED_OP_TYPES);
export type QuantizedOpType = z.infer<typeof QuantizedOpType>;

export const QuantizedNode = z.object({
  /** The node's name in the float model (`<opType>#<index>` when it had none). */
  node: z.string(),
  opType: QuantizedOpType,
  /** What runs instead, between DynamicQuantizeLinear and Cast -> Mul (-> Add for the bias). */
  emitted: z.enum(['ConvInteger', 'MatMulInteger']),
  weight: z.string(),
  /** How the 8-bit weight is stored: int8 (zero point 0) for MatMulInteger, uint8 (zero point 128) for ConvInteger. */
  weightType: z.enum(['int8', 'uint8']),
  weightZeroPoint: z.number().int(),
  /** Output channels, one int8 scale each. */
  channels: z.number().int().positive(),
  /** The largest |w - q * scale| over the weight: at most half a step of the channel's scale. */
  maxAbsError: z.number().nonnegative(),
});
export type QuantizedNode = z.infer<typeof QuantizedNode>;

export const FloatNode = z.object({
  node: z.string(),
  opType: z.string(),
  /** Why this node still runs in float32. */
  reason: z.string(),
});
export type FloatNode = z.infer<typeof FloatNode>;

const ByteCounts = z.object({ before: z.number().int().nonnegative(), after: z.number().int().nonnegative() });

/** What `quantizeDynamicInt8` did to a model: a record a benchmark or report can show as is. */
export const QuantizeReport = z.object({
  method: z.literal('dynamic-int8'),
  /** How weights and activations are quantized, in words (the same for every model). */
  weights: z.string(),
  activations: z.string(),
  /** The operator types this pass quantizes when their weight is a float32 constant. */
  opTypes: z.array(QuantizedOpType),
  quantized: z.array(QuantizedNode),
  /** Every other node of the main graph, with the reason it stays in float. */
  leftFloat: z.array(FloatNode),
  /** Bytes of all initializers (weights, biases, scales, zero points). */
  weightBytes: ByteCounts,
  /** Bytes of the serialised model. */
  modelBytes: ByteCounts,
});
export type QuantizeReport = z.infer<typeof QuantizeReport>;
