import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Activation,
  ActivationList,
  ConfusionMatrixView,
  ModelComparisonView,
  ModelList,
  ModelMetrics,
  ModelMisreads,
  ModelVersion,
  ReportList,
  ReportSummary,
  RocCurveView,
  type ModelSource,
  type ModelStatus,
  type PromoteRequest,
} from '@inkwell/contracts';
import { api } from '../../api/api-client';
import { renderingPollMs } from '../reports/report-poll';

export const MODELS_KEY = ['models'] as const;
export const PAGE_SIZE = 20;

export interface ModelFilters {
  readonly family: string;
  readonly source: ModelSource | '';
  readonly status: ModelStatus | '';
  readonly sort: 'created_at' | 'accuracy';
  readonly order: 'asc' | 'desc';
  readonly page: number;
}

/** One server page of versions: the registry may hold tens of thousands, so nothing loads them all. */
export function useModelList(f: ModelFilters) {
  return useQuery({
    queryKey: [...MODELS_KEY, 'list', f],
    queryFn: ({ signal }) =>
      api('get', '/api/models', {
        query: { family: f.family || undefined, source: f.source || undefined, status: f.status || undefined, sort: f.sort, order: f.order, page: f.page, page_size: PAGE_SIZE },
        schema: ModelList,
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** One version; asked again every 2 s while it is being evaluated, so its metrics appear when ready. */
export const useModel = (id: string) =>
  useQuery({
    queryKey: [...MODELS_KEY, 'one', id],
    queryFn: ({ signal }) => api('get', '/api/models/{id}', { params: { id }, schema: ModelVersion, signal }),
    refetchInterval: (q) => (q.state.data?.status === 'evaluating' ? 2000 : false),
  });

/** The versions serving now (one, or an ensemble's members). */
export const useActiveVersions = () =>
  useQuery({
    queryKey: [...MODELS_KEY, 'list', 'active'],
    queryFn: async ({ signal }) => (await api('get', '/api/models', { query: { active: 'true', page_size: 16 }, schema: ModelList, signal })).items,
  });

// The evaluation behind these never changes once a version is ready: cached for the session.
const FOREVER = { staleTime: Infinity } as const;

export const useMetrics = (id: string, enabled: boolean) =>
  useQuery({ queryKey: [...MODELS_KEY, 'metrics', id], queryFn: ({ signal }) => api('get', '/api/models/{id}/metrics', { params: { id }, schema: ModelMetrics, signal }), enabled, ...FOREVER });

export const useConfusion = (id: string, enabled: boolean) =>
  useQuery({
    queryKey: [...MODELS_KEY, 'confusion', id],
    queryFn: ({ signal }) => api('get', '/api/models/{id}/confusion-matrix', { params: { id }, schema: ConfusionMatrixView, signal }),
    enabled,
    ...FOREVER,
  });

export const useRoc = (id: string, enabled: boolean) =>
  useQuery({ queryKey: [...MODELS_KEY, 'roc', id], queryFn: ({ signal }) => api('get', '/api/models/{id}/roc-curve', { params: { id }, schema: RocCurveView, signal }), enabled, ...FOREVER });

export interface Cell {
  readonly true: number;
  readonly predicted: number;
}

export const useMisreads = (id: string, cell: Cell | null) =>
  useQuery({
    queryKey: [...MODELS_KEY, 'misreads', id, cell?.true, cell?.predicted],
    queryFn: ({ signal }) => api('get', '/api/models/{id}/misreads', { params: { id }, query: { true: cell?.true ?? 0, predicted: cell?.predicted ?? 0, limit: 48 }, schema: ModelMisreads, signal }),
    enabled: cell !== null,
    ...FOREVER,
  });

export const useComparison = (a: string, b: string) =>
  useQuery({
    queryKey: [...MODELS_KEY, 'compare', a, b],
    queryFn: ({ signal }) => api('get', '/api/models/compare', { query: { a, b }, schema: ModelComparisonView, signal }),
    enabled: a !== '' && b !== '',
    ...FOREVER,
  });

const ACTIVATIONS_KEY = [...MODELS_KEY, 'activations'] as const;

/** The newest changes of the served set (engineers and admins: the API refuses viewers). */
export const useActivations = (enabled: boolean) =>
  useQuery({ queryKey: ACTIVATIONS_KEY, queryFn: ({ signal }) => api('get', '/api/models/activations', { query: { page_size: 10 }, schema: ActivationList, signal }), enabled });

/** Promote, roll back, delete: each changes which versions are active or listed, so everything under `models` is stale after. */
function useRegistryChange<V, R>(run: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: run, onSuccess: () => client.invalidateQueries({ queryKey: MODELS_KEY }) });
}

export const usePromote = () =>
  useRegistryChange(({ id, body }: { readonly id: string; readonly body: Partial<PromoteRequest> }) => api('post', '/api/models/{id}/promote', { params: { id }, body, schema: Activation }));

export const useRollback = () => useRegistryChange((reason: string) => api('post', '/api/models/rollback', { body: reason ? { reason } : {}, schema: Activation }));

export const useDeleteVersion = () => useRegistryChange((id: string) => api('delete', '/api/models/{id}', { params: { id }, schema: ModelVersion }));

/** The comparison report: requested once (the id follows from a and b), then polled until rendered. */
export const useRequestReport = () => useMutation({ mutationFn: ({ a, b }: { readonly a: string; readonly b: string }) => api('post', '/api/reports', { body: { kind: 'comparison', a, b }, schema: ReportSummary }) });

export const useReport = (id: string | null) =>
  useQuery({
    queryKey: ['reports', 'comparison', id],
    // Looked up by id: a list would lose the report once 100 newer ones exist.
    queryFn: async ({ signal }) => (id === null ? null : ((await api('get', '/api/reports', { query: { id, limit: 1 }, schema: ReportList, signal })).reports[0] ?? null)),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data === null ? 1000 : renderingPollMs([q.state.data ?? null], q.state.dataUpdatedAt)),
  });
