import type { z } from 'zod';
import { assertDeclaredResponseSchema } from '@inkwell/contracts';
import { ApiError, failureFrom, isUnauthorized, routeUrl, type PathOf, type RouteArgs } from './api-client';
import { renewSessionIfNeeded } from './auth-api';
import { t } from '../i18n/i18n';

export interface UploadOptions<P extends PathOf<'post'>, S extends z.ZodType> {
  readonly args: RouteArgs<'post', P>;
  readonly form: FormData;
  readonly schema: S;
  /** 0..1 of the request body sent. */
  readonly onProgress?: (share: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * A multipart POST to a route of the table, with upload progress (fetch cannot report it; XHR
 * can). Cookies go along as with every same-origin call; when the access cookie has expired (401)
 * the session is renewed and the upload sent once more (it is not sent again otherwise: it may be big).
 */
export async function upload<P extends PathOf<'post'>, S extends z.ZodType>(path: P, opts: UploadOptions<P, S>): Promise<z.infer<S>> {
  const url = routeUrl('post', path, opts.args.params, opts.args.query);
  assertDeclaredResponseSchema('post', url.split('?', 1)[0] ?? url, opts.schema);
  try {
    return await send(url, opts);
  } catch (e) {
    if (!isUnauthorized(e) || !(await renewSessionIfNeeded())) throw e;
    return send(url, opts);
  }
}

function send<P extends PathOf<'post'>, S extends z.ZodType>(url: string, opts: UploadOptions<P, S>): Promise<z.infer<S>> {
  return new Promise<z.infer<S>>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new DOMException('The upload was cancelled', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, null, t('error.unreachable')));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = null;
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const retry = Number(xhr.getResponseHeader('retry-after'));
        reject(failureFrom(xhr.status, xhr.statusText, body, Number.isFinite(retry) && retry > 0 ? retry : null));
        return;
      }
      try {
        assertDeclaredResponseSchema('post', url.split('?', 1)[0] ?? url, opts.schema, xhr.status);
      } catch (mismatch) {
        reject(mismatch instanceof Error ? mismatch : new Error(String(mismatch)));
        return;
      }
      const parsed = opts.schema.safeParse(body);
      if (parsed.success) resolve(parsed.data);
      else reject(new ApiError(xhr.status, null, t('error.unreadable')));
    };
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(opts.form);
  });
}
