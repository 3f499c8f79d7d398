import { FamilyList, FINISHED_JOB_STATUSES, TrainingHistory, TrainingJob, TrainingJobList, type TrainFamily, type TrainingJobStatus } from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { t, type MessageKey } from '../../i18n/i18n';

export const TRAINING_KEY = ['training'] as const;
export const jobsKey = ['training', 'jobs'] as const;
export const jobKey = (id: string) => ['training', 'job', id] as const;
export const familiesKey = ['training', 'families'] as const;
export const historyKey = (family: TrainFamily | null) => ['training', 'history', family ?? 'all'] as const;

export const fetchJobs = async (signal: AbortSignal): Promise<TrainingJob[]> => (await api('get', '/api/jobs', { schema: TrainingJobList, signal })).items;
export const fetchJob = (id: string, signal: AbortSignal): Promise<TrainingJob> => api('get', '/api/jobs/{id}', { params: { id }, schema: TrainingJob, signal });
export const fetchFamilies = async (signal: AbortSignal) => (await api('get', '/api/families', { schema: FamilyList, signal })).items;
export const fetchHistory = async (family: TrainFamily | null, signal: AbortSignal) =>
  (await api('get', '/api/training-history', { query: family ? { family } : {}, schema: TrainingHistory, signal })).items;

export const isFinished = (s: TrainingJobStatus): boolean => FINISHED_JOB_STATUSES.includes(s);

type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';
export const JOB_STATUS_TONE: Readonly<Record<TrainingJobStatus, Tone>> = { queued: 'neutral', running: 'info', completed: 'good', failed: 'bad', cancelled: 'warn' };
const STATUS_WORD: Readonly<Record<TrainingJobStatus, MessageKey>> = {
  queued: 'training.status.queued',
  running: 'training.status.running',
  completed: 'training.status.completed',
  failed: 'training.status.failed',
  cancelled: 'training.status.cancelled',
};
export const jobStatusWord = (s: TrainingJobStatus): string => t(STATUS_WORD[s]);

const FAMILY_WORD: Readonly<Record<TrainFamily, MessageKey>> = {
  svm: 'training.family.svm',
  random_forest: 'training.family.random_forest',
  mlp: 'training.family.mlp',
  cnn: 'training.family.cnn',
  resnet: 'training.family.resnet',
  lenet5: 'training.family.lenet5',
  resnet18: 'training.family.resnet18',
};
export const familyWord = (f: TrainFamily): string => t(FAMILY_WORD[f]);

/** The nets train epoch by epoch; the classic families fit once. */
export const isNet = (f: TrainFamily): boolean => f === 'mlp' || f === 'cnn' || f === 'resnet' || f === 'lenet5' || f === 'resnet18';

/** 45 s, 2 min 5 s, 1 h 3 min: an ETA needs no more precision than that. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return t('state.none');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('training.eta.seconds', { s });
  if (s < 3600) return t('training.eta.minutes', { m: Math.floor(s / 60), s: s % 60 });
  return t('training.eta.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

export const formatPct = (ratio: number | null): string => (ratio === null ? t('state.none') : `${(ratio * 100).toFixed(1)} %`);
export const formatWhen = (iso: string | null): string => (iso === null ? t('state.none') : new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }));
export const shortId = (id: string): string => id.slice(0, 8);
