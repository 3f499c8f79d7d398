import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useLocation } from 'wouter';
import { Dataset, DATASET_FILE_FIELD } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { upload } from '../../api/upload';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { DropZone } from '../../ui/drop-zone';
import { FormError, ProgressBar } from '../../ui/feedback';
import { formText, TextField } from '../../ui/field';
import { DATASETS_KEY, formatBytes } from './datasets-queries';

type Phase = { readonly kind: 'idle' } | { readonly kind: 'uploading'; readonly share: number };

interface SplitErrors {
  readonly validation?: string;
  readonly test?: string;
  readonly seed?: string;
}

/** The split settings as the API takes them, or what is wrong with each. */
function checkSplit(form: FormData): { ok: true } | { ok: false; errors: SplitErrors } {
  const share = (name: string): number => Number(formText(form, name));
  const v = share('validation_fraction');
  const te = share('test_fraction');
  const seed = Number(formText(form, 'split_seed'));
  const bad = (x: number): boolean => !Number.isFinite(x) || x < 0 || x >= 1;
  // Both shares together must leave digits to train on.
  const tooMuch = !bad(v) && !bad(te) && v + te >= 1;
  const errors: SplitErrors = {
    ...(bad(v) || tooMuch ? { validation: t('datasets.upload.fractionInvalid') } : {}),
    ...(bad(te) || tooMuch ? { test: t('datasets.upload.fractionInvalid') } : {}),
    ...(!Number.isInteger(seed) || seed < 0 ? { seed: t('datasets.upload.seedInvalid') } : {}),
  };
  return Object.keys(errors).length === 0 ? { ok: true } : { ok: false, errors };
}

/** Upload one CSV or ZIP, or an IDX or NPY pair, with a progress bar; then the dataset's page. */
export function DatasetUpload() {
  const id = useId();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [splitErrors, setSplitErrors] = useState<SplitErrors>({});
  const abort = useRef<AbortController | null>(null);
  const busy = phase.kind === 'uploading';

  function choose(picked: File[]) {
    setError(picked.length > 2 ? t('datasets.upload.tooMany', { n: picked.length }) : null);
    setFiles(picked.length > 2 ? [] : picked);
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = formText(form, 'name').trim();
    const split = checkSplit(form);
    setNameError(name ? null : t('datasets.upload.noName'));
    setSplitErrors(split.ok ? {} : split.errors);
    if (files.length === 0) {
      setError(t('datasets.upload.noFiles'));
      return;
    }
    if (!name || !split.ok) return;
    setError(null);
    for (const f of files) form.append(DATASET_FILE_FIELD, f, f.name);
    const controller = new AbortController();
    abort.current = controller;
    setPhase({ kind: 'uploading', share: 0 });
    try {
      const created = await upload('/api/datasets', { args: {}, form, schema: Dataset, signal: controller.signal, onProgress: (share) => setPhase({ kind: 'uploading', share }) });
      await queryClient.invalidateQueries({ queryKey: DATASETS_KEY });
      toast.success(t('datasets.upload.accepted', { name: created.name }));
      navigate(`/datasets/${created.id}`);
    } catch (err) {
      setError(err instanceof DOMException && err.name === 'AbortError' ? t('datasets.upload.cancelled') : errorMessage(err));
      setPhase({ kind: 'idle' });
    } finally {
      abort.current = null;
    }
  }

  const total = files.reduce((s, f) => s + f.size, 0);
  return (
    <Card aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="mb-4 text-xl font-semibold text-slate-900">
        {t('datasets.upload.title')}
      </h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField name="name" label={t('datasets.upload.name')} maxLength={200} required error={nameError} disabled={busy} />
        <TextField name="description" label={t('datasets.upload.descriptionField')} maxLength={5000} disabled={busy} />
        <DropZone
          onFiles={choose}
          accept=""
          multiple
          disabled={busy}
          label={t('datasets.upload.drop')}
          activeLabel={t('datasets.upload.dropActive')}
          inputLabel={t('datasets.upload.pick')}
          describedBy={`${id}-hint`}
        />
        <p id={`${id}-hint`} className="mt-2 text-sm text-slate-700">
          {t('datasets.upload.hint')}
        </p>
        {files.length > 0 ? (
          <div className="mt-3 flex flex-wrap items-center gap-3">
            <p className="min-w-0 break-all text-slate-900">{t('datasets.upload.selected', { names: files.map((f) => f.name).join(', '), size: formatBytes(total) })}</p>
            <Button variant="secondary" size="sm" onClick={() => setFiles([])} disabled={busy}>
              {t('datasets.upload.clear')}
            </Button>
          </div>
        ) : null}
        <fieldset className="mt-4 grid gap-x-4 sm:grid-cols-3">
          <legend className="mb-2 font-semibold text-slate-900">{t('datasets.upload.splitTitle')}</legend>
          <TextField name="validation_fraction" label={t('datasets.upload.validationFraction')} type="number" inputMode="decimal" step="0.01" min={0} max={0.9} defaultValue="0.1" hint={t('datasets.upload.fractionHint')} error={splitErrors.validation ?? null} disabled={busy} />
          <TextField name="test_fraction" label={t('datasets.upload.testFraction')} type="number" inputMode="decimal" step="0.01" min={0} max={0.9} defaultValue="0.1" hint={t('datasets.upload.fractionHint')} error={splitErrors.test ?? null} disabled={busy} />
          <TextField name="split_seed" label={t('datasets.upload.seed')} type="number" inputMode="numeric" step="1" min={0} defaultValue="0" hint={t('datasets.upload.seedHint')} error={splitErrors.seed ?? null} disabled={busy} />
        </fieldset>
        <FormError message={error} />
        {phase.kind === 'uploading' ? (
          <div className="my-3 space-y-2">
            <ProgressBar value={phase.share} label={t('datasets.upload.progress')} />
            <p role="status" className="text-slate-700">
              {phase.share < 1 ? t('datasets.upload.uploading', { pct: Math.round(phase.share * 100) }) : t('datasets.upload.sent')}
            </p>
          </div>
        ) : null}
        <div className="mt-2 flex flex-wrap gap-2">
          <Button type="submit" disabled={busy}>
            {t('datasets.upload.submit')}
          </Button>
          {busy ? (
            <Button variant="secondary" onClick={() => abort.current?.abort()}>
              {t('datasets.upload.cancel')}
            </Button>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
