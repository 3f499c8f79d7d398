import type { Rng } from '@inkwell/ml-data';
import type { ChoiceParamSpec, FloatParamSpec, IntParamSpec, Params, ParamSpec, ParamValue, SearchSpace } from './types';

export type NumericSpec = FloatParamSpec | IntParamSpec;

/**
 * Parameter names with every condition's parameter before the parameters it controls, otherwise
 * in declaration order. Samplers walk this order so a `when` is always decided before it is read.
 */
export function paramOrder(space: SearchSpace): string[] {
  const out: string[] = [];
  const placed = new Set<string>();
  const place = (name: string, depth: number): void => {
    if (placed.has(name) || depth > Object.keys(space).length) return;
    const parent = space[name]?.when?.param;
    if (parent !== undefined && parent in space) place(parent, depth + 1);
    placed.add(name);
    out.push(name);
  };
  for (const name of Object.keys(space)) place(name, 0);
  return out;
}

/** Whether `spec` applies given the parameters decided so far (a parent that is absent is false). */
export function isActive(spec: ParamSpec, params: Params): boolean {
  if (!spec.when) return true;
  const v = params[spec.when.param];
  return v !== undefined && spec.when.in.some((w) => w === v);
}

const fwd = (spec: NumericSpec, v: number): number => (spec.log === true ? Math.log(v) : v);
const inv = (spec: NumericSpec, x: number): number => (spec.log === true ? Math.exp(x) : x);

/**
 * The interval a numeric parameter is modelled on: log space for log parameters; an int widens by
 * half a step each side so its end values get a full share once rounded.
 */
export function internalRange(spec: NumericSpec): [number, number] {
  if (spec.kind === 'float') return [fwd(spec, spec.low), fwd(spec, spec.high)];
  const half = (spec.step ?? 1) / 2;
  const low = spec.log === true ? spec.low - Math.min(half, spec.low / 2) : spec.low - half;
  return [fwd(spec, low), fwd(spec, spec.high + half)];
}

export function toInternal(spec: NumericSpec, value: number): number {
  return fwd(spec, value);
}

/** Back from the model's coordinate to a legal value (clamped; ints on their step grid). */
export function fromInternal(spec: NumericSpec, x: number): number {
  const v = inv(spec, x);
  if (spec.kind === 'float') return Math.min(spec.high, Math.max(spec.low, v));
  const step = spec.step ?? 1;
  const k = Math.round((v - spec.low) / step);
  return Math.min(spec.high, Math.max(spec.low, spec.low + k * step));
}

/** Position in [0, 1] of a value along its axis (choices: index / (count - 1)); features for importance. */
export function toUnit(spec: ParamSpec, value: ParamValue): number {
  if (spec.kind === 'choice') {
    const i = spec.values.findIndex((v) => v === value);
    return spec.values.length > 1 ? Math.max(0, i) / (spec.values.length - 1) : 0;
  }
  if (typeof value !== 'number') return 0;
  const [a, b] = [fwd(spec, spec.low), fwd(spec, spec.high)];
  return b > a ? (fwd(spec, value) - a) / (b - a) : 0;
}

export function sampleChoice(spec: ChoiceParamSpec, rng: Rng): ParamValue {
  const v = spec.values[rng.int(spec.values.length)];
  if (v === undefined) throw new Error('choice parameter has no values');
  return v;
}

export function sampleOne(spec: ParamSpec, rng: Rng): ParamValue {
  if (spec.kind === 'choice') return sampleChoice(spec, rng);
  if (spec.kind === 'int' && spec.log !== true) {
    const step = spec.step ?? 1;
    return spec.low + step * rng.int(Math.floor((spec.high - spec.low) / step) + 1);
  }
  const [a, b] = internalRange(spec);
  return fromInternal(spec, rng.uniform(a, b));
}

/** Uniform (log-uniform on log axes) over the space; inactive conditional parameters are left out. */
export function sampleUniform(space: SearchSpace, rng: Rng): Params {
  const params: Params = {};
  for (const name of paramOrder(space)) {
    const spec = space[name];
    if (spec && isActive(spec, params)) params[name] = sampleOne(spec, rng);
  }
  return params;
}

/**
 * Drops parameters whose condition became false and fills ones that became true (after a
 * crossover or mutation changed a parent), keeping the rest.
 */
export function repair(space: SearchSpace, params: Params, rng: Rng): Params {
  const out: Params = {};
  for (const name of paramOrder(space)) {
    const spec = space[name];
    if (!spec || !isActive(spec, out)) continue;
    const v = params[name];
    out[name] = v !== undefined ? v : sampleOne(spec, rng);
  }
  return out;
}
