import { useId, useState } from 'react';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { SelectField, TextField } from '../../ui/field';
import type { ParamField } from '../training/param-schema';
import { draftFromField, type AxisDraft } from './space-draft';

interface Props {
  readonly drafts: readonly AxisDraft[];
  /** The family's schema fields: descriptions for hints, and those the space may add. */
  readonly fields: readonly ParamField[];
  readonly errors: Readonly<Record<string, string>>;
  readonly disabled: boolean;
  readonly onChange: (drafts: AxisDraft[]) => void;
}

function Check({ label, checked, disabled, onChange }: { readonly label: string; readonly checked: boolean; readonly disabled: boolean; readonly onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <label htmlFor={id} className="inline-flex min-h-11 cursor-pointer items-center gap-2 font-medium text-slate-900">
      <input id={id} type="checkbox" className="size-5 accent-blue-700" checked={checked} disabled={disabled} onChange={(e) => onChange(e.currentTarget.checked)} />
      {label}
    </label>
  );
}

/** One fieldset per parameter: searched or not, its range (low, high, log scale, step) or its values. */
export function SpaceEditor({ drafts, fields, errors, disabled, onChange }: Props) {
  const [adding, setAdding] = useState('');
  const addable = fields.filter((f) => !drafts.some((d) => d.name === f.name) && draftFromField(f) !== null);
  const set = (name: string, patch: Partial<AxisDraft>) => onChange(drafts.map((d) => (d.name === name ? { ...d, ...patch } : d)));
  return (
    <div>
      <div className="grid gap-4 lg:grid-cols-2">
        {drafts.map((d) => {
          const description = fields.find((f) => f.name === d.name)?.description?.replace(/`/g, '');
          const error = errors[d.name] ?? null;
          return (
            <fieldset key={d.name} className="min-w-0 rounded-md border border-slate-300 p-3" data-axis={d.name}>
              <legend className="px-1 font-mono font-semibold text-slate-900">{d.name}</legend>
              <Check label={t('tuning.space.search', { name: d.name })} checked={d.included} disabled={disabled} onChange={(included) => set(d.name, { included })} />
              {description ? <p className="mb-2 text-sm text-slate-700">{description}</p> : null}
              {d.when ? <p className="mb-2 text-sm text-slate-700">{t('tuning.space.when', { param: d.when.param, values: d.when.in.map(String).join(', ') })}</p> : null}
              {!d.included ? null : d.kind === 'choice' ? (
                <TextField name={`${d.name}.values`} label={t('tuning.space.values', { name: d.name })} className="font-mono" value={d.values} hint={t('tuning.space.valuesHint')} error={error} disabled={disabled} autoComplete="off" spellCheck={false} onChange={(e) => set(d.name, { values: e.currentTarget.value })} />
              ) : (
                <>
                  <div className="grid grid-cols-2 gap-x-3">
                    <TextField name={`${d.name}.low`} label={t('tuning.space.low', { name: d.name })} inputMode="decimal" className="font-mono" value={d.low} disabled={disabled} autoComplete="off" onChange={(e) => set(d.name, { low: e.currentTarget.value })} />
                    <TextField name={`${d.name}.high`} label={t('tuning.space.high', { name: d.name })} inputMode="decimal" className="font-mono" value={d.high} disabled={disabled} autoComplete="off" onChange={(e) => set(d.name, { high: e.currentTarget.value })} />
                  </div>
                  <div className="flex flex-wrap items-end gap-x-4">
                    <Check label={t('tuning.space.log', { name: d.name })} checked={d.log} disabled={disabled} onChange={(log) => set(d.name, { log })} />
                    {d.kind === 'int' ? (
                      <div className="w-32">
                        <TextField name={`${d.name}.step`} label={t('tuning.space.step', { name: d.name })} inputMode="numeric" className="font-mono" value={d.step} disabled={disabled} autoComplete="off" onChange={(e) => set(d.name, { step: e.currentTarget.value })} />
                      </div>
                    ) : null}
                  </div>
                  {error ? <p className="text-sm text-red-800">{error}</p> : null}
                </>
              )}
            </fieldset>
          );
        })}
      </div>
      {addable.length > 0 ? (
        <div className="mt-4 flex flex-wrap items-end gap-3">
          <div className="w-64">
            <SelectField name="add_param" label={t('tuning.space.addLabel')} value={adding} disabled={disabled} options={[{ value: '', label: t('tuning.space.addPick') }, ...addable.map((f) => ({ value: f.name, label: f.name }))]} onChange={(e) => setAdding(e.currentTarget.value)} />
          </div>
          <Button
            variant="secondary"
            className="mb-4"
            disabled={disabled || adding === ''}
            onClick={() => {
              const f = fields.find((x) => x.name === adding);
              const draft = f ? draftFromField(f) : null;
              if (draft) onChange([...drafts, draft]);
              setAdding('');
            }}
          >
            {t('tuning.space.add')}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
