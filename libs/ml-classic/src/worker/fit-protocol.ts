import type { DigitSet } from '@inkwell/ml-data';
import type { ForestTrainReport } from '../forest/forest';
import type { ForestParamsInput } from '../forest/params';
import type { SvmParamsInput } from '../svm/params';
import type { SvmTrainReport } from '../svm/train';

/** What the fit worker is started with (its `workerData`): one fit, then it exits. */
export type FitRequest =
  | { readonly family: 'svm'; readonly set: DigitSet; readonly params: SvmParamsInput; readonly calibration: DigitSet | null }
  | { readonly family: 'random_forest'; readonly set: DigitSet; readonly params: ForestParamsInput };

/** Messages from the fit worker to the thread that started it. */
export type FitMessage =
  | { readonly kind: 'log'; readonly message: string }
  | { readonly kind: 'done'; readonly report: SvmTrainReport | ForestTrainReport }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly stack?: string };
