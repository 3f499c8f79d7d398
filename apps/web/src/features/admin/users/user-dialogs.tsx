import type { FormEvent } from 'react';
import type { User } from '@inkwell/contracts';
import { errorMessage } from '../../../api/error-message';
import { t } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { Dialog } from '../../../ui/dialog';
import { FormError } from '../../../ui/feedback';
import { formText, SelectField, TextField } from '../../../ui/field';
import { SecretOnce } from '../../../ui/secret-once';
import { asRole, roleOptions } from './role-labels';
import { useCreateUser, useUpdateUser } from './users-api';


/**
 * Add a user: name, email, role; then the temporary password, shown this once (the server keeps
 * only its hash). Closing the dialog forgets it.
 */
export function CreateUserDialog({ open, onOpenChange }: { readonly open: boolean; readonly onOpenChange: (open: boolean) => void }) {
  const create = useCreateUser();
  const created = create.data;

  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) create.reset();
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ name: formText(form, 'name').trim(), email: formText(form, 'email').trim(), role: asRole(formText(form, 'role')) });
  }

  if (created) {
    return (
      <Dialog open={open} onOpenChange={close} title={t('users.created.title')}>
        <p className="mb-3 break-all text-slate-700">{t('users.created.description', { email: created.user.email })}</p>
        <SecretOnce label={t('users.created.passwordLabel')} secret={created.temporary_password} copyLabel={t('users.created.copy')} warning={t('users.created.warning')} testId="temporary-password" />
        <div className="flex justify-end">
          <Button onClick={() => close(false)}>{t('users.created.done')}</Button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog open={open} onOpenChange={close} title={t('users.create.title')} description={t('users.create.description')}>
      <form onSubmit={submit} aria-busy={create.isPending}>
        <TextField label={t('users.field.name')} name="name" required maxLength={200} autoComplete="off" />
        <TextField label={t('users.field.email')} name="email" type="email" required maxLength={254} autoComplete="off" />
        <SelectField label={t('users.field.role')} name="role" options={roleOptions} defaultValue="viewer" />
        <FormError message={create.error ? errorMessage(create.error) : null} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={() => close(false)}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? t('users.create.busy') : t('users.create.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Edit a user's name and role. An admin's own role is fixed (the server ignores it: no self-demotion). */
export function EditUserDialog({ user, self, onClose }: { readonly user: User; readonly self: boolean; readonly onClose: () => void }) {
  const update = useUpdateUser();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = formText(form, 'name').trim();
    update.mutate({ id: user.id, body: self ? { name } : { name, role: asRole(formText(form, 'role')) } }, { onSuccess: onClose });
  }

  return (
    <Dialog open onOpenChange={(next) => !next && onClose()} title={t('users.edit.title', { name: user.name })}>
      <p className="mb-4 break-all text-slate-700">{user.email}</p>
      <form onSubmit={submit} aria-busy={update.isPending}>
        <TextField label={t('users.field.name')} name="name" required maxLength={200} defaultValue={user.name} autoComplete="off" />
        <SelectField label={t('users.field.role')} name="role" options={roleOptions} defaultValue={user.role} disabled={self} {...(self ? { hint: t('users.selfRoleHint') } : {})} />
        <FormError message={update.error ? errorMessage(update.error) : null} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" disabled={update.isPending}>
            {update.isPending ? t('users.edit.busy') : t('action.save')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
