import type { Progress } from '@inkwell/ml';

const pct = (x: number | undefined): string => (x === undefined ? '   -  ' : `${(100 * x).toFixed(2)}%`);

/**
 * Training progress for a terminal: on a TTY one live bar redrawn in place (loss, batch accuracy,
 * learning rate, samples/s), elsewhere (CI, a log file) one plain line per epoch.
 */
export function progressPrinter(label: string, out: NodeJS.WriteStream = process.stderr): (p: Progress) => void {
  const tty = out.isTTY === true;
  let lastDraw = 0;
  return (p) => {
    if (p.type === 'log') {
      out.write(`${tty ? '\r\x1b[2K' : ''}${label} ${p.message}\n`);
    } else if (p.type === 'step') {
      const now = performance.now();
      if (!tty || (now - lastDraw < 100 && p.step !== p.stepsPerEpoch)) return;
      lastDraw = now;
      const width = 24;
      const filled = Math.round((width * p.step) / p.stepsPerEpoch);
      const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
      out.write(
        `\r\x1b[2K${label} epoch ${p.epoch} [${bar}] ${p.step}/${p.stepsPerEpoch} loss ${p.loss.toFixed(4)} acc ${pct(p.accuracy)} lr ${p.lr.toExponential(2)} ${Math.round(p.samplesPerSec)} samples/s`,
      );
    } else {
      out.write(
        `${tty ? '\r\x1b[2K' : ''}${label} epoch ${p.epoch}: loss ${p.trainLoss.toFixed(4)} train ${pct(p.trainAccuracy)} val ${pct(p.valAccuracy)} lr ${p.lr.toExponential(2)} ${Math.round(p.samplesPerSec)} samples/s ${p.seconds.toFixed(1)} s\n`,
      );
    }
  };
}

/** Plain-text table: one header row, aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
