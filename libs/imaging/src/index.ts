/**
 * @inkwell/imaging: the preprocessing pipeline that turns an uploaded PNG/JPEG into the 28x28
 * MNIST-style input the digit models expect, plus code-generated photo-like test fixtures.
 */
export { preprocess, PreprocessOptions, type PreprocessResult } from './preprocess';
export { preprocessGray, type CoreOptions, type CoreResult } from './preprocess-core';
export { preprocessNumber, PreprocessNumberOptions, type PreprocessNumberResult, type NumberDigitInput, type NumberSlotInput, type PixelBox } from './preprocess-number';
export { preprocessNumberGray, MAX_NUMBER_DIGITS, type NumberCoreResult, type NumberDigitCore, type NumberSlotCore } from './preprocess-number-core';
export { segmentNumber, NUMBER_SEGMENT_PARAMS, type NumberSegment } from './number-segment';
export { numberSlots, NUMBER_CUT_PARAMS, type NumberSlot } from './number-cut-options';
export { normalizeForModel } from './normalize';
export { cmykToGray, toGray } from './gray-convert';
export { decodeBaselineJpegGray } from './baseline-jpeg-gray';
export { meanProbs, ttaBatch, TTA_VARIANTS } from './tta';
export { renderPreview } from './visualize';
export { PREPROCESS_HASH, hashPipeline } from './preprocess-hash';
export { COMPATIBLE_PREPROCESS_HASHES } from './compatible-hashes';
export { PREPROCESS_VERSION, PIPELINE_PARAMS } from './pipeline-params';
export { ImageLimits, DEFAULT_IMAGE_LIMITS, checkDimensions } from './image-limits';
export { sniffImage, type ImageHeader } from './sniff-image';
export { otsuThreshold, histogram256, type OtsuResult } from './otsu-threshold';
export { labelComponents, type Component, type Labelling } from './connected-components';
export type { GrayImage, FloatImage } from './gray-image';
export { makePhotoFixtures, PHOTO_KINDS, type PhotoKind, type PhotoFixture, type PhotoFixtureOptions } from './fixtures/photo-fixtures';
export { makeBadInputs, type BadInput } from './fixtures/bad-inputs';
export { makePenDigits, type PenDigit } from './fixtures/pen-digits';
export { makeShadowedDigits, SHADOW_KINDS, type ShadowKind, type ShadowedDigit } from './fixtures/shadowed-digits';
export { makeTightCrops, type TightCrop } from './fixtures/tight-crops';
export { makePhonePhoto, type PhonePhoto, type PhonePhotoOptions } from './fixtures/phone-photo';
export { makeNumberFixtures, type NumberFixture, type NumberFixtureOptions } from './fixtures/number-fixtures';
export { digitCountSamples, writtenPerSlot, type DigitCountSamples } from './fixtures/number-count-samples';
export { makeOtherWriters, OTHER_WRITER_SOURCES, type OtherWriterDigit, type OtherWriterOptions, type OtherWriterSource } from './fixtures/other-writers';
