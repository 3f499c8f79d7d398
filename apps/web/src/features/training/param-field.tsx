import { useId } from 'react';
import { t } from '../../i18n/i18n';
import { SelectField, TextField } from '../../ui/field';
import { defaultWords, ruleWords, type ParamField, type RawValue } from './param-schema';

/** What a field's hint says: the schema's description, its bounds or choices, its default. */
function hintOf(f: ParamField): string {
  const parts: string[] = [];
  // The schema's descriptions mark names as code (`step`); plain text here.
  const said = f.description?.replace(/`/g, '');
  if (said) parts.push(`${said.charAt(0).toUpperCase()}${said.slice(1)}.`);
  if (f.kind === 'number') parts.push(ruleWords(f.rule));
  if (f.kind === 'list') parts.push(t('training.param.listHint'), ruleWords(f.item));
  if (f.kind === 'wordOrNumber') parts.push(t('training.param.wordsOrNumber', { words: f.words.join(', ') }), ruleWords(f.rule));
  parts.push(f.default === undefined ? t('training.param.noDefault') : t('training.param.default', { value: defaultWords(f) }));
  return parts.filter(Boolean).join(' ');
}

interface Props {
  readonly field: ParamField;
  readonly value: RawValue;
  readonly error: string | null;
  readonly disabled: boolean;
  readonly onChange: (value: RawValue) => void;
}

/** One hyperparameter, labelled with its API name (what the history and exports call it). */
export function ParamFieldInput({ field: f, value, error, disabled, onChange }: Props) {
  const id = useId();
  const hint = hintOf(f);
  if (f.kind === 'boolean') {
    return (
      <div className="mb-4">
        <label htmlFor={id} className="inline-flex min-h-11 cursor-pointer items-center gap-2 font-medium text-slate-900">
          <input id={id} type="checkbox" className="size-5 accent-blue-700" checked={value === true} disabled={disabled} aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.currentTarget.checked)} />
          <span className="font-mono">{f.name}</span>
        </label>
        <p id={`${id}-hint`} className="text-sm text-slate-700">
          {hint}
        </p>
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  if (f.kind === 'choice') {
    // An empty choice only where the schema has no default (the trainer then decides).
    const options = [...(f.default === undefined ? [{ value: '', label: t('state.none') }] : []), ...f.options.map((o) => ({ value: String(o), label: String(o) }))];
    return <SelectField name={f.name} label={f.name} className="font-mono" options={options} value={text} hint={hint} error={error} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
  const numeric = f.kind === 'number';
  return (
    <TextField
      name={f.name}
      label={f.name}
      className="font-mono"
      inputMode={numeric ? 'decimal' : 'text'}
      autoComplete="off"
      spellCheck={false}
      value={text}
      hint={hint}
      error={error}
      disabled={disabled}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
