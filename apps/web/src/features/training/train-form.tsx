import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useLocation, useSearch } from 'wouter';
import { TrainFamily, TrainingJob, TrainRequest, type FamilyView } from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorPanel, FormError, Loading } from '../../ui/feedback';
import { SelectField, TextField } from '../../ui/field';
import { datasetsListKey, fetchDatasets } from '../datasets/datasets-queries';
import { ParamFieldInput } from './param-field';
import { checkField, fieldsOf, rawDefault, type ParamField, type RawValue } from './param-schema';
import { familiesKey, familyWord, fetchFamilies, isNet, TRAINING_KEY } from './training-queries';

interface Trainable {
  readonly name: TrainFamily;
  readonly fields: ParamField[];
}

/** Families this trainer can train now, each with its form fields. */
function trainable(items: readonly FamilyView[]): Trainable[] {
  return items.flatMap((f) => {
    const name = TrainFamily.safeParse(f.name);
    return f.status === 'available' && name.success ? [{ name: name.data, fields: fieldsOf(f.parameters) }] : [];
  });
}

const defaultsOf = (fields: readonly ParamField[]): Record<string, RawValue> => Object.fromEntries(fields.map((f) => [f.name, rawDefault(f)]));

/** The form: families and datasets first, then one form per family. */
export function TrainForm() {
  const id = useId();
  const families = useQuery({ queryKey: familiesKey, queryFn: ({ signal }) => fetchFamilies(signal), staleTime: 60_000 });
  const datasets = useQuery({ queryKey: datasetsListKey, queryFn: ({ signal }) => fetchDatasets(signal) });
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('training.form.title')}
      </h2>
      {families.isPending || datasets.isPending ? (
        <Loading label={t('training.form.loading')} />
      ) : families.isError || datasets.isError ? (
        <ErrorPanel
          message={errorMessage(families.error ?? datasets.error)}
          onRetry={() => {
            void families.refetch();
            void datasets.refetch();
          }}
        />
      ) : (
        <FormBody families={families.data} datasets={datasets.data.filter((d) => d.status === 'ready')} />
      )}
    </Card>
  );
}

interface DatasetChoice {
  readonly id: string;
  readonly name: string;
  readonly built_in: boolean;
}

type Errors = Readonly<Record<string, string>>;

function FormBody({ families, datasets }: { readonly families: readonly FamilyView[]; readonly datasets: readonly DatasetChoice[] }) {
  const [, navigate] = useLocation();
  const search = useSearch();
  const queryClient = useQueryClient();
  const options = useMemo(() => trainable(families), [families]);
  const unavailable = families.filter((f) => f.status !== 'available').map((f) => f.name);
  const wanted = new URLSearchParams(search).get('dataset');
  const firstDataset = datasets.find((d) => d.id === wanted) ?? datasets.find((d) => d.built_in) ?? datasets[0];
  const [family, setFamily] = useState<TrainFamily | null>(() => (options.find((o) => o.name === 'cnn') ?? options[0])?.name ?? null);
  const [datasetId, setDatasetId] = useState(firstDataset?.id ?? '');
  const [epochs, setEpochs] = useState(() => (family && isNet(family) ? '5' : '1'));
  const [seed, setSeed] = useState('0');
  const [maxSamples, setMaxSamples] = useState('');
  const current = options.find((o) => o.name === family) ?? null;
  const [params, setParams] = useState<Record<string, RawValue>>(() => defaultsOf(current?.fields ?? []));
  const [errors, setErrors] = useState<Errors>({});

  const start = useMutation({
    mutationFn: (body: TrainRequest) => api('post', '/api/models/train', { body, schema: TrainingJob }),
    onSuccess: async (job) => {
      toast.success(t('training.form.started'));
      await queryClient.invalidateQueries({ queryKey: TRAINING_KEY });
      navigate(`/training/${job.id}`);
    },
  });

  function pickFamily(next: TrainFamily) {
    setFamily(next);
    setParams(defaultsOf(options.find((o) => o.name === next)?.fields ?? []));
    setEpochs(isNet(next) ? '5' : '1');
    setErrors({});
  }

  /** The request, or each field's problem in the catalogue's words. */
  function build(): { ok: true; body: TrainRequest } | { ok: false; errors: Errors } {
    const found: Record<string, string> = {};
    const whole = (text: string, min: number, max: number): number | null => {
      const n = Number(text);
      return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
    };
    const ep = whole(epochs, 1, 1000);
    if (ep === null) found.epochs = t('training.param.range', { min: 1, max: 1000 });
    const sd = whole(seed, 0, 2 ** 31 - 1);
    if (sd === null) found.seed = t('training.param.range', { min: 0, max: 2 ** 31 - 1 });
    const limit = maxSamples.trim() === '' ? undefined : whole(maxSamples, 10, 100_000_000);
    if (limit === null) found.max_train_samples = t('training.param.tooSmall', { min: 10 });
    const hyperparameters: Record<string, unknown> = {};
    for (const f of current?.fields ?? []) {
      const c = checkField(f, params[f.name] ?? rawDefault(f));
      if (!c.ok) found[`hp.${f.name}`] = c.message;
      // Only what differs from the default: the history then shows what this run changed.
      else if (c.value !== undefined && JSON.stringify(c.value) !== JSON.stringify(f.default)) hyperparameters[f.name] = c.value;
    }
    if (!family || !datasetId || Object.keys(found).length > 0) return { ok: false, errors: found };
    // Checks between fields (momentum only with sgd, ...) are the contract's own: the same schema the API applies.
    const checked = TrainRequest.safeParse({ dataset_id: datasetId, family, hyperparameters, epochs: ep, seed: sd, ...(limit === undefined ? {} : { max_train_samples: limit }) });
    if (checked.success) return { ok: true, body: checked.data };
    for (const issue of checked.error.issues) {
      const [head, field] = issue.path;
      found[head === 'hyperparameters' ? `hp.${String(field ?? '')}` : String(head ?? '')] = t('training.param.conflict', { reason: issue.message });
    }
    return { ok: false, errors: found };
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const built = build();
    setErrors(built.ok ? {} : built.errors);
    if (built.ok) start.mutate(built.body);
  }

  if (!current || datasets.length === 0) return <p className="text-slate-900">{datasets.length === 0 ? t('training.form.noDatasets') : t('training.form.unavailable', { names: unavailable.join(', ') })}</p>;
  const busy = start.isPending;
  const invalidNames = Object.keys(errors).map((k) => k.replace(/^hp\./, ''));
  return (
    <form onSubmit={submit} noValidate>
      <div className="grid gap-x-4 md:grid-cols-2">
        <SelectField name="family" label={t('training.form.family')} value={current.name} options={options.map((o) => ({ value: o.name, label: familyWord(o.name) }))} disabled={busy} onChange={(e) => pickFamily(TrainFamily.parse(e.currentTarget.value))} hint={unavailable.length > 0 ? t('training.form.unavailable', { names: unavailable.join(', ') }) : undefined} />
        <SelectField name="dataset_id" label={t('training.form.dataset')} value={datasetId} options={datasets.map((d) => ({ value: d.id, label: d.name }))} disabled={busy} onChange={(e) => setDatasetId(e.currentTarget.value)} hint={t('training.form.datasetHint')} />
        <TextField name="epochs" label={t('training.form.epochs')} inputMode="numeric" value={epochs} onChange={(e) => setEpochs(e.currentTarget.value)} hint={t('training.form.epochsHint')} error={errors.epochs ?? null} disabled={busy} />
        <TextField name="seed" label={t('training.form.seed')} inputMode="numeric" value={seed} onChange={(e) => setSeed(e.currentTarget.value)} hint={t('training.form.seedHint')} error={errors.seed ?? null} disabled={busy} />
        <TextField name="max_train_samples" label={t('training.form.maxSamples')} inputMode="numeric" value={maxSamples} onChange={(e) => setMaxSamples(e.currentTarget.value)} hint={t('training.form.maxSamplesHint')} error={errors.max_train_samples ?? null} disabled={busy} />
      </div>
      <fieldset className="mt-2 border-t border-slate-200 pt-4">
        <legend className="mb-2 pt-2 font-semibold text-slate-900">{t('training.form.params', { family: current.name })}</legend>
        <div className="grid gap-x-4 md:grid-cols-2 lg:grid-cols-3">
          {current.fields.map((f) => (
            <ParamFieldInput key={`${current.name}.${f.name}`} field={f} value={params[f.name] ?? rawDefault(f)} error={errors[`hp.${f.name}`] ?? null} disabled={busy} onChange={(v) => setParams((p) => ({ ...p, [f.name]: v }))} />
          ))}
        </div>
      </fieldset>
      <FormError message={invalidNames.length > 0 ? t('training.form.invalid', { fields: invalidNames.join(', ') }) : start.isError ? errorMessage(start.error) : null} />
      <Button type="submit" disabled={busy}>
        {busy ? t('training.form.submitting') : t('training.form.submit')}
      </Button>
    </form>
  );
}
