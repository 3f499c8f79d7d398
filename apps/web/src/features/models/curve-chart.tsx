/*
 * A small square SVG chart of curves on [0,1] x [0,1] (ROC curves, reliability diagrams): no chart
 * library, so the model pages stay a light lazy chunk. Strokes are chosen for 3:1 contrast on white.
 */

export interface Series {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly dash?: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Draw a dot at each point too (few points: reliability bins). */
  readonly dots?: boolean;
}

const SIZE = 300;
const PAD = { left: 44, right: 10, top: 10, bottom: 40 };
const W = SIZE - PAD.left - PAD.right;
const H = SIZE - PAD.top - PAD.bottom;
const sx = (v: number): number => PAD.left + v * W;
const sy = (v: number): number => PAD.top + (1 - v) * H;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

interface CurveChartProps {
  /** The chart's accessible name (what it shows); the numbers are in the text beside it. */
  readonly label: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** The y = x line (chance for ROC, perfect calibration for reliability). */
  readonly diagonal: boolean;
}

export function CurveChart({ label, xLabel, yLabel, series, diagonal }: CurveChartProps) {
  return (
    <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={label} className="h-auto w-full max-w-sm">
      <rect x={PAD.left} y={PAD.top} width={W} height={H} fill="white" stroke="#64748b" />
      {TICKS.map((v) => (
        <g key={v}>
          <line x1={sx(v)} x2={sx(v)} y1={PAD.top} y2={PAD.top + H} stroke="#e2e8f0" />
          <line x1={PAD.left} x2={PAD.left + W} y1={sy(v)} y2={sy(v)} stroke="#e2e8f0" />
          <text x={sx(v)} y={PAD.top + H + 14} fontSize="10" textAnchor="middle" fill="#1e293b">
            {v}
          </text>
          <text x={PAD.left - 6} y={sy(v) + 3} fontSize="10" textAnchor="end" fill="#1e293b">
            {v}
          </text>
        </g>
      ))}
      <text x={PAD.left + W / 2} y={SIZE - 6} fontSize="11" textAnchor="middle" fill="#0f172a">
        {xLabel}
      </text>
      <text x={12} y={PAD.top + H / 2} fontSize="11" textAnchor="middle" fill="#0f172a" transform={`rotate(-90 12 ${PAD.top + H / 2})`}>
        {yLabel}
      </text>
      {diagonal ? <line x1={sx(0)} y1={sy(0)} x2={sx(1)} y2={sy(1)} stroke="#64748b" strokeDasharray="3 3" /> : null}
      {series.map((s) => (
        <g key={s.key}>
          <polyline
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            strokeDasharray={s.dash}
            points={s.x.map((x, i) => `${sx(x).toFixed(1)},${sy(s.y[i] ?? 0).toFixed(1)}`).join(' ')}
          />
          {s.dots ? s.x.map((x, i) => <circle key={i} cx={sx(x)} cy={sy(s.y[i] ?? 0)} r={3} fill={s.color} />) : null}
        </g>
      ))}
    </svg>
  );
}

/** One stroke colour per digit, then the averages: all at least 3:1 on white. */
export const DIGIT_COLORS = ['#1d4ed8', '#b91c1c', '#15803d', '#7e22ce', '#c2410c', '#0f766e', '#a21caf', '#4d7c0f', '#be123c', '#0369a1'] as const;
export const MICRO_COLOR = '#0f172a';
export const MACRO_COLOR = '#475569';
