export { type Matrix } from './input';
export * from './classification';
export * from './roc';
export * from './calibration';
export * from './temperature';
export * from './report';
export { mcnemar, mcnemarFromCounts, chiSquare1Survival, erfc, McNemarResult, McNemarMethod, MCNEMAR_EXACT_BELOW } from './mcnemar';
export { compareClassifiers, ModelComparison, type ComparableMetrics } from './compare';
export * from './predictions';
