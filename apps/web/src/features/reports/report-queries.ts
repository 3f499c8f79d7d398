import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { ReportDocument, ReportList, ReportSummary, type ReportListQuery, type CreateReportRequest, type ReportFormat, type ReportKind, type ReportStatus, type ReportView } from '@inkwell/contracts';
import { api, apiFile } from '../../api/api-client';
import { t, type MessageKey } from '../../i18n/i18n';
import { renderingPollMs } from './report-poll';

type ReportListQueryInput = z.input<typeof ReportListQuery>;

export const REPORTS_KEY = ['reports'] as const;
const listKey = (kind: ReportKind | null) => [...REPORTS_KEY, 'list', kind ?? 'all'] as const;

export const REPORT_FORMATS: readonly ReportFormat[] = ['pdf', 'html', 'json', 'csv'];
export const REPORT_VIEWS: readonly ReportView[] = ['technical', 'simple'];

const fetchReports = async (query: ReportListQueryInput, signal: AbortSignal): Promise<ReportSummary[]> =>
  (await api('get', '/api/reports', { query, schema: ReportList, signal })).reports;

/** Reports, most recently requested first; asked again, less and less often, while one is being rendered. */
export const useReports = (kind: ReportKind | null) =>
  useQuery({
    queryKey: listKey(kind),
    queryFn: ({ signal }) => fetchReports({ ...(kind ? { kind } : {}), limit: 100 }, signal),
    refetchInterval: (q) => renderingPollMs(q.state.data ?? [], q.state.dataUpdatedAt),
  });

/**
 * The report on one subject (a benchmark, or a comparison of a and b), null when nobody asked for
 * it yet; looked up by subject (however many reports there are), and asked again while it renders.
 */
export function useReportOf(kind: ReportKind, subjectIds: readonly string[]) {
  const subject = subjectIds.join(',');
  return useQuery({
    queryKey: [...REPORTS_KEY, 'of', kind, subject],
    queryFn: async ({ signal }) => (await fetchReports({ kind, subject, limit: 1 }, signal))[0] ?? null,
    refetchInterval: (q) => renderingPollMs([q.state.data ?? null], q.state.dataUpdatedAt),
  });
}

/** One report by id (looked up by id: the service answers files, not a summary, at /api/reports/{id}). */
export const useReport = (id: string) =>
  useQuery({
    queryKey: [...REPORTS_KEY, 'one', id],
    queryFn: async ({ signal }) => (await fetchReports({ id, limit: 1 }, signal))[0] ?? null,
    refetchInterval: (q) => renderingPollMs([q.state.data ?? null], q.state.dataUpdatedAt),
  });

/** Asks for a report (engineers); the same subject always names the same report. */
export function useRequestReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateReportRequest) => api('post', '/api/reports', { body, schema: ReportSummary }),
    onSuccess: () => client.invalidateQueries({ queryKey: REPORTS_KEY }),
  });
}

/** A ready report's JSON form in one view, parsed: what the page shows natively. */
export const useReportDocument = (id: string, view: ReportView, enabled: boolean) =>
  useQuery({
    queryKey: [...REPORTS_KEY, 'document', id, view],
    queryFn: async () => {
      const file = await apiFile('/api/reports/{id}', { params: { id }, query: { view, format: 'json' } });
      return ReportDocument.parse(JSON.parse(await file.blob.text()) as unknown);
    },
    enabled,
    // A rendered file never changes (its ETag is its sha256).
    staleTime: Infinity,
  });

const STATUS_WORD: Readonly<Record<ReportStatus, MessageKey>> = { queued: 'reports.status.queued', ready: 'reports.status.ready', failed: 'reports.status.failed' };
export const reportStatusWord = (s: ReportStatus): string => t(STATUS_WORD[s]);
export const REPORT_STATUS_TONE: Readonly<Record<ReportStatus, 'neutral' | 'good' | 'bad' | 'info'>> = { queued: 'info', ready: 'good', failed: 'bad' };
const KIND_WORD: Readonly<Record<ReportKind, MessageKey>> = { comparison: 'reports.kind.comparison', benchmark: 'reports.kind.benchmark' };
export const reportKindWord = (k: ReportKind): string => t(KIND_WORD[k]);
const VIEW_WORD: Readonly<Record<ReportView, MessageKey>> = { technical: 'reports.view.technical', simple: 'reports.view.simple' };
export const reportViewWord = (v: ReportView): string => t(VIEW_WORD[v]);
const VIEW_INLINE: Readonly<Record<ReportView, MessageKey>> = { technical: 'reports.viewWord.technical', simple: 'reports.viewWord.simple' };
/** The view's name inside a sentence ("Download technical report"). */
export const reportViewInline = (v: ReportView): string => t(VIEW_INLINE[v]);
