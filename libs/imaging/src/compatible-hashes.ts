/**
 * Earlier pipelines' PREPROCESS_HASH values whose models this pipeline still serves. Every shipped
 * model is trained on raw MNIST, not on this pipeline's output: the hash in a manifest says which
 * serving pipeline the model was checked against, and each change since 1.1.0 only made more
 * photos look like MNIST (the models' inputs are the same 28x28 MNIST layout). Refusing them would
 * leave every model copied into DATA_DIR/models (built-in copies, trained, imported) unusable after
 * an upgrade, and the registry's active set refused for good. Taken from git history
 * (`hashPipeline(PREPROCESS_VERSION, PIPELINE_PARAMS)` at each commit of pipeline-params.ts, as
 * stamped in that commit's manifests). 1.0.0's are left out: 1.1.0 changed what a digit crop is.
 */
export const COMPATIBLE_PREPROCESS_HASHES: readonly string[] = [
  '5f2890fcb257e9f0', // 1.1.0, 5bc9a05
  '3265f8dd2454f1cc', // 1.1.0, c38374f
  '834f12b9562f10a4', // 1.1.0, ff3db61
  'a872cb371488c1fa', // 1.1.0, 4717e17
  'da11c6e2e46a4b69', // 1.2.0, 135e0e8 and 416c3a2
];
