import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useLocation } from 'wouter';
import { BENCHMARK_ENGINES, BenchmarkRankBy, BenchmarkRecord, THREADED_ENGINES, type BenchmarkEngine, type BenchmarkRequestInput } from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { errorMessage } from '../../api/error-message';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { ErrorPanel, FormError, Loading } from '../../ui/feedback';
import { SelectField, TextField } from '../../ui/field';
import { pct } from '../models/model-format';
import { BENCHMARKS_KEY, engineWord, useReadyVersions, useUnavailableEngines } from './benchmark-queries';
import { INITIAL_FORM, requestOf, type BenchmarkFormState, type EngineChoice } from './benchmark-request-form';
import { ConstraintsEditor } from './constraints-editor';

const NO_HINTS: ReadonlyMap<BenchmarkEngine, string> = new Map();

/** The start form (engineers): what to measure, on which engines and batch sizes, and what must hold. */
export function BenchmarkForm() {
  const id = useId();
  const versions = useReadyVersions();
  const unavailable = useUnavailableEngines(true);
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-4 text-xl font-semibold text-slate-900">
        {t('benchmarks.form.title')}
      </h2>
      {versions.isPending ? (
        <Loading label={t('benchmarks.form.loading')} />
      ) : versions.isError ? (
        <ErrorPanel message={errorMessage(versions.error)} onRetry={() => void versions.refetch()} />
      ) : (
        // The unavailable-engine hints come from old benchmarks, later: the form does not wait for them (none known meanwhile, or if they fail).
        <FormBody versions={versions.data} unavailable={unavailable.data ?? NO_HINTS} />
      )}
    </Card>
  );
}

interface VersionChoice {
  readonly id: string;
  readonly name: string;
  readonly accuracy: number | null;
}

function EngineRow({ engine, choice, reason, onChange }: { readonly engine: BenchmarkEngine; readonly choice: EngineChoice; readonly reason: string | undefined; readonly onChange: (c: EngineChoice) => void }) {
  const reasonId = useId();
  const threaded = THREADED_ENGINES.includes(engine);
  return (
    <li className="min-w-0 rounded-md border border-slate-200 p-3">
      <label className="flex min-h-8 items-center gap-2 font-medium text-slate-900">
        <input
          type="checkbox"
          className="size-4 accent-blue-700"
          checked={choice.on && reason === undefined}
          disabled={reason !== undefined}
          aria-describedby={reason === undefined ? undefined : reasonId}
          onChange={(e) => onChange({ ...choice, on: e.target.checked })}
        />
        <span className={reason === undefined ? undefined : 'text-slate-700'}>{engineWord(engine)}</span>
      </label>
      {reason === undefined ? null : (
        <p id={reasonId} className="mt-1 text-sm wrap-anywhere text-slate-700">
          {t('benchmarks.form.unavailable', { reason })}
        </p>
      )}
      {threaded && choice.on && reason === undefined ? (
        <div className="mt-2 max-w-xs">
          <TextField
            label={t('benchmarks.form.threads', { engine })}
            hint={t('benchmarks.form.threadsHint')}
            name={`threads-${engine}`}
            value={choice.threads}
            onChange={(e) => onChange({ ...choice, threads: e.target.value })}
          />
        </div>
      ) : null}
    </li>
  );
}

function FormBody({ versions, unavailable }: { readonly versions: readonly VersionChoice[]; readonly unavailable: ReadonlyMap<BenchmarkEngine, string> }) {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [state, setState] = useState<BenchmarkFormState>(INITIAL_FORM);
  const [issues, setIssues] = useState<string[]>([]);
  const set = (patch: Partial<BenchmarkFormState>) => setState((s) => ({ ...s, ...patch }));
  const unavailableSet = useMemo(() => new Set(unavailable.keys()), [unavailable]);
  const start = useMutation({
    mutationFn: (body: BenchmarkRequestInput) => api('post', '/api/benchmarks', { body, schema: BenchmarkRecord }),
    onSuccess: async (record) => {
      toast.success(t('benchmarks.form.started'));
      await queryClient.invalidateQueries({ queryKey: BENCHMARKS_KEY });
      navigate(`/benchmarks/${record.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const req = requestOf(state, unavailableSet);
    if (!req.ok) {
      setIssues(req.issues);
      return;
    }
    setIssues([]);
    start.mutate(req.body);
  };
  const modelOptions = [
    { value: 'active', label: t('benchmarks.form.activeSet') },
    ...versions.map((v) => ({ value: v.id, label: t('benchmarks.form.version', { name: v.name, accuracy: pct(v.accuracy) }) })),
  ];
  return (
    <form onSubmit={submit} noValidate>
      <SelectField label={t('benchmarks.form.model')} hint={t('benchmarks.form.modelHint')} value={state.model} onChange={(e) => set({ model: e.target.value })} options={modelOptions} />
      <fieldset className="mb-4 min-w-0">
        <legend className="mb-1 font-medium text-slate-900">{t('benchmarks.form.engines')}</legend>
        <p className="mb-2 text-sm text-slate-700">{t('benchmarks.form.enginesHint')}</p>
        <ul className="grid grid-cols-1 gap-2 md:grid-cols-2">
          {BENCHMARK_ENGINES.map((engine) => (
            <EngineRow key={engine} engine={engine} choice={state.engines[engine]} reason={unavailable.get(engine)} onChange={(c) => set({ engines: { ...state.engines, [engine]: c } })} />
          ))}
        </ul>
      </fieldset>
      <div className="grid gap-x-4 md:grid-cols-2">
        <TextField label={t('benchmarks.form.batchSizes')} hint={t('benchmarks.form.batchSizesHint')} name="batch_sizes" value={state.batchSizes} onChange={(e) => set({ batchSizes: e.target.value })} />
        <TextField label={t('benchmarks.form.warmup')} hint={t('benchmarks.form.warmupHint')} name="warmup" inputMode="numeric" value={state.warmup} onChange={(e) => set({ warmup: e.target.value })} />
        <TextField label={t('benchmarks.form.forks')} hint={t('benchmarks.form.forksHint')} name="forks" inputMode="numeric" value={state.forks} onChange={(e) => set({ forks: e.target.value })} />
      </div>
      <fieldset className="mb-4">
        <legend className="mb-1 font-medium text-slate-900">{t('benchmarks.form.measure')}</legend>
        <div className="flex flex-wrap gap-4">
          {(['iterations', 'duration'] as const).map((mode) => (
            <label key={mode} className="flex min-h-8 items-center gap-2 text-slate-900">
              <input type="radio" name="mode" className="size-4 accent-blue-700" checked={state.mode === mode} onChange={() => set({ mode })} />
              {t(mode === 'iterations' ? 'benchmarks.form.byIterations' : 'benchmarks.form.byDuration')}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-x-4 md:grid-cols-2">
        {state.mode === 'iterations' ? (
          <TextField label={t('benchmarks.form.iterations')} hint={t('benchmarks.form.iterationsHint')} name="iterations" inputMode="numeric" value={state.iterations} onChange={(e) => set({ iterations: e.target.value })} />
        ) : (
          <TextField label={t('benchmarks.form.duration')} hint={t('benchmarks.form.durationHint')} name="duration" inputMode="decimal" value={state.duration} onChange={(e) => set({ duration: e.target.value })} />
        )}
        <SelectField
          label={t('benchmarks.form.rankBy')}
          value={state.rankBy}
          onChange={(e) => set({ rankBy: BenchmarkRankBy.parse(e.target.value) })}
          options={[
            { value: 'throughput', label: t('benchmarks.form.rankThroughput') },
            { value: 'latency', label: t('benchmarks.form.rankLatency') },
          ]}
        />
      </div>
      <ConstraintsEditor rows={state.constraints} onChange={(constraints) => set({ constraints })} />
      <FormError message={issues.length > 0 ? t('benchmarks.form.invalid', { issues: issues.join('; ') }) : start.error ? errorMessage(start.error) : null} />
      <Button type="submit" disabled={start.isPending}>
        {start.isPending ? t('benchmarks.form.starting') : t('benchmarks.form.start')}
      </Button>
    </form>
  );
}
