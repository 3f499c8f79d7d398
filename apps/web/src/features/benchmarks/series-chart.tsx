import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DIGIT_COLORS } from '../models/curve-chart';

/*
 * Recharts is imported only here, and this module only through `lazy()` (the benchmark page and
 * the report viewer): it stays out of every first load. The chart is a picture to a screen reader
 * (role="img" with a name, Recharts' own keyboard layer off); its numbers are the table beside it.
 */

export interface ChartLine {
  readonly name: string;
  /** One value per category; null: nothing measured there (the line skips it). */
  readonly values: readonly (number | null)[];
}

interface Props {
  readonly label: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly categories: readonly string[];
  readonly lines: readonly ChartLine[];
  readonly format: (v: number) => string;
}

const AXIS = { fontSize: 12, fill: '#334155' };
const DASHES = [undefined, '6 3', '2 2'] as const;

export function SeriesChart({ label, xLabel, yLabel, categories, lines, format }: Props) {
  // Keys by position: engine names hold characters (".", "@") Recharts would read as a path.
  const data = categories.map((c, i) => Object.fromEntries([['category', c], ...lines.map((l, j) => [`s${j}`, l.values[i] ?? null])]) as Record<string, string | number | null>);
  return (
    <div role="img" aria-label={label} className="h-72 w-full min-w-0" data-chart-lines={lines.length}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="category" tick={AXIS} label={{ value: xLabel, position: 'insideBottom', offset: -12, fill: '#0f172a', fontSize: 12 }} />
          <YAxis tick={AXIS} width={64} tickFormatter={(v: number) => format(v)} label={{ value: yLabel, angle: -90, position: 'insideLeft', fill: '#0f172a', fontSize: 12 }} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} />
          <Legend verticalAlign="top" />
          {lines.map((l, j) => (
            <Line
              key={l.name}
              type="linear"
              dataKey={`s${j}`}
              name={l.name}
              stroke={DIGIT_COLORS[j % DIGIT_COLORS.length]}
              strokeDasharray={DASHES[Math.floor(j / DIGIT_COLORS.length) % DASHES.length]}
              strokeWidth={2}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
