import type { Migration } from '@inkwell/db';
import { createDatasets } from './20261207120000_create-datasets';
import { createTrainingJobs } from './20261207130000_create-training-jobs';
import { createModelRegistry } from './20261208140000_model-registry';
import { createFamilies } from './20261208150000_create-families';
import { createModelActivations } from './20261209120000_model-activations';
import { createTuning } from './20261216120000_create-tuning';
import { createBenchmarks } from './20261223120000_create-benchmarks';
import { addActivationEngines } from './20261230120000_activation-engines';
import { addPresetModels } from './20261231120000_preset-models';
import { presetIndexLiveRows } from './20261231130000_preset-index-live-rows';

export const TRAINER_SCHEMA = 'ml';
/** Append-only: never edit one that has landed. */
export const TRAINER_MIGRATIONS: readonly Migration[] = [createDatasets, createTrainingJobs, createModelRegistry, createFamilies, createModelActivations, createTuning, createBenchmarks, addActivationEngines, addPresetModels, presetIndexLiveRows];
