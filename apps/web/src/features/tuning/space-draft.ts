import type { SearchParam, SearchSpace } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import type { ParamField } from '../training/param-schema';

type TuningParamValue = string | number | boolean;

/*
 * The search space as the form holds it: one row per parameter, as typed. It starts from the
 * family's default space (GET /api/tuning/spaces); a parameter of the family's schema that the
 * default space leaves out can be added as a row (numbers as a range, choices and yes/no as values).
 */

export interface AxisDraft {
  readonly name: string;
  readonly included: boolean;
  readonly kind: SearchParam['kind'];
  readonly low: string;
  readonly high: string;
  readonly log: boolean;
  readonly step: string;
  /** Choices, comma-separated. */
  readonly values: string;
  /** Kept from the default space; dropped when the parameter it names is not searched. */
  readonly when: SearchParam['when'];
}

export function draftOf(name: string, p: SearchParam): AxisDraft {
  const base = { name, included: true, kind: p.kind, low: '', high: '', log: false, step: '', values: '', when: p.when };
  if (p.kind === 'choice') return { ...base, values: p.values.map(String).join(', ') };
  return { ...base, low: String(p.low), high: String(p.high), log: p.log === true, step: p.kind === 'int' && p.step !== undefined ? String(p.step) : '' };
}

export const draftsOf = (space: SearchSpace): AxisDraft[] => Object.entries(space).map(([name, p]) => draftOf(name, p));

/** A row for a schema field the default space leaves out, or null when it cannot be searched (lists, JSON). */
export function draftFromField(f: ParamField): AxisDraft | null {
  const base = { name: f.name, included: true, low: '', high: '', log: false, step: '', values: '', when: undefined };
  if (f.kind === 'choice') return { ...base, kind: 'choice', values: f.options.map(String).join(', ') };
  if (f.kind === 'boolean') return { ...base, kind: 'choice', values: 'true, false' };
  if (f.kind !== 'number' && f.kind !== 'wordOrNumber') return null;
  const d = typeof f.default === 'number' ? f.default : 1;
  const low = f.rule.min ?? (f.rule.above !== undefined ? f.rule.above + (f.rule.integer ? 1 : 0.001) : f.rule.integer ? Math.max(1, Math.round(d / 2)) : d / 10);
  const high = f.rule.max ?? (f.rule.integer ? Math.max(low + 1, d * 2) : Math.max(low * 10, d * 10));
  return { ...base, kind: f.rule.integer ? 'int' : 'float', low: String(low), high: String(high) };
}

/** A typed choice: a number when it reads as one, true/false as booleans, else the word. */
function choiceValue(text: string): TuningParamValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

export type SpaceResult = { readonly ok: true; readonly space: SearchSpace } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

/** The space the request sends, or each row's problem (keyed by parameter name) in the catalogue's words. */
export function buildSpace(drafts: readonly AxisDraft[]): SpaceResult {
  const errors: Record<string, string> = {};
  const space: Record<string, SearchParam> = {};
  const searched = new Set(drafts.filter((d) => d.included).map((d) => d.name));
  for (const d of drafts) {
    if (!d.included) continue;
    const when = d.when && searched.has(d.when.param) ? { when: d.when } : {};
    if (d.kind === 'choice') {
      const values = d.values.split(',').map((v) => v.trim()).filter(Boolean).map(choiceValue);
      if (values.length === 0) errors[d.name] = t('tuning.space.noValues');
      else space[d.name] = { kind: 'choice', values, ...when };
      continue;
    }
    const [low, high] = [Number(d.low), Number(d.high)];
    const int = d.kind === 'int';
    if (d.low.trim() === '' || d.high.trim() === '' || !Number.isFinite(low) || !Number.isFinite(high)) errors[d.name] = t('tuning.space.notNumbers');
    else if (int && (!Number.isInteger(low) || !Number.isInteger(high))) errors[d.name] = t('tuning.space.notIntegers');
    else if (low >= high) errors[d.name] = t('tuning.space.lowHigh');
    else if (d.log && low <= 0) errors[d.name] = t('tuning.space.logPositive');
    else if (int) {
      const step = d.step.trim() === '' ? undefined : Number(d.step);
      if (step !== undefined && (!Number.isInteger(step) || step < 1)) errors[d.name] = t('tuning.space.badStep');
      else space[d.name] = { kind: 'int', low, high, ...(d.log ? { log: true } : {}), ...(step === undefined ? {} : { step }), ...when };
    } else space[d.name] = { kind: 'float', low, high, ...(d.log ? { log: true } : {}), ...when };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (Object.keys(space).length === 0) return { ok: false, errors: { '': t('tuning.space.empty') } };
  return { ok: true, space };
}
