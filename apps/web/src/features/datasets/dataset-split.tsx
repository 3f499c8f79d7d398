import { useId } from 'react';
import type { Dataset } from '@inkwell/contracts';
import { t, type MessageKey } from '../../i18n/i18n';
import { Card } from '../../ui/card';
import { Table, Td, Th, Tr } from '../../ui/table';
import { formatCount } from './datasets-queries';

type Split = NonNullable<Dataset['split']>;
const PARTS: readonly { readonly part: 'train' | 'validation' | 'test'; readonly label: MessageKey }[] = [
  { part: 'train', label: 'datasets.split.train' },
  { part: 'validation', label: 'datasets.split.validation' },
  { part: 'test', label: 'datasets.split.test' },
];

/** How the digits were divided for training, validation and test, class by class. */
export function DatasetSplit({ split }: { readonly split: Split }) {
  const id = useId();
  const method = split.spec.method === 'stratified' ? t('datasets.split.stratified') : t('datasets.split.official');
  return (
    <Card aria-labelledby={id}>
      <h2 id={id} className="mb-1 text-xl font-semibold text-slate-900">
        {t('datasets.split.title')}
      </h2>
      <p className="mb-4 text-slate-700">{t('datasets.split.method', { method, seed: split.spec.seed })}</p>
      <Table caption={t('datasets.split.caption')}>
        <thead>
          <tr>
            <Th>{t('datasets.split.part')}</Th>
            <Th>{t('datasets.split.total')}</Th>
            {Array.from({ length: 10 }, (_, d) => (
              <Th key={d} className="text-right">
                {t('datasets.split.digit', { digit: d })}
              </Th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PARTS.map(({ part, label }) => (
            <Tr key={part}>
              <Th scope="row" className="bg-white">
                {t(label)}
              </Th>
              <Td className="font-semibold tabular-nums">{formatCount(split.counts[part])}</Td>
              {split.class_counts[part].map((n, d) => (
                <Td key={d} className="text-right tabular-nums">
                  {formatCount(n)}
                </Td>
              ))}
            </Tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
