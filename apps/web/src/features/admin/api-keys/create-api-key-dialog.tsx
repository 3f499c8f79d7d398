import { useState, type FormEvent } from 'react';
import type { CreateApiKeyRequest } from '@inkwell/contracts';
import { errorMessage } from '../../../api/error-message';
import { t } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { Dialog } from '../../../ui/dialog';
import { FormError } from '../../../ui/feedback';
import { formText, SelectField, TextField } from '../../../ui/field';
import { SecretOnce } from '../../../ui/secret-once';
import { asRole, roleOptions } from '../users/role-labels';
import { useCreateApiKey } from './api-keys-api';


/** `YYYY-MM-DD` from a date input as the start of that day in the admin's time zone, or null when empty or past. */
function expiryFrom(day: string): string | null | undefined {
  if (!day) return undefined;
  const at = new Date(`${day}T00:00:00`);
  return Number.isNaN(at.getTime()) || at.getTime() <= Date.now() ? null : at.toISOString();
}

/**
 * Create a key: name, role, optional expiry and rate limit; then the secret, shown this once (auth
 * keeps only its hash). Closing the dialog forgets it.
 */
export function CreateApiKeyDialog({ open, onOpenChange }: { readonly open: boolean; readonly onOpenChange: (open: boolean) => void }) {
  const create = useCreateApiKey();
  const [expiryError, setExpiryError] = useState<string | null>(null);
  const created = create.data;

  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) {
      create.reset();
      setExpiryError(null);
    }
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const expires = expiryFrom(formText(form, 'expires'));
    if (expires === null) return setExpiryError(t('apiKeys.expiresPast'));
    setExpiryError(null);
    const limit = formText(form, 'rate_limit');
    const body: CreateApiKeyRequest = {
      name: formText(form, 'name').trim(),
      role: asRole(formText(form, 'role')),
      ...(expires ? { expires_at: expires } : {}),
      ...(limit ? { rate_limit_per_min: Number(limit) } : {}),
    };
    create.mutate(body);
  }

  if (created) {
    return (
      <Dialog open={open} onOpenChange={close} title={t('apiKeys.created.title')}>
        <p className="mb-3 break-words text-slate-700">{t('apiKeys.created.description', { name: created.api_key.name })}</p>
        <SecretOnce label={t('apiKeys.created.secretLabel')} secret={created.secret} copyLabel={t('apiKeys.created.copy')} warning={t('apiKeys.created.warning')} testId="api-key-secret" />
        <p className="mb-4 text-slate-700">{t('apiKeys.created.usage')}</p>
        <div className="flex justify-end">
          <Button onClick={() => close(false)}>{t('apiKeys.created.done')}</Button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog open={open} onOpenChange={close} title={t('apiKeys.create.title')}>
      <form onSubmit={submit} aria-busy={create.isPending}>
        <TextField label={t('apiKeys.field.name')} hint={t('apiKeys.field.nameHint')} name="name" required maxLength={200} autoComplete="off" />
        <SelectField label={t('apiKeys.field.role')} hint={t('apiKeys.field.roleHint')} name="role" options={roleOptions} defaultValue="viewer" />
        <TextField label={t('apiKeys.field.expires')} hint={t('apiKeys.field.expiresHint')} error={expiryError} name="expires" type="date" />
        <TextField label={t('apiKeys.field.rateLimit')} hint={t('apiKeys.field.rateLimitHint')} name="rate_limit" type="number" inputMode="numeric" min={1} max={1_000_000} step={1} />
        <FormError message={create.error ? errorMessage(create.error) : null} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={() => close(false)}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? t('apiKeys.create.busy') : t('apiKeys.create.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
