import type { ModelSource, ModelStatus } from '@inkwell/contracts';
import { t, type MessageKey } from '../../i18n/i18n';

/** A ratio as a percentage with one or two decimals (accuracies near 99% differ in the second). */
export const pct = (r: number | null | undefined, digits = 2): string => (r === null || r === undefined ? t('state.none') : `${(r * 100).toFixed(digits)}%`);

/** A signed difference in percentage points. */
export const deltaPoints = (d: number): string => `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d * 100).toFixed(2)} pp`;

export const formatDateTime = (iso: string): string => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

export const FAMILIES = ['mlp', 'cnn', 'resnet', 'lenet5', 'resnet18', 'svm', 'random_forest'] as const;

const SOURCE_WORD: Readonly<Record<ModelSource, MessageKey>> = { trained: 'models.source.trained', builtin: 'models.source.builtin', imported: 'models.source.imported', preset: 'models.source.preset' };
export const sourceWord = (s: ModelSource): string => t(SOURCE_WORD[s]);

const STATUS_WORD: Readonly<Record<ModelStatus, MessageKey>> = {
  evaluating: 'models.status.evaluating',
  ready: 'models.status.ready',
  failed: 'models.status.failed',
  deleted: 'models.status.deleted',
};
export const statusWord = (s: ModelStatus): string => t(STATUS_WORD[s]);
export const STATUS_TONE: Readonly<Record<ModelStatus, 'neutral' | 'good' | 'warn' | 'bad' | 'info'>> = { evaluating: 'info', ready: 'good', failed: 'bad', deleted: 'neutral' };

/** A version's id shortened for a table cell (the full id is in its link's accessible name). */
export const shortId = (id: string): string => id.slice(0, 8);
