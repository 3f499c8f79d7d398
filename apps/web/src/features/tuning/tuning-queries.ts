import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { FINISHED_TUNING_STATUSES, TuningJobList, TuningSpaces, TuningSummary, TuningTrialPage, type TrialStatus, type TuningJobStatus, type TuningMethod, type TuningTrialsQuery } from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { t, type MessageKey } from '../../i18n/i18n';

export const TUNING_KEY = ['tuning'] as const;
export const studiesKey = ['tuning', 'list'] as const;
export const summaryKey = (id: string) => ['tuning', 'summary', id] as const;
export const trialsKey = (id: string) => ['tuning', 'trials', id] as const;
export const spacesKey = ['tuning', 'spaces'] as const;

/** Rows per page of the trial table: a study may hold thousands, the table shows one page. */
export const TRIALS_PAGE_SIZE = 25;

export const fetchStudies = async (signal: AbortSignal) => (await api('get', '/api/tuning', { schema: TuningJobList, signal })).items;
export const fetchSpaces = async (signal: AbortSignal) => (await api('get', '/api/tuning/spaces', { schema: TuningSpaces, signal })).items;

/** While a study runs its event stream says when to ask again (study-live.ts): no polling here. */
export function useSummary(id: string) {
  return useQuery({
    queryKey: summaryKey(id),
    queryFn: ({ signal }) => api('get', '/api/tuning/{id}/summary', { params: { id }, schema: TuningSummary, signal }),
  });
}

export type TrialsView = Required<Pick<TuningTrialsQuery, 'sort' | 'order'>> & { readonly page: number };
/** The table's first view: the page asks for it beside the summary, not after it. */
export const FIRST_TRIALS_VIEW: TrialsView = { sort: 'index', order: 'asc', page: 1 };

export function useTrialPage(id: string, view: TrialsView) {
  return useQuery({
    queryKey: [...trialsKey(id), view],
    queryFn: ({ signal }) =>
      api('get', '/api/tuning/{id}/trials', { params: { id }, query: { offset: (view.page - 1) * TRIALS_PAGE_SIZE, limit: TRIALS_PAGE_SIZE, sort: view.sort, order: view.order }, schema: TuningTrialPage, signal }),
    placeholderData: keepPreviousData,
  });
}

export const isStudyFinished = (s: TuningJobStatus): boolean => FINISHED_TUNING_STATUSES.includes(s);

type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';
export const STUDY_STATUS_TONE: Readonly<Record<TuningJobStatus, Tone>> = { queued: 'neutral', running: 'info', completed: 'good', failed: 'bad', cancelled: 'warn' };
export const TRIAL_STATUS_TONE: Readonly<Record<TrialStatus, Tone>> = { queued: 'neutral', running: 'info', completed: 'good', pruned: 'warn', failed: 'bad', cancelled: 'warn' };

const STATUS_WORD: Readonly<Record<TrialStatus, MessageKey>> = {
  queued: 'tuning.status.queued',
  running: 'tuning.status.running',
  completed: 'tuning.status.completed',
  pruned: 'tuning.status.pruned',
  failed: 'tuning.status.failed',
  cancelled: 'tuning.status.cancelled',
};
/** A study's status words are its trials' (a study is never pruned). */
export const statusWord = (s: TrialStatus): string => t(STATUS_WORD[s]);

const METHOD_WORD: Readonly<Record<TuningMethod['kind'], MessageKey>> = { grid: 'tuning.method.grid', random: 'tuning.method.random', genetic: 'tuning.method.genetic', bayesian: 'tuning.method.bayesian' };
export const methodWord = (k: TuningMethod['kind']): string => t(METHOD_WORD[k]);

/** A parameter's value as the table shows it: numbers to 4 significant digits. */
export function formatParam(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return t('state.none');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
  return String(v);
}
