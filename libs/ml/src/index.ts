export { ArchConfig, MlpArch, CnnArch, ResnetArch, Lenet5Arch, Resnet18Arch } from './arch/schema';
export { PRESET_MODELS, PRESET_NAMES, parameterCount, type PresetModel, type PresetName } from './arch/preset-catalog';
export { buildNetwork, IMAGE_SHAPE, CLASSES } from './arch/build-network';
export type { Network } from './graph/network';
export { OptimizerConfig } from './optim/optimizer';
export { Schedule, learningRate } from './optim/schedule';
export {
  TrainConfig,
  EarlyStopping,
  EpochStats,
  MNIST_MEAN,
  MNIST_STD,
  type TrainConfigInput,
  type TrainedModel,
  type Weights,
  type NamedTensor,
  type DataSet,
  type Progress,
} from './train/config';
export { train, type TrainOptions } from './train/train';
export { initialWeights } from './train/initial-weights';
export { TrainingCancelled } from './train/train-loop';
export { readCheckpoint } from './train/checkpoint';
export { exportOnnx, ExportOptions, type ModelWeights } from './export/export-onnx';
export { predictLogits } from './export/predict';
