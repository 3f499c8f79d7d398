import { useState } from 'react';
import type { ApiKey } from '@inkwell/contracts';
import { errorMessage } from '../../../api/error-message';
import { t } from '../../../i18n/i18n';
import { useSession } from '../../../session/session';
import { Button } from '../../../ui/button';
import { PageHeader } from '../../../ui/card';
import { EmptyState, ErrorPanel, Loading } from '../../../ui/feedback';
import { ConfirmDialog } from '../../../ui/confirm-dialog';
import { ApiConfigSection } from './api-config-section';
import { useApiKeys, useRevokeApiKey } from './api-keys-api';
import { ApiKeysTable } from './api-keys-table';
import { CreateApiKeyDialog } from './create-api-key-dialog';

export function ApiKeysPage() {
  const { user: me } = useSession();
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const closeRevoke = () => {
    setRevoking(null);
    revoke.reset();
  };

  return (
    <>
      <PageHeader title={t('apiKeys.title')} description={t('apiKeys.description')} actions={<Button onClick={() => setCreating(true)}>{t('apiKeys.create')}</Button>} />
      {keys.isPending ? (
        <Loading label={t('apiKeys.loading')} />
      ) : keys.isError ? (
        <ErrorPanel message={errorMessage(keys.error)} onRetry={() => void keys.refetch()} />
      ) : keys.data.items.length === 0 ? (
        <EmptyState message={t('apiKeys.empty')} />
      ) : (
        <ApiKeysTable keys={keys.data.items} me={me} onRevoke={setRevoking} />
      )}
      <ApiConfigSection />

      <CreateApiKeyDialog open={creating} onOpenChange={setCreating} />
      {revoking ? (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && closeRevoke()}
          title={t('apiKeys.revoke.title', { name: revoking.name })}
          body={t('apiKeys.revoke.body', { prefix: revoking.prefix })}
          confirmLabel={t('apiKeys.revoke.confirm')}
          tone="danger"
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(revoking, { onSuccess: closeRevoke })}
        />
      ) : null}
    </>
  );
}
