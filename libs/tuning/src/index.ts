/**
 * @inkwell/tuning: hyperparameter search as pure, seeded functions (no I/O, no clock, no
 * unseeded randomness). A tuning service drives it: it asks `createSampler(...).propose(k, history)` for
 * trial k's parameters, runs the trial, asks `shouldPrune(...)` after each epoch, and at the end
 * `bestTrial(...)` and `parameterImportance(...)`.
 *
 * Reproducibility: the visibility rule.
 * Trial k may see only the results of trials 0..n-1 where n = visibleTrialCount(method, k):
 * - grid / random / bayesian: n = k - 2 (VISIBILITY_LAG, the gpu queue's two slots);
 * - genetic: n = the first index of k's generation (generations are batches).
 * Both the proposal of trial k and every pruning decision about trial k use exactly those trials,
 * and `propose`/`shouldPrune` throw if one of them is missing. So the runner must follow one rule:
 *   start trial k only after trials 0..visibleTrialCount(method, k)-1 have all finished
 *   (completed, pruned or failed).
 * Whatever the parallelism (1, 2, or more slots) and whatever order trials finish in, trial k then
 * gets the same parameters and the same pruning decisions, so the study gets the same trials and
 * the same best result (given a deterministic objective). The lag is a constant rather than the
 * parallelism in use precisely so that a serial run and a two-slot run agree; a serial run simply
 * ignores the two most recent results it could have used.
 *
 * Bayesian search is TPE (tree-structured Parzen estimator), not a Gaussian process: the spaces
 * here mix log-scaled floats, ints, categorical choices and conditional parameters (gamma only for
 * some kernels), which TPE models per parameter without a kernel over mixed types, and each
 * proposal costs O(trials) with no matrix to invert or hyperparameters of its own to fit.
 */
export * from './types';
export { VISIBILITY_LAG, visibleTrialCount, generationOf } from './visibility';
export { createSampler } from './sampler';
export { gridPoints } from './grid';
export { shouldPrune, DEFAULT_PRUNER } from './pruning';
export { parameterImportance } from './importance';
export { bestTrial, compareTrials } from './best';
export { geneticGenerations } from './genetic';
export { isActive, paramOrder } from './space';
