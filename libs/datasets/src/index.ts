/**
 * @inkwell/datasets: uploaded digit datasets (IDX pair, CSV, NPY pair, ZIP of class folders) from
 * files on disk to a validation report, statistics, a split record and a source training reads.
 * Everything streams; no HTTP or queue code here (the trainer's routes and jobs call it).
 */
export { DetectedDataset, UploadedFile, EXPECTED_FORMATS } from './detected-dataset';
export { detectDataset } from './detect-dataset';
export { DatasetFormat, DatasetProblem, ProblemKind, ValidationReport, MAX_LISTED_PROBLEMS, WARNING_KINDS } from './dataset-problem';
export { DatasetStats } from './dataset-stats';
export { type DigitRecord, type RecordEvent, IMAGE_BYTES } from './digit-record';
export { datasetRecords, digitSetRecords } from './dataset-records';
export { validateRecords, type ValidateOptions, type ValidationResult } from './validate-dataset';
export { validateDataset } from './validate-detected';
export type { NormalizedPaths } from './normalized-writer';
export { SplitMethod, type SplitMethodInput, SplitRecord, type SplitIndices, makeSplit, resolveSplit, hashSplit } from './dataset-split';
export { BUILTIN_MNIST_NAME, MNIST_TEST_START, MNIST_OFFICIAL_SPLIT, builtinMnistFiles } from './builtin-mnist';
export { validateBuiltinMnist } from './validate-builtin-mnist';
export { type DigitSource, type SplitSets, datasetDataSource, digitSource, loadNormalizedSource, splitSets } from './digit-source';
