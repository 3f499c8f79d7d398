/**
 * `npm run train -- --arch cnn --epochs 3 --seed 1 ...`: trains one model from command-line
 * hyperparameters, with a live progress bar on a terminal, then writes `artifacts/<model_id>/`
 * and prints a summary whose test accuracy comes from the exported ONNX file.
 */
import { mnistSource, trainRecipe } from '@inkwell/model-artifacts';
import { z } from 'zod';
import { progressPrinter, table } from './progress';
import { parseTrainArgs, USAGE } from './train-args';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseTrainArgs>;
  try {
    parsed = parseTrainArgs(process.argv.slice(2));
  } catch (e) {
    const why = e instanceof z.ZodError ? z.prettifyError(e) : e instanceof Error ? e.message : String(e);
    process.stderr.write(`${why}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { recipe, run } = parsed;
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const started = performance.now();
  const { artifact, trainSeconds } = await trainRecipe(recipe, {
    source: mnistSource(recipe.data),
    outDir: run.out,
    modelId: run.modelId,
    deterministic: run.deterministic,
    threads: run.threads,
    checkpointDir: run.checkpointDir,
    provider: run.provider,
    signal: controller.signal,
    onProgress: progressPrinter(recipe.name),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  const { manifest, metrics } = artifact;
  const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;
  process.stdout.write(
    `\n${table(
      ['model', 'family', 'val acc', 'test acc (ONNX)', 'ECE before T', 'ECE after T', 'T', 'log loss', 'train s', 'total s'],
      [
        [
          manifest.model_id,
          manifest.arch,
          pct(manifest.val_acc),
          pct(metrics.accuracy),
          pct(metrics.calibration.test_ece_before),
          pct(metrics.calibration.test_ece_after),
          manifest.temperature.toFixed(3),
          metrics.log_loss.toFixed(4),
          trainSeconds.toFixed(1),
          ((performance.now() - started) / 1000).toFixed(1),
        ],
      ],
    )}\n\nwrote ${artifact.dir}/\n`,
  );
  return 0;
}

process.exitCode = await main();
