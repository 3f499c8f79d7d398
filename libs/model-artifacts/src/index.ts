export { canonicalJson, sha256Hex } from './canonical-json';
export { sha256Of } from './sha256';
export { Recipe, NetRecipe, SvmRecipe, ForestRecipe, RecipeData, FAMILIES, type Family, type RecipeInput, recipeHash, recipeHyperparameters } from './recipe';
export type { DataSource, DataSplits } from './data-source';
export { loadRecipeData, mnistSource, mnistTest, type RecipeSplits } from './data';
export { evaluateOnnx, evaluateEnsemble, meanProbs, type OnnxEvalOptions } from './evaluate-onnx';
export { ArtifactMetrics } from './artifact-metrics';
export { MODEL_FILE, MANIFEST_FILE, METRICS_FILE, type ModelFiles, type Refusal, type ReadRules, isRefusal, readModelFolder, readModelFolders, listModelFolders } from './model-folder';
export {
  type Artifact,
  type ArtifactContent,
  type StagedArtifact,
  ArtifactRefused,
  PREDICTIONS_FILE,
  stageArtifact,
  writeArtifact,
  inspectArtifact,
  readArtifact,
  listArtifacts,
} from './artifact-store';
export { DigitCountManifest } from './digit-count-manifest';
export { EnsembleManifest, writeEnsemble, readEnsemble, ENSEMBLE_FILE } from './ensemble';
export { latestCheckpoint } from './checkpoints';
export { accuracyOf, untemper } from './probs';
export { trainRecipe, type TrainRecipeOptions, type TrainRecipeResult } from './train-recipe';
// The one onnxruntime session factory lives in @inkwell/onnx (so @inkwell/ml can use it too); re-exported for model users.
export { createOrtSession, EXECUTION_PROVIDERS, type ExecutionProvider, type OrtSession, type OrtSessionOptions } from '@inkwell/onnx';
export { planModelZip, EXPORT_ZIP_ENTRIES, type ModelZip, type ModelZipOptions } from './export-zip';
export { checkImportedModel, writeCapped, IMPORT_MAX_BYTES, SMOKE_DIGITS, type CheckedImport, type ImportCheckOptions } from './import-checks';
export { IMPORT_CHECKS, type ImportCheck, type InputLayout, AI_ONNX_OPSETS, AI_ONNX_ML_OPSETS, refuseImport } from './onnx-structure';
export { evaluateImported, runImported, softmaxRows, type ImportedIo, type OutputKind, type RunImportedOptions } from './run-imported';
export { canonicalizeImported, type CanonicalModel } from './canonical-onnx';
