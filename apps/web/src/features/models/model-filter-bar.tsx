import { MODEL_SOURCES, MODEL_STATUSES, type ModelSource, type ModelStatus } from '@inkwell/contracts';
import { t } from '../../i18n/i18n';
import { SelectField } from '../../ui/field';
import { FAMILIES, sourceWord, statusWord } from './model-format';
import type { ModelFilters } from './models-queries';

type Filters = Omit<ModelFilters, 'page'>;

const familyOptions = [{ value: '', label: t('models.filter.anyFamily') }, ...FAMILIES.map((f) => ({ value: f, label: f }))];
const sourceOptions = [{ value: '', label: t('models.filter.anySource') }, ...MODEL_SOURCES.map((s) => ({ value: s, label: sourceWord(s) }))];
const statusOptions = [{ value: '', label: t('models.filter.anyStatus') }, ...MODEL_STATUSES.map((s) => ({ value: s, label: statusWord(s) }))];
const sortOptions = [
  { value: 'created_at:desc', label: t('models.sort.newest') },
  { value: 'created_at:asc', label: t('models.sort.oldest') },
  { value: 'accuracy:desc', label: t('models.sort.mostAccurate') },
  { value: 'accuracy:asc', label: t('models.sort.leastAccurate') },
];

const asSource = (v: string): ModelSource | '' => MODEL_SOURCES.find((s) => s === v) ?? '';
const asStatus = (v: string): ModelStatus | '' => MODEL_STATUSES.find((s) => s === v) ?? '';

/** Family, source, status and the order; each change asks the server for the first page again. */
export function ModelFilterBar({ value, onChange }: { readonly value: Filters; readonly onChange: (next: Filters) => void }) {
  return (
    <div role="search" aria-label={t('models.filters')} className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-4">
      <SelectField label={t('models.filter.family')} options={familyOptions} value={value.family} onChange={(e) => onChange({ ...value, family: e.target.value })} />
      <SelectField label={t('models.filter.source')} options={sourceOptions} value={value.source} onChange={(e) => onChange({ ...value, source: asSource(e.target.value) })} />
      <SelectField label={t('models.filter.status')} options={statusOptions} value={value.status} onChange={(e) => onChange({ ...value, status: asStatus(e.target.value) })} />
      <SelectField
        label={t('models.filter.sort')}
        options={sortOptions}
        value={`${value.sort}:${value.order}`}
        onChange={(e) => {
          const [sort, order] = e.target.value.split(':');
          onChange({ ...value, sort: sort === 'accuracy' ? 'accuracy' : 'created_at', order: order === 'asc' ? 'asc' : 'desc' });
        }}
      />
    </div>
  );
}
