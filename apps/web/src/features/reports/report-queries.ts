import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReportList, ReportSummary, type CreateReportRequest, type ReportFormat, type ReportKind, type ReportStatus, type ReportView } from '@inkwell/contracts';
import { api, apiFile } from '../../api/api-client';
import { t, type MessageKey } from '../../i18n/i18n';
import { ReportDocument } from './report-document';

export const REPORTS_KEY = ['reports'] as const;
const listKey = (kind: ReportKind | null) => [...REPORTS_KEY, 'list', kind ?? 'all'] as const;
/** While a report is being rendered its status is asked for this often (the service has no event stream). */
const RENDERING_POLL_MS = 1_000;

export const REPORT_FORMATS: readonly ReportFormat[] = ['pdf', 'html', 'json', 'csv'];
export const REPORT_VIEWS: readonly ReportView[] = ['technical', 'simple'];

const fetchReports = async (kind: ReportKind | null, signal: AbortSignal): Promise<ReportSummary[]> =>
  (await api('get', '/api/reports', { query: { ...(kind ? { kind } : {}), limit: 100 }, schema: ReportList, signal })).reports;

const rendering = (reports: readonly ReportSummary[] | undefined): boolean => reports?.some((r) => r.status === 'queued') ?? false;

/** Reports, most recently requested first; asked again while one is being rendered. */
export const useReports = (kind: ReportKind | null) =>
  useQuery({ queryKey: listKey(kind), queryFn: ({ signal }) => fetchReports(kind, signal), refetchInterval: (q) => (rendering(q.state.data) ? RENDERING_POLL_MS : false) });

/**
 * The report on one subject (a benchmark, or a comparison of a and b), null when nobody asked for
 * it yet; asked again every second while it is being rendered.
 */
export function useReportOf(kind: ReportKind, subjectIds: readonly string[]) {
  const key = subjectIds.join(',');
  return useQuery({
    queryKey: [...REPORTS_KEY, 'of', kind, key],
    queryFn: async ({ signal }) => (await fetchReports(kind, signal)).find((r) => r.subject_ids.join(',') === key) ?? null,
    refetchInterval: (q) => (q.state.data?.status === 'queued' ? RENDERING_POLL_MS : false),
  });
}

/** One report by id (from the list: the service answers files, not a summary, by id). */
export const useReport = (id: string) =>
  useQuery({
    queryKey: [...REPORTS_KEY, 'one', id],
    queryFn: async ({ signal }) => (await fetchReports(null, signal)).find((r) => r.id === id) ?? null,
    refetchInterval: (q) => (q.state.data?.status === 'queued' ? RENDERING_POLL_MS : false),
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
