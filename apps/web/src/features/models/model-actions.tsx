import { useState } from 'react';
import { toast } from 'sonner';
import { Link, useLocation } from 'wouter';
import type { ModelVersion } from '@inkwell/contracts';
import { apiHref } from '../../api/api-client';
import { t } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { PromoteDialog } from './promote-dialog';
import { useDeleteVersion } from './models-queries';

const linkButton =
  'inline-flex min-h-11 items-center justify-center rounded-md border border-slate-300 bg-white px-4 font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700';

interface ModelActionsProps {
  readonly version: ModelVersion;
  readonly admin: boolean;
  /** The version to compare with (the first active one), unless it is this one. */
  readonly compareWith: string | null;
}

/** Export and compare for everyone; promote and delete for admins (the API refuses anyone else too). */
export function ModelActions({ version, admin, compareWith }: ModelActionsProps) {
  const [promoting, setPromoting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteVersion();
  const [, navigate] = useLocation();
  const ready = version.status === 'ready';
  return (
    <>
      {ready ? (
        <a className={linkButton} href={apiHref('/api/models/{id}/export', { params: { id: version.id } })} download>
          {t('models.export')}
        </a>
      ) : null}
      {ready && compareWith ? (
        <Link className={linkButton} href={`/models/compare?a=${encodeURIComponent(compareWith)}&b=${encodeURIComponent(version.id)}`}>
          {t('models.compareActive')}
        </Link>
      ) : null}
      {admin && ready && !version.active ? <Button onClick={() => setPromoting(true)}>{t('models.promote.open')}</Button> : null}
      {admin && !version.active && version.status !== 'deleted' ? (
        <Button variant="danger" onClick={() => setDeleting(true)}>
          {t('models.delete.open')}
        </Button>
      ) : null}
      {promoting ? <PromoteDialog version={version} onClose={() => setPromoting(false)} /> : null}
      {deleting ? (
        <ConfirmDialog
          open
          onOpenChange={(open) => {
            if (!open) {
              setDeleting(false);
              remove.reset();
            }
          }}
          title={t('models.delete.title', { name: version.name })}
          body={t('models.delete.body')}
          confirmLabel={t('models.delete.confirm')}
          tone="danger"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() =>
            remove.mutate(version.id, {
              onSuccess: () => {
                toast.success(t('models.delete.toast', { name: version.name }));
                navigate('/models');
              },
            })
          }
        />
      ) : null}
    </>
  );
}
