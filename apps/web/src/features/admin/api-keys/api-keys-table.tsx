import type { ApiKey, User } from '@inkwell/contracts';
import { t } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { Badge } from '../../../ui/feedback';
import { Table, Td, Th, Tr } from '../../../ui/table';
import { formatDateTime } from '../users/format-date';
import { ROLE_LABEL } from '../users/role-labels';
import { keyStatus, useKeyCreators, type KeyStatus } from './api-keys-api';

const STATUS_TONE = { active: 'good', revoked: 'bad', expired: 'warn' } as const satisfies Record<KeyStatus, string>;
const STATUS_LABEL = { active: 'apiKeys.status.active', revoked: 'apiKeys.status.revoked', expired: 'apiKeys.status.expired' } as const satisfies Record<KeyStatus, string>;

export function ApiKeysTable({ keys, me, onRevoke }: { readonly keys: readonly ApiKey[]; readonly me: User | null; readonly onRevoke: (key: ApiKey) => void }) {
  const creators = useKeyCreators(keys);
  const creatorName = (id: string | null): string => {
    if (!id) return t('apiKeys.ownerNone');
    if (id === me?.id) return me.name;
    const c = creators.get(id);
    return c?.name ?? (c?.failed ? t('apiKeys.ownerUnknown') : '…');
  };

  return (
    <Table caption={t('apiKeys.table')}>
      <thead>
        <Tr>
          <Th>{t('apiKeys.col.name')}</Th>
          <Th>{t('apiKeys.col.prefix')}</Th>
          <Th>{t('apiKeys.col.role')}</Th>
          <Th>{t('apiKeys.col.owner')}</Th>
          <Th>{t('apiKeys.col.created')}</Th>
          <Th>{t('apiKeys.col.lastUsed')}</Th>
          <Th>{t('apiKeys.col.expires')}</Th>
          <Th>{t('apiKeys.col.rateLimit')}</Th>
          <Th>{t('apiKeys.col.status')}</Th>
          <Th>{t('apiKeys.col.actions')}</Th>
        </Tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const status = keyStatus(k);
          return (
            <Tr key={k.id}>
              <Td className="min-w-32 break-words">{k.name}</Td>
              <Td>
                <code className="font-mono whitespace-nowrap">{k.prefix}</code>
              </Td>
              <Td>{t(ROLE_LABEL[k.role])}</Td>
              <Td className="min-w-28 break-words">{creatorName(k.created_by)}</Td>
              <Td className="whitespace-nowrap">{formatDateTime(k.created_at, '')}</Td>
              <Td className="whitespace-nowrap">{formatDateTime(k.last_used_at, t('apiKeys.never'))}</Td>
              <Td className="whitespace-nowrap">{formatDateTime(k.expires_at, t('apiKeys.noExpiry'))}</Td>
              <Td className="whitespace-nowrap">{k.rate_limit_per_min === null ? t('apiKeys.defaultLimit') : t('apiKeys.perMin', { n: k.rate_limit_per_min })}</Td>
              <Td>
                <Badge tone={STATUS_TONE[status]}>{t(STATUS_LABEL[status])}</Badge>
              </Td>
              <Td>
                {status === 'revoked' ? null : (
                  <Button variant="danger" size="sm" aria-label={t('apiKeys.revokeNamed', { name: k.name })} onClick={() => onRevoke(k)}>
                    {t('apiKeys.revoke')}
                  </Button>
                )}
              </Td>
            </Tr>
          );
        })}
      </tbody>
    </Table>
  );
}
