import { useState, type FormEvent } from 'react';
import { t } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { Card } from '../../../ui/card';
import { SelectField, TextField } from '../../../ui/field';
import { filterFromForm, isoToLocalInput, type AuditFilter } from './audit-filters';

interface Props {
  readonly filter: AuditFilter;
  readonly onApply: (filter: AuditFilter) => void;
}

/**
 * Every filter the search takes. Uncontrolled: its defaults are the filters in the URL (the page
 * re-mounts it when they change), and Apply hands the parsed filters up.
 */
export function AuditFilterForm({ filter, onApply }: Props) {
  const [badTime, setBadTime] = useState<'from' | 'to' | null>(null);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const read = filterFromForm(new FormData(e.currentTarget));
    if ('badTime' in read) {
      setBadTime(read.badTime);
      return;
    }
    setBadTime(null);
    onApply(read.filter);
  }

  const timeError = (key: 'from' | 'to') => (badTime === key ? t('audit.f.badTime') : null);
  return (
    <Card aria-labelledby="audit-filters" className="mb-6">
      <h2 id="audit-filters" className="mb-4 text-lg font-semibold">
        {t('audit.filters')}
      </h2>
      <form onSubmit={submit} noValidate={false}>
        <div className="grid grid-cols-1 gap-x-4 sm:grid-cols-2 lg:grid-cols-3">
          <TextField name="from" type="datetime-local" step={1} label={t('audit.f.from')} defaultValue={isoToLocalInput(filter.from)} error={timeError('from')} />
          <TextField name="to" type="datetime-local" step={1} label={t('audit.f.to')} defaultValue={isoToLocalInput(filter.to)} error={timeError('to')} />
          <TextField name="actor" label={t('audit.f.actor')} hint={t('audit.f.actorHint')} defaultValue={filter.actor ?? ''} autoComplete="off" />
          <SelectField
            name="type"
            label={t('audit.f.type')}
            defaultValue={filter.type ?? ''}
            options={[
              { value: '', label: t('audit.f.typeAny') },
              { value: 'api', label: t('audit.f.type.api') },
              { value: 'user', label: t('audit.f.type.user') },
              { value: 'system', label: t('audit.f.type.system') },
            ]}
          />
          <TextField name="action" label={t('audit.f.action')} hint={t('audit.f.actionHint')} defaultValue={filter.action ?? ''} autoComplete="off" spellCheck={false} />
          <SelectField
            name="result"
            label={t('audit.f.result')}
            defaultValue={filter.result ?? ''}
            options={[
              { value: '', label: t('audit.f.resultAny') },
              { value: 'success', label: t('audit.result.success') },
              { value: 'failure', label: t('audit.result.failure') },
            ]}
          />
          <TextField name="resource_type" label={t('audit.f.resourceType')} defaultValue={filter.resource_type ?? ''} autoComplete="off" />
          <TextField name="resource_id" label={t('audit.f.resourceId')} defaultValue={filter.resource_id ?? ''} autoComplete="off" />
          <TextField name="ip" label={t('audit.f.ip')} defaultValue={filter.ip ?? ''} autoComplete="off" />
          <TextField name="q" type="search" minLength={3} label={t('audit.f.q')} hint={t('audit.f.qHint')} defaultValue={filter.q ?? ''} autoComplete="off" />
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="submit">{t('audit.f.apply')}</Button>
          <Button variant="secondary" onClick={() => onApply({})}>
            {t('audit.f.clear')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
