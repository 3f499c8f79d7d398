import { t } from '../../i18n/i18n';
import { PageHeader } from '../../ui/card';
import { BatchJobs } from './batch-jobs';
import { BatchSubmit } from './batch-submit';

/** Batch OCR for signed-in users: start a job from a ZIP or images, follow it live, download its results. */
export function BatchPage() {
  return (
    <>
      <PageHeader title={t('batch.title')} description={t('batch.description')} />
      <BatchSubmit />
      <BatchJobs />
    </>
  );
}
