import { t } from '../../i18n/i18n';
import { PageHeader } from '../../ui/card';
import { StudiesList } from './studies-list';
import { StudyForm } from './study-form';

/** The tuning workspace: start a study, follow the list. */
export function TuningPage() {
  return (
    <>
      <PageHeader title={t('tuning.title')} description={t('tuning.description')} />
      <div className="space-y-6">
        <StudyForm />
        <StudiesList />
      </div>
    </>
  );
}
