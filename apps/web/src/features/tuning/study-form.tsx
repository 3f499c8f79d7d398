import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useLocation } from 'wouter';
import { TrainFamily, TuningJob, TuningRequest, type FamilyView, type SearchSpace, type TuningMethod } from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t, type MessageKey } from '../../i18n/i18n';
import { issueText } from '../../i18n/zod-issue';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorPanel, FormError, Loading } from '../../ui/feedback';
import { SelectField, TextField } from '../../ui/field';
import { fieldsOf, type ParamField } from '../training/param-schema';
import { familiesKey, familyWord, fetchFamilies, isNet } from '../training/training-queries';
import { buildSpace, draftsOf, type AxisDraft } from './space-draft';
import { SpaceEditor } from './space-editor';
import { fetchSpaces, methodWord, spacesKey, TUNING_KEY } from './tuning-queries';

const FIELD_WORD: Readonly<Record<string, MessageKey>> = {
  family: 'tuning.form.family',
  dataset_id: 'tuning.form.dataset',
  method: 'tuning.form.method',
  points: 'tuning.form.points',
  population: 'tuning.form.population',
  generations: 'tuning.form.generations',
  trials: 'tuning.form.trials',
  budget: 'tuning.form.trials',
  max_minutes: 'tuning.form.maxMinutes',
  seed: 'tuning.form.seed',
  epochs: 'tuning.form.epochs',
  max_train_samples: 'tuning.form.maxSamples',
  space: 'tuning.form.space',
};

/**
 * A field as the form labels it, for error lists: a searched parameter keeps its own name (the
 * space editor shows it so), every other field its label, never the API's key.
 */
function fieldWord(key: string): string {
  const [head = '', param] = key.split('.');
  if (head === 'space') return param || t('tuning.form.space');
  const word = FIELD_WORD[head] ?? (head.startsWith('method') ? 'tuning.form.method' : undefined);
  return t(word ?? 'tuning.form.request');
}

/** Tuning reads MNIST's files directly; uploaded datasets are not wired into trials yet (the API says 409). */
const DATASET = 'mnist';

interface Tunable {
  readonly name: TrainFamily;
  readonly fields: ParamField[];
  readonly space: SearchSpace;
}

function tunable(families: readonly FamilyView[], spaces: readonly { family: TrainFamily; space: SearchSpace }[]): Tunable[] {
  return families.flatMap((f) => {
    const name = TrainFamily.safeParse(f.name);
    const space = spaces.find((s) => s.family === f.name)?.space;
    return f.status === 'available' && name.success && space ? [{ name: name.data, fields: fieldsOf(f.parameters), space }] : [];
  });
}

export function StudyForm() {
  const id = useId();
  const families = useQuery({ queryKey: familiesKey, queryFn: ({ signal }) => fetchFamilies(signal), staleTime: 60_000 });
  const spaces = useQuery({ queryKey: spacesKey, queryFn: ({ signal }) => fetchSpaces(signal), staleTime: Infinity });
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('tuning.form.title')}
      </h2>
      {families.isPending || spaces.isPending ? (
        <Loading label={t('tuning.form.loading')} />
      ) : families.isError || spaces.isError ? (
        <ErrorPanel
          message={errorMessage(families.error ?? spaces.error)}
          onRetry={() => {
            void families.refetch();
            void spaces.refetch();
          }}
        />
      ) : (
        <FormBody options={tunable(families.data, spaces.data)} />
      )}
    </Card>
  );
}

type MethodKind = TuningMethod['kind'];
const METHODS: readonly MethodKind[] = ['grid', 'random', 'bayesian', 'genetic'];
type Errors = Readonly<Record<string, string>>;

function whole(text: string, min: number, max: number): number | null {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

function FormBody({ options }: { readonly options: readonly Tunable[] }) {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [family, setFamily] = useState<TrainFamily | null>(() => (options.find((o) => o.name === 'svm') ?? options[0])?.name ?? null);
  const current = useMemo(() => options.find((o) => o.name === family) ?? null, [options, family]);
  const [drafts, setDrafts] = useState<AxisDraft[]>(() => (current ? draftsOf(current.space) : []));
  const [method, setMethod] = useState<MethodKind>('grid');
  const [points, setPoints] = useState('3');
  const [population, setPopulation] = useState('8');
  const [generations, setGenerations] = useState('4');
  const [trials, setTrials] = useState('20');
  const [maxMinutes, setMaxMinutes] = useState('');
  const [seed, setSeed] = useState('0');
  const [epochs, setEpochs] = useState('1');
  const [maxSamples, setMaxSamples] = useState('1000');
  const [errors, setErrors] = useState<Errors>({});

  const start = useMutation({
    mutationFn: (body: TuningRequest) => api('post', '/api/tuning', { body, schema: TuningJob }),
    onSuccess: async (study) => {
      toast.success(t('tuning.form.started'));
      await queryClient.invalidateQueries({ queryKey: TUNING_KEY });
      navigate(`/tuning/${study.id}`);
    },
  });

  function pickFamily(next: TrainFamily) {
    setFamily(next);
    const o = options.find((x) => x.name === next);
    setDrafts(o ? draftsOf(o.space) : []);
    setEpochs(isNet(next) ? '3' : '1');
    setErrors({});
  }

  function methodOf(found: Record<string, string>): TuningMethod | null {
    if (method === 'grid') {
      const n = whole(points, 2, 100);
      if (n === null) found.points = t('tuning.form.range', { min: 2, max: 100 });
      return n === null ? null : { kind: 'grid', points_per_axis: n };
    }
    if (method === 'genetic') {
      const [p, g] = [whole(population, 2, 1000), whole(generations, 1, 1000)];
      if (p === null) found.population = t('tuning.form.range', { min: 2, max: 1000 });
      if (g === null) found.generations = t('tuning.form.range', { min: 1, max: 1000 });
      return p === null || g === null ? null : { kind: 'genetic', population: p, generations: g, mutation_rate: 0.2, crossover_rate: 0.8, elitism: 1, tournament_size: Math.min(3, p) };
    }
    return { kind: method };
  }

  function build(): { ok: true; body: TuningRequest } | { ok: false; errors: Errors } {
    const found: Record<string, string> = {};
    const space = buildSpace(drafts);
    if (!space.ok) Object.assign(found, Object.fromEntries(Object.entries(space.errors).map(([k, v]) => [`space.${k}`, v])));
    const m = methodOf(found);
    const n = whole(trials, 1, 500);
    if (n === null) found.trials = t('tuning.form.range', { min: 1, max: 500 });
    const minutes = maxMinutes.trim() === '' ? undefined : whole(maxMinutes, 1, 7 * 24 * 60);
    if (minutes === null) found.max_minutes = t('tuning.form.range', { min: 1, max: 7 * 24 * 60 });
    const sd = whole(seed, 0, 2 ** 31 - 1);
    if (sd === null) found.seed = t('tuning.form.range', { min: 0, max: 2 ** 31 - 1 });
    const ep = whole(epochs, 1, 200);
    if (ep === null) found.epochs = t('tuning.form.range', { min: 1, max: 200 });
    const limit = maxSamples.trim() === '' ? undefined : whole(maxSamples, 10, 100_000_000);
    if (limit === null) found.max_train_samples = t('tuning.form.tooSmall', { min: 10 });
    if (!family || !space.ok || !m || Object.keys(found).length > 0) return { ok: false, errors: found };
    const checked = TuningRequest.safeParse({
      family, dataset_id: DATASET, space: space.space, method: m, budget: { trials: n, ...(minutes === undefined || minutes === null ? {} : { max_seconds: minutes * 60 }) }, seed: sd, epochs: ep, ...(limit === undefined ? {} : { max_train_samples: limit }),
    });
    if (checked.success) return { ok: true, body: checked.data };
    return { ok: false, errors: { form: checked.error.issues.map((i) => issueText(i, fieldWord(i.path.map(String).join('.')))).join(' ') } };
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const built = build();
    setErrors(built.ok ? {} : built.errors);
    if (built.ok) start.mutate(built.body);
  }

  if (!current) return <p className="text-slate-900">{t('tuning.form.noFamilies')}</p>;
  const busy = start.isPending;
  const spaceErrors = Object.fromEntries(Object.entries(errors).flatMap(([k, v]) => (k.startsWith('space.') ? [[k.slice(6), v]] : [])));
  const invalid = Object.keys(errors).filter((k) => k !== 'form').map(fieldWord);
  return (
    <form onSubmit={submit} noValidate>
      <div className="grid gap-x-4 md:grid-cols-2 lg:grid-cols-3">
        <SelectField name="family" label={t('tuning.form.family')} value={current.name} options={options.map((o) => ({ value: o.name, label: familyWord(o.name) }))} disabled={busy} onChange={(e) => pickFamily(TrainFamily.parse(e.currentTarget.value))} />
        <SelectField name="dataset_id" label={t('tuning.form.dataset')} defaultValue={DATASET} options={[{ value: DATASET, label: 'mnist' }]} disabled={busy} hint={t('tuning.form.datasetHint')} />
        <SelectField name="method" label={t('tuning.form.method')} value={method} options={METHODS.map((k) => ({ value: k, label: methodWord(k) }))} disabled={busy} onChange={(e) => setMethod(METHODS.find((k) => k === e.currentTarget.value) ?? 'grid')} hint={t(`tuning.form.methodHint.${method}`)} />
        {method === 'grid' ? <TextField name="points_per_axis" label={t('tuning.form.points')} inputMode="numeric" value={points} onChange={(e) => setPoints(e.currentTarget.value)} hint={t('tuning.form.pointsHint')} error={errors.points ?? null} disabled={busy} /> : null}
        {method === 'genetic' ? (
          <>
            <TextField name="population" label={t('tuning.form.population')} inputMode="numeric" value={population} onChange={(e) => setPopulation(e.currentTarget.value)} error={errors.population ?? null} disabled={busy} />
            <TextField name="generations" label={t('tuning.form.generations')} inputMode="numeric" value={generations} onChange={(e) => setGenerations(e.currentTarget.value)} error={errors.generations ?? null} disabled={busy} />
          </>
        ) : null}
        <TextField name="trials" label={t('tuning.form.trials')} inputMode="numeric" value={trials} onChange={(e) => setTrials(e.currentTarget.value)} hint={t('tuning.form.trialsHint')} error={errors.trials ?? null} disabled={busy} />
        <TextField name="max_minutes" label={t('tuning.form.maxMinutes')} inputMode="numeric" value={maxMinutes} onChange={(e) => setMaxMinutes(e.currentTarget.value)} hint={t('tuning.form.maxMinutesHint')} error={errors.max_minutes ?? null} disabled={busy} />
        <TextField name="seed" label={t('tuning.form.seed')} inputMode="numeric" value={seed} onChange={(e) => setSeed(e.currentTarget.value)} hint={t('tuning.form.seedHint')} error={errors.seed ?? null} disabled={busy} />
        {isNet(current.name) ? <TextField name="epochs" label={t('tuning.form.epochs')} inputMode="numeric" value={epochs} onChange={(e) => setEpochs(e.currentTarget.value)} error={errors.epochs ?? null} disabled={busy} /> : null}
        <TextField name="max_train_samples" label={t('tuning.form.maxSamples')} inputMode="numeric" value={maxSamples} onChange={(e) => setMaxSamples(e.currentTarget.value)} hint={t('tuning.form.maxSamplesHint')} error={errors.max_train_samples ?? null} disabled={busy} />
      </div>
      <fieldset className="mt-2 border-t border-slate-200 pt-4">
        <legend className="mb-2 pt-2 font-semibold text-slate-900">{t('tuning.form.space')}</legend>
        <p className="mb-3 text-sm text-slate-700">{t('tuning.form.spaceHint', { family: current.name })}</p>
        <SpaceEditor key={current.name} drafts={drafts} fields={current.fields} errors={spaceErrors} disabled={busy} onChange={setDrafts} />
        {spaceErrors[''] ? <p className="text-sm text-red-800">{spaceErrors['']}</p> : null}
      </fieldset>
      <FormError message={invalid.length > 0 ? t('tuning.form.invalid', { fields: invalid.join(', ') }) : errors.form ? errors.form : start.isError ? errorMessage(start.error) : null} />
      <Button type="submit" disabled={busy}>
        {busy ? t('tuning.form.submitting') : t('tuning.form.submit')}
      </Button>
    </form>
  );
}
