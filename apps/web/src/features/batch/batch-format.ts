import type { BatchJobStatus } from '@inkwell/contracts';
import { t, type MessageKey } from '../../i18n/i18n';

type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

export const STATUS_TONE: Readonly<Record<BatchJobStatus, Tone>> = { queued: 'neutral', running: 'info', completed: 'good', failed: 'bad', cancelled: 'warn' };
const STATUS_WORD: Readonly<Record<BatchJobStatus, MessageKey>> = {
  queued: 'batch.status.queued',
  running: 'batch.status.running',
  completed: 'batch.status.completed',
  failed: 'batch.status.failed',
  cancelled: 'batch.status.cancelled',
};
export const statusWord = (s: BatchJobStatus): string => t(STATUS_WORD[s]);

/** 45 s, 2 min 5 s, 1 h 3 min: an ETA needs no more precision than that. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return t('state.none');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('batch.eta.seconds', { s });
  if (s < 3600) return t('batch.eta.minutes', { m: Math.floor(s / 60), s: s % 60 });
  return t('batch.eta.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

export const formatRate = (perSecond: number | null): string => (perSecond === null ? t('state.none') : perSecond.toFixed(perSecond < 10 ? 1 : 0));

export const formatWhen = (iso: string): string => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
