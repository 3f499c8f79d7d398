import type { ModelVersion } from '@inkwell/contracts';
import { Link } from 'wouter';
import { t } from '../../i18n/i18n';
import { Badge } from '../../ui/feedback';
import { Table, Td, Th, Tr } from '../../ui/table';
import { formatDateTime, pct, shortId, sourceWord, STATUS_TONE, statusWord } from './model-format';

interface ModelsTableProps {
  readonly versions: readonly ModelVersion[];
  /** Ids chosen for comparison (at most two). */
  readonly selected: readonly string[];
  readonly onToggle: (id: string) => void;
}

export function ModelsTable({ versions, selected, onToggle }: ModelsTableProps) {
  return (
    <Table caption={t('models.table')}>
      <thead>
        <Tr>
          <Th>{t('models.col.compare')}</Th>
          <Th>{t('models.col.name')}</Th>
          <Th>{t('models.col.family')}</Th>
          <Th>{t('models.col.source')}</Th>
          <Th>{t('models.col.status')}</Th>
          <Th>{t('models.col.accuracy')}</Th>
          <Th>{t('models.col.testSet')}</Th>
          <Th>{t('models.col.created')}</Th>
        </Tr>
      </thead>
      <tbody>
        {versions.map((v) => {
          const checked = selected.includes(v.id);
          return (
            <Tr key={v.id}>
              <Td>
                <input
                  type="checkbox"
                  className="size-5 accent-blue-700"
                  aria-label={t('models.selectNamed', { name: v.name })}
                  checked={checked}
                  // Two at most: a third replaces nothing, the user unticks one first.
                  disabled={!checked && selected.length >= 2}
                  onChange={() => onToggle(v.id)}
                />
              </Td>
              <Td className="min-w-40 break-all">
                <Link href={`/models/${v.id}`} className="font-medium text-blue-800 underline hover:text-blue-900">
                  {v.name === v.id ? shortId(v.id) : v.name}
                </Link>
                {v.active ? (
                  <span className="ml-2">
                    <Badge tone="info">{t('models.active')}</Badge>
                  </span>
                ) : null}
              </Td>
              <Td>{v.family}</Td>
              <Td>{sourceWord(v.source)}</Td>
              <Td>
                <Badge tone={STATUS_TONE[v.status]}>{statusWord(v.status)}</Badge>
              </Td>
              <Td className="tabular-nums">{pct(v.accuracy)}</Td>
              <Td className="break-all">{v.test_set}</Td>
              <Td className="whitespace-nowrap">{formatDateTime(v.created_at)}</Td>
            </Tr>
          );
        })}
      </tbody>
    </Table>
  );
}
