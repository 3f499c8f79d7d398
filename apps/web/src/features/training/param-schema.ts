import { z } from 'zod';
import { t } from '../../i18n/i18n';

/*
 * A family's hyperparameter form is built from the JSON Schema `GET /api/families` sends (what
 * zod's toJSONSchema writes for FAMILY_HYPERPARAMETERS): each property becomes one field of a
 * kind the form can show, with its default, bounds and choices. The form keeps what the user
 * typed as text (or a checkbox's state) and turns it into the JSON value here, with the
 * catalogue's words for what is wrong.
 */

export interface NumberRule {
  readonly integer: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly above?: number;
  readonly below?: number;
}

export type FieldKind =
  | { readonly kind: 'choice'; readonly options: readonly (string | number)[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'number'; readonly rule: NumberRule }
  | { readonly kind: 'list'; readonly item: NumberRule; readonly minItems: number; readonly maxItems?: number; readonly single: boolean }
  | { readonly kind: 'wordOrNumber'; readonly words: readonly string[]; readonly rule: NumberRule }
  | { readonly kind: 'json' };

export type ParamField = FieldKind & {
  readonly name: string;
  readonly description: string | null;
  /** undefined: the schema gives none (the trainer decides, e.g. `momentum`). */
  readonly default: unknown;
};

/** What the form holds for a field: text for every kind but a checkbox. */
export type RawValue = string | boolean;

const Prop = z.looseObject({
  type: z.string().optional(),
  enum: z.array(z.union([z.string(), z.number()])).optional(),
  const: z.union([z.string(), z.number()]).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  exclusiveMinimum: z.number().optional(),
  exclusiveMaximum: z.number().optional(),
  minItems: z.number().optional(),
  maxItems: z.number().optional(),
  items: z.unknown().optional(),
  anyOf: z.array(z.unknown()).optional(),
  description: z.string().optional(),
  default: z.unknown().optional(),
});
type Prop = z.infer<typeof Prop>;
const Schema = z.looseObject({ properties: z.record(z.string(), z.unknown()) });

// Bounds past what a person would type (MAX_SAFE_INTEGER for "any positive integer") say nothing.
const sane = (n: number | undefined): number | undefined => (n !== undefined && Math.abs(n) < 1e12 ? n : undefined);

function ruleOf(p: Prop): NumberRule {
  const r: { integer: boolean; min?: number; max?: number; above?: number; below?: number } = { integer: p.type === 'integer' };
  const [min, max, above, below] = [sane(p.minimum), sane(p.maximum), sane(p.exclusiveMinimum), sane(p.exclusiveMaximum)];
  if (min !== undefined) r.min = min;
  if (max !== undefined) r.max = max;
  if (above !== undefined) r.above = above;
  if (below !== undefined) r.below = below;
  return r;
}

const isNumeric = (p: Prop): boolean => p.type === 'number' || p.type === 'integer';

function kindOf(p: Prop): FieldKind {
  if (p.enum) return { kind: 'choice', options: p.enum };
  if (p.type === 'boolean') return { kind: 'boolean' };
  if (isNumeric(p)) return { kind: 'number', rule: ruleOf(p) };
  if (p.type === 'array') {
    const item = Prop.safeParse(p.items);
    if (item.success && isNumeric(item.data)) return { kind: 'list', item: ruleOf(item.data), minItems: p.minItems ?? 0, ...(p.maxItems !== undefined ? { maxItems: p.maxItems } : {}), single: false };
    return { kind: 'json' };
  }
  const alternatives = (p.anyOf ?? []).map((a) => Prop.safeParse(a)).flatMap((a) => (a.success ? [a.data] : []));
  if (alternatives.length > 0 && alternatives.length === (p.anyOf ?? []).length) {
    // kernel_size: 3 | 5.
    const consts = alternatives.map((a) => a.const);
    if (consts.every((c) => c !== undefined)) return { kind: 'choice', options: consts.filter((c): c is string | number => c !== undefined) };
    // augmentation: true takes every default; the object form stays an API-only refinement.
    if (alternatives.some((a) => a.type === 'boolean')) return { kind: 'boolean' };
    const numeric = alternatives.find(isNumeric);
    const list = alternatives.find((a) => a.type === 'array');
    const words = alternatives.find((a) => a.enum)?.enum?.filter((w): w is string => typeof w === 'string');
    // neurons: one width, or one per layer.
    if (numeric && list) {
      const k = kindOf(list);
      if (k.kind === 'list') return { ...k, single: true };
    }
    // gamma: scale | auto | a number; max_features: sqrt | log2 | an integer.
    if (numeric && words) return { kind: 'wordOrNumber', words, rule: ruleOf(numeric) };
    // max_depth: an integer or null (empty = the default, null).
    if (numeric && alternatives.some((a) => a.type === 'null')) return { kind: 'number', rule: ruleOf(numeric) };
  }
  return { kind: 'json' };
}

/** The fields of a family's hyperparameters schema, in the schema's order. */
export function fieldsOf(schema: unknown): ParamField[] {
  const parsed = Schema.safeParse(schema);
  if (!parsed.success) return [];
  return Object.entries(parsed.data.properties).flatMap(([name, raw]) => {
    const p = Prop.safeParse(raw);
    if (!p.success) return [];
    return [{ name, description: p.data.description ?? null, default: p.data.default, ...kindOf(p.data) }];
  });
}

/** The value as the form first shows it: the default, written the way the field reads it. */
export function rawDefault(f: ParamField): RawValue {
  if (f.kind === 'boolean') return f.default === true;
  if (f.default === undefined || f.default === null) return '';
  if (Array.isArray(f.default)) return f.default.join(', ');
  if (f.kind === 'json' || typeof f.default === 'object') return JSON.stringify(f.default);
  return String(f.default);
}

/** A default in words for the field's hint. */
export function defaultWords(f: ParamField): string {
  if (f.default === undefined) return '';
  if (f.default === null) return t('training.param.none');
  if (typeof f.default === 'boolean') return f.default ? t('training.param.yes') : t('training.param.no');
  if (Array.isArray(f.default)) return f.default.join(', ');
  return typeof f.default === 'object' ? JSON.stringify(f.default) : String(f.default);
}

/** The bounds in words ("From 1 to 2000."), or ''. */
export function ruleWords(r: NumberRule): string {
  const low = r.min ?? r.above;
  const high = r.max ?? r.below;
  if (r.min !== undefined && r.max !== undefined) return t('training.param.range', { min: r.min, max: r.max });
  const parts: string[] = [];
  if (low !== undefined) parts.push(r.min !== undefined ? t('training.param.atLeast', { min: low }) : t('training.param.above', { min: low }));
  if (high !== undefined) parts.push(r.max !== undefined ? t('training.param.atMost', { max: high }) : t('training.param.below', { max: high }));
  return parts.join(' ');
}

export type Checked = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

function checkNumber(text: string, r: NumberRule): Checked {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) return { ok: false, message: t('training.param.notNumber') };
  if (r.integer && !Number.isInteger(n)) return { ok: false, message: t('training.param.notInteger') };
  if (r.min !== undefined && n < r.min) return { ok: false, message: t('training.param.tooSmall', { min: r.min }) };
  if (r.max !== undefined && n > r.max) return { ok: false, message: t('training.param.tooLarge', { max: r.max }) };
  if (r.above !== undefined && n <= r.above) return { ok: false, message: t('training.param.notAbove', { min: r.above }) };
  if (r.below !== undefined && n >= r.below) return { ok: false, message: t('training.param.notBelow', { max: r.below }) };
  return { ok: true, value: n };
}

/**
 * The JSON value of a field, or the catalogue's words for what is wrong. An empty text field is
 * left out of the request (`value: undefined`), so the family's default applies.
 */
export function checkField(f: ParamField, raw: RawValue): Checked {
  if (f.kind === 'boolean') return { ok: true, value: raw === true };
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return { ok: true, value: undefined };
  switch (f.kind) {
    case 'choice': {
      const hit = f.options.find((o) => String(o) === text);
      return hit === undefined ? { ok: false, message: t('training.param.notWordOrNumber', { words: f.options.join(', ') }) } : { ok: true, value: hit };
    }
    case 'number':
      return checkNumber(text, f.rule);
    case 'wordOrNumber':
      return f.words.includes(text) ? { ok: true, value: text } : /^[\d.eE+-]+$/.test(text) ? checkNumber(text, f.rule) : { ok: false, message: t('training.param.notWordOrNumber', { words: f.words.join(', ') }) };
    case 'list': {
      const parts = text.split(/[\s,]+/).filter(Boolean);
      if (parts.length === 0) return { ok: false, message: t('training.param.notList') };
      const values: number[] = [];
      for (const part of parts) {
        const c = checkNumber(part, f.item);
        if (!c.ok) return c;
        values.push(c.value as number);
      }
      if (values.length < f.minItems) return { ok: false, message: t('training.param.fewItems', { n: f.minItems }) };
      if (f.maxItems !== undefined && values.length > f.maxItems) return { ok: false, message: t('training.param.manyItems', { n: f.maxItems }) };
      return { ok: true, value: f.single && values.length === 1 && !Array.isArray(f.default) ? values[0] : values };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, message: t('training.param.notJson') };
      }
  }
}
