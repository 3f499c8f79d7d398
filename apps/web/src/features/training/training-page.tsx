import { t } from '../../i18n/i18n';
import { PageHeader } from '../../ui/card';
import { JobsList } from './jobs-list';
import { TrainForm } from './train-form';
import { TrainingHistoryCard } from './training-history';

/** The training workspace: start a job, follow the list, look back at past runs per family. */
export function TrainingPage() {
  return (
    <>
      <PageHeader title={t('training.title')} description={t('training.description')} />
      <div className="space-y-6">
        <TrainForm />
        <JobsList />
        <TrainingHistoryCard />
      </div>
    </>
  );
}
