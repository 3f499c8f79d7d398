import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useLocation } from 'wouter';
import { MODEL_IMPORT_FILE_FIELD, ModelImportResult } from '@inkwell/contracts';
import { errorMessage } from '../../api/error-message';
import { upload } from '../../api/upload';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { FormError, ProgressBar } from '../../ui/feedback';
import { formText, inputClass, SelectField, TextField } from '../../ui/field';
import { MODELS_KEY } from './models-queries';

/** Upload an ONNX file (engineers): the server runs its checks, registers it and scores it on the test split. */
export function ImportModelDialog({ open, onOpenChange }: { readonly open: boolean; readonly onOpenChange: (open: boolean) => void }) {
  const [progress, setProgress] = useState<number | null>(null);
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const run = useMutation({
    mutationFn: (form: FormData) => upload('/api/models/import', { args: {}, form, schema: ModelImportResult, onProgress: setProgress }),
    onSuccess: async (result) => {
      toast.success(t('models.import.done', { name: result.version.name, smoke: (result.checks.smoke_accuracy * 100).toFixed(0) }));
      await client.invalidateQueries({ queryKey: MODELS_KEY });
      onOpenChange(false);
      navigate(`/models/${result.version.id}`);
    },
    onSettled: () => setProgress(null),
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // Empty text fields are left out: the server's defaults apply.
    if (!formText(form, 'name').trim()) form.delete('name');
    run.mutate(form);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) run.reset();
        onOpenChange(next);
      }}
      title={t('models.import.title')}
      description={t('models.import.body')}
    >
      <form onSubmit={submit}>
        <div className="mb-4">
          <label htmlFor="model-import-file" className="mb-1 block font-medium text-slate-900">
            {t('models.import.file')}
          </label>
          <input id="model-import-file" name={MODEL_IMPORT_FILE_FIELD} type="file" accept=".onnx" required className={inputClass} />
        </div>
        <TextField label={t('models.import.name')} name="name" maxLength={128} autoComplete="off" />
        <SelectField
          label={t('models.import.pixels')}
          name="pixels"
          hint={t('models.import.pixelsHint')}
          options={[
            { value: 'mnist', label: t('models.import.pixelsMnist') },
            { value: 'unit', label: t('models.import.pixelsUnit') },
          ]}
          defaultValue="mnist"
        />
        {progress !== null ? <ProgressBar value={progress} label={t('models.import.progress')} /> : null}
        <FormError message={run.error ? errorMessage(run.error) : null} />
        <div className="mt-4 flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" disabled={run.isPending}>
            {run.isPending ? t('models.import.busy') : t('models.import.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
