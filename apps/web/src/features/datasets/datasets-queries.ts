import { Dataset, DatasetList, type DatasetStatus, type DatasetSummary } from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { t, type MessageKey } from '../../i18n/i18n';

export const DATASETS_KEY = ['datasets'] as const;
export const datasetsListKey = ['datasets', 'list'] as const;
export const datasetKey = (id: string) => ['datasets', 'one', id] as const;

/** Newest first: a fresh upload is what the user looks for. */
export async function fetchDatasets(signal: AbortSignal): Promise<DatasetSummary[]> {
  const { items } = await api('get', '/api/datasets', { schema: DatasetList, signal });
  return [...items].sort((a, b) => b.created_at.localeCompare(a.created_at));
}

export const fetchDataset = (id: string, signal: AbortSignal): Promise<Dataset> => api('get', '/api/datasets/{id}', { params: { id }, schema: Dataset, signal });

type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';
export const DATASET_STATUS_TONE: Readonly<Record<DatasetStatus, Tone>> = { validating: 'info', ready: 'good', invalid: 'bad' };
const STATUS_WORD: Readonly<Record<DatasetStatus, MessageKey>> = { validating: 'datasets.status.validating', ready: 'datasets.status.ready', invalid: 'datasets.status.invalid' };
export const datasetStatusWord = (s: DatasetStatus): string => t(STATUS_WORD[s]);

/** 1.2 MB, 640 KB: sizes as people read them (decimal units, as file managers show). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i] ?? 'TB'}`;
}

export const formatWhen = (iso: string): string => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
export const formatCount = (n: number): string => n.toLocaleString();
