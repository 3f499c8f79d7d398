export { quantizeDynamicInt8, QUANTIZATION_METADATA_KEY, CONV_WEIGHT_ZERO_POINT, type QuantizeOptions, type QuantizeResult } from './quantize-dynamic';
export { QuantizeReport, QuantizedNode, FloatNode, QuantizedOpType, QUANTIZED_OP_TYPES } from './quantize-report';
