import type { TrainJobProgress } from '@inkwell/contracts';
import type { ChartPoint } from './line-chart';

/** Every progress report of a job once, in step order (a reconnecting stream may replay some). */
export type Reports = ReadonlyMap<string, TrainJobProgress>;

export const reportKey = (p: TrainJobProgress): string => `${p.epoch}-${p.step}`;

export function withReport(reports: Reports, p: TrainJobProgress): Reports {
  const key = reportKey(p);
  if (reports.has(key)) return reports;
  const next = new Map(reports);
  next.set(key, p);
  return next;
}

/**
 * The loss and accuracy curves. Reports give the epoch (from 1) and the step within it; the steps
 * an epoch has is the highest step seen (an epoch's last report is its end), so the x axis is the
 * global step, which keeps growing across epochs.
 */
export function curvesOf(reports: Reports): { loss: ChartPoint[]; accuracy: ChartPoint[] } {
  const all = [...reports.values()].sort((a, b) => a.epoch - b.epoch || a.step - b.step);
  const perEpoch = Math.max(1, ...all.map((p) => p.step));
  const loss: ChartPoint[] = [];
  const accuracy: ChartPoint[] = [];
  for (const p of all) {
    const x = Math.max(0, p.epoch - 1) * perEpoch + p.step;
    if (p.loss !== null) loss.push({ x, y: p.loss, epoch: p.epoch, step: p.step });
    if (p.accuracy !== null) accuracy.push({ x, y: p.accuracy, epoch: p.epoch, step: p.step });
  }
  return { loss, accuracy };
}
