import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiConfig, ApiKeyList, CreateApiKeyResponse, type ApiKey, type CreateApiKeyRequest } from '@inkwell/contracts';
import type { z } from 'zod';
import { toast } from 'sonner';
import { api } from '../../../api/api-client';
import { t } from '../../../i18n/i18n';
import { userByIdQuery } from '../users/users-api';

const KEYS_KEY = ['admin', 'api-keys'] as const;

export const useApiKeys = () => useQuery({ queryKey: KEYS_KEY, queryFn: ({ signal }) => api('get', '/api/admin/api-keys', { schema: ApiKeyList, signal }) });

export const useApiConfig = () => useQuery({ queryKey: ['admin', 'api-config'], queryFn: ({ signal }) => api('get', '/api/admin/api-config', { schema: ApiConfig, signal }) });
export type ApiConfiguration = z.infer<typeof ApiConfig>;

/** Who created each key, by user id (keys hold only the id); the list has a handful of creators at most. */
export function useKeyCreators(keys: readonly ApiKey[]): ReadonlyMap<string, { readonly name: string | null; readonly failed: boolean }> {
  const ids = [...new Set(keys.flatMap((k) => (k.created_by ? [k.created_by] : [])))];
  const answers = useQueries({
    queries: ids.map((id) => userByIdQuery(id)),
  });
  return new Map(ids.map((id, i) => [id, { name: answers[i]?.data?.name ?? null, failed: answers[i]?.isError ?? false }]));
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyRequest) => api('post', '/api/admin/api-keys', { body, schema: CreateApiKeyResponse }),
    // The result holds the key's secret: dropped from the cache as soon as the dialog lets go of it.
    gcTime: 0,
    onSuccess: async (created) => {
      toast.success(t('apiKeys.created.toast', { name: created.api_key.name }));
      await client.invalidateQueries({ queryKey: KEYS_KEY });
    },
  });
}

/** Revoking takes effect at once at every gateway (auth pushes the revocation). */
export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (key: ApiKey) => api('delete', '/api/admin/api-keys/{id}', { params: { id: key.id } }),
    onSuccess: async (_none, key) => {
      toast.success(t('apiKeys.revoke.toast', { name: key.name }));
      await client.invalidateQueries({ queryKey: KEYS_KEY });
    },
  });
}

export type KeyStatus = 'active' | 'revoked' | 'expired';
export const keyStatus = (key: ApiKey, now = Date.now()): KeyStatus =>
  key.revoked_at ? 'revoked' : key.expires_at && new Date(key.expires_at).getTime() <= now ? 'expired' : 'active';
