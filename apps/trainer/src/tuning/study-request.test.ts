import { describe, expect, it } from 'vitest';
import { TuningRequest } from '@inkwell/contracts';
import { DEFAULT_PRUNER } from '@inkwell/tuning';
import { StudyRequest, prunerOf, pruningToStore } from './study-request';

const request = { family: 'cnn', dataset_id: 'mnist', budget: { trials: 12 } };
const stored = { space: { dropout: { kind: 'float', low: 0, high: 0.5 } }, method: { kind: 'random' }, budget: { trials: 12 }, objective: 'val_accuracy', seed: 0, epochs: 4, max_train_samples: null, base_hyperparameters: {} };

describe('a study\'s pruning choice', () => {
  it('takes true, false or a rule with its options, and refuses an unknown rule or option', () => {
    expect(TuningRequest.parse(request).pruning).toBe(true);
    expect(TuningRequest.parse({ ...request, pruning: false }).pruning).toBe(false);
    expect(TuningRequest.parse({ ...request, pruning: { rule: 'median', n_startup_trials: 3 } }).pruning).toEqual({ rule: 'median', n_startup_trials: 3 });
    expect(TuningRequest.parse({ ...request, pruning: { rule: 'successive_halving', reduction_factor: 2 } }).pruning).toEqual({ rule: 'successive_halving', reduction_factor: 2 });
    expect(TuningRequest.parse({ ...request, pruning: { rule: 'percentile', percentile: 60, n_startup_trials: 3 } }).pruning).toEqual({ rule: 'percentile', percentile: 60, n_startup_trials: 3 });
    expect(TuningRequest.safeParse({ ...request, pruning: { rule: 'percentile', percentile: 160 } }).success).toBe(false);
    expect(TuningRequest.safeParse({ ...request, pruning: { rule: 'percentile' } }).success).toBe(false);
    expect(TuningRequest.safeParse({ ...request, pruning: { rule: 'hyperband' } }).success).toBe(false);
    expect(TuningRequest.safeParse({ ...request, pruning: { rule: 'successive_halving', reduction_factor: 1 } }).success).toBe(false);
    expect(TuningRequest.safeParse({ ...request, pruning: { rule: 'median', reduction_factor: 3 } }).success).toBe(false);
  });

  it('stores a request\'s true as the default rule itself, so a later default never changes a stored study', () => {
    expect(pruningToStore(true)).toEqual(DEFAULT_PRUNER);
    expect(pruningToStore(false)).toBe(false);
    expect(pruningToStore({ rule: 'median' })).toEqual({ rule: 'median' });
    expect(prunerOf(StudyRequest.parse({ ...stored, pruning: pruningToStore(true) }))).toEqual(DEFAULT_PRUNER);
    expect(prunerOf(StudyRequest.parse({ ...stored, pruning: false }))).toBeNull();
  });

  it('prunes studies stored before rules could be chosen by the median rule they ran with', () => {
    expect(prunerOf(StudyRequest.parse({ ...stored, pruning: true }))).toEqual({ rule: 'median' });
    expect(prunerOf(StudyRequest.parse(stored))).toEqual({ rule: 'median' });
  });
});
