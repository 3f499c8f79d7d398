import { parseArgs } from 'node:util';
import { EXECUTION_PROVIDERS, type ExecutionProvider, FAMILIES, Recipe, type RecipeInput } from '@inkwell/model-artifacts';
import { z } from 'zod';

/** Every flag `npm run train` accepts; values are strings until the recipe's zod schema checks them. */
const OPTIONS = {
  arch: { type: 'string' },
  name: { type: 'string' },
  'model-id': { type: 'string' },
  out: { type: 'string', default: 'artifacts' },
  seed: { type: 'string', default: '1' },
  provider: { type: 'string', default: 'cpu' },
  // data
  'train-limit': { type: 'string' },
  subset: { type: 'string' },
  'validation-fraction': { type: 'string' },
  'split-seed': { type: 'string' },
  // nets: run
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  optimizer: { type: 'string' },
  momentum: { type: 'string' },
  nesterov: { type: 'boolean' },
  'weight-decay': { type: 'string' },
  schedule: { type: 'string' },
  'step-every': { type: 'string' },
  'step-gamma': { type: 'string' },
  'label-smoothing': { type: 'string' },
  augment: { type: 'boolean' },
  shift: { type: 'string' },
  rotation: { type: 'string' },
  scale: { type: 'string' },
  elastic: { type: 'boolean' },
  deterministic: { type: 'boolean' },
  threads: { type: 'string' },
  'checkpoint-dir': { type: 'string' },
  // nets: architecture
  layers: { type: 'string' },
  neurons: { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  dropout: { type: 'string' },
  filters: { type: 'string' },
  'kernel-size': { type: 'string' },
  dense: { type: 'string' },
  'batch-norm': { type: 'boolean' },
  depth: { type: 'string' },
  width: { type: 'string' },
  // svm
  C: { type: 'string' },
  gamma: { type: 'string' },
  kernel: { type: 'string' },
  degree: { type: 'string' },
  coef0: { type: 'string' },
  // random forest
  'n-estimators': { type: 'string' },
  'max-depth': { type: 'string' },
  'min-samples-split': { type: 'string' },
  'max-features': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `npm run train -- --arch <${FAMILIES.join('|')}> [options]

  common       --seed N  --name NAME  --model-id ID  --out DIR (artifacts)  --train-limit N  --validation-fraction F
               --provider cpu|cuda|tensorrt (nets train on cuda, every model is scored on it; CPU with a warning if absent)
  nets         --epochs N  --batch-size N  --lr X  --optimizer sgd|adam|adamw  --momentum X  --nesterov  --weight-decay X
               --schedule constant|step|cosine|one-cycle  --step-every N  --step-gamma X  --label-smoothing X
               --augment [--shift PX --rotation DEG --scale LO,HI --elastic]  --deterministic  --threads N  --checkpoint-dir DIR
  mlp          --layers N --neurons N | --hidden 512,256   --activation relu|tanh|sigmoid  --dropout X
  cnn          --filters 32,64  --kernel-size 3|5  --dense 128  --dropout X  --batch-norm
  resnet       --depth 8|14|20...  --width N
  svm          --C X  --gamma scale|auto|X  --kernel rbf|linear|poly  --degree N  --coef0 X  --subset N (training digits, default 20000)
  random_forest --n-estimators N  --max-depth N  --min-samples-split N  --max-features sqrt|log2|N`;

const COMMON_FLAGS = ['arch', 'name', 'model-id', 'out', 'seed', 'provider', 'train-limit', 'subset', 'validation-fraction', 'split-seed', 'help'];
const NET_FLAGS = ['epochs', 'batch-size', 'lr', 'optimizer', 'momentum', 'nesterov', 'weight-decay', 'schedule', 'step-every', 'step-gamma', 'label-smoothing', 'augment', 'shift', 'rotation', 'scale', 'elastic', 'deterministic', 'threads', 'checkpoint-dir'];
/** Which flags mean something for each family: a flag for another family is an error, not silently ignored. */
const FAMILY_FLAGS: Record<(typeof FAMILIES)[number], readonly string[]> = {
  mlp: [...NET_FLAGS, 'layers', 'neurons', 'hidden', 'activation', 'dropout'],
  cnn: [...NET_FLAGS, 'filters', 'kernel-size', 'dense', 'dropout', 'batch-norm'],
  resnet: [...NET_FLAGS, 'depth', 'width'],
  svm: ['C', 'gamma', 'kernel', 'degree', 'coef0'],
  random_forest: ['n-estimators', 'max-depth', 'min-samples-split', 'max-features'],
};

/** Kernel SVM training is quadratic in the digits; without --subset it trains on this many. */
export const DEFAULT_SVM_SUBSET = 20000;

export interface RunOptions {
  readonly out: string;
  readonly modelId: string | undefined;
  readonly deterministic: boolean;
  readonly threads: number | undefined;
  readonly checkpointDir: string | undefined;
  readonly provider: ExecutionProvider;
}

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const nums = (v: string | undefined): number[] | undefined => (v === undefined ? undefined : v.split(',').map(Number));
const numOrWord = (v: string | undefined): number | string | undefined => (v === undefined ? undefined : Number.isFinite(Number(v)) ? Number(v) : v);
/** Drops undefined fields so that the schema's defaults apply to whatever was not given. */
const defined = <T extends Record<string, unknown>>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export function parseTrainArgs(argv: readonly string[]): { help: true } | { help: false; recipe: Recipe; run: RunOptions } {
  const { values: v } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  if (v.help) return { help: true };
  const family = z.enum(FAMILIES, { error: `--arch must be one of ${FAMILIES.join(', ')}` }).parse(v.arch);
  const allowed = new Set([...COMMON_FLAGS, ...FAMILY_FLAGS[family]]);
  for (const [flag, value] of Object.entries(v)) {
    if (value !== undefined && !allowed.has(flag)) throw new Error(`--${flag} does not apply to --arch ${family}`);
  }
  const seed = Number(v.seed);
  const data = defined({ trainLimit: num(v['train-limit'] ?? v.subset) ?? (family === 'svm' ? DEFAULT_SVM_SUBSET : undefined), validationFraction: num(v['validation-fraction']), splitSeed: num(v['split-seed']) });
  const common = { name: v.name ?? `${family.replace('_', '-')}-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`, seed, data };
  let input: RecipeInput;
  if (family === 'svm') {
    input = { ...common, family, params: defined({ C: num(v.C), gamma: numOrWord(v.gamma), kernel: v.kernel, degree: num(v.degree), coef0: num(v.coef0) }) } as RecipeInput;
  } else if (family === 'random_forest') {
    input = {
      ...common,
      family,
      params: defined({ nEstimators: num(v['n-estimators']), maxDepth: num(v['max-depth']), minSamplesSplit: num(v['min-samples-split']), maxFeatures: numOrWord(v['max-features']) }),
    } as RecipeInput;
  } else {
    const hidden = nums(v.hidden) ?? (v.layers !== undefined || v.neurons !== undefined ? Array.from({ length: Number(v.layers ?? 2) }, () => Number(v.neurons ?? 256)) : undefined);
    const arch =
      family === 'mlp'
        ? defined({ kind: family, hidden, activation: v.activation, dropout: num(v.dropout) })
        : family === 'cnn'
          ? defined({ kind: family, filters: nums(v.filters), kernel: num(v['kernel-size']), dense: nums(v.dense), dropout: num(v.dropout), batchNorm: v['batch-norm'] })
          : defined({ kind: family, depth: num(v.depth), width: num(v.width) });
    const kind = v.optimizer ?? 'adamw';
    const optimizer = defined({ kind, lr: num(v.lr) ?? (kind === 'sgd' ? 0.05 : 0.001), momentum: kind === 'sgd' ? num(v.momentum) : undefined, nesterov: kind === 'sgd' ? v.nesterov : undefined, weightDecay: num(v['weight-decay']) });
    const schedule = defined({ kind: v.schedule ?? 'constant', everyEpochs: num(v['step-every']), gamma: num(v['step-gamma']) });
    const scale = nums(v.scale);
    const augment = v.augment ? defined({ maxShift: num(v.shift), maxRotationDeg: num(v.rotation), scaleRange: scale, elastic: v.elastic ? {} : undefined }) : null;
    input = { ...common, family, arch, optimizer, schedule, epochs: num(v.epochs) ?? 3, batchSize: num(v['batch-size']) ?? 64, labelSmoothing: num(v['label-smoothing']), augment } as RecipeInput;
  }
  const recipe = Recipe.parse(defined(input as Record<string, unknown>));
  return {
    help: false,
    recipe,
    run: {
      out: v.out,
      modelId: v['model-id'],
      deterministic: v.deterministic ?? false,
      threads: num(v.threads),
      checkpointDir: v['checkpoint-dir'],
      provider: z.enum(EXECUTION_PROVIDERS, { error: `--provider must be one of ${EXECUTION_PROVIDERS.join(', ')}` }).parse(v.provider),
    },
  };
}
