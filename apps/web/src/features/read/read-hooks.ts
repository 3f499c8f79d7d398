import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ReadLimits } from '@inkwell/contracts';
import { api } from '../../api/api-client';

/** The server's upload limits; they change only with its configuration, so one fetch per visit. */
export const useReadLimits = () =>
  useQuery({
    queryKey: ['read', 'limits'],
    queryFn: ({ signal }) => api('get', '/v1/limits', { schema: ReadLimits, signal }),
    staleTime: Infinity,
  });

/** An object URL for `blob` while it is shown, revoked when it is replaced or the page goes. */
export function useObjectUrl(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) {
      setUrl(null);
      return;
    }
    const next = URL.createObjectURL(blob);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [blob]);
  return url;
}

/** The first file of a clipboard or drop: an image if there is one, else any file (the check then says why not). */
export function firstFile(items: DataTransferItemList | null | undefined, files: FileList | null | undefined): File | null {
  const list = Array.from(items ?? []).filter((i) => i.kind === 'file');
  const item = list.find((i) => i.type.startsWith('image/')) ?? list[0];
  return item?.getAsFile() ?? files?.[0] ?? null;
}

/**
 * Calls `onFile` with the image pasted anywhere on the page while it is shown (Ctrl+V / ⌘V).
 * Pastes without a file (text) are left to the browser.
 */
export function usePastedFile(onFile: (file: File) => void, enabled: boolean): void {
  const latest = useRef(onFile);
  latest.current = onFile;
  useEffect(() => {
    if (!enabled) return;
    const onPaste = (e: ClipboardEvent): void => {
      const file = firstFile(e.clipboardData?.items, e.clipboardData?.files);
      if (!file) return;
      e.preventDefault();
      latest.current(file);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [enabled]);
}

/**
 * A file dropped outside the drop zone would make the browser open it in place of the app (losing
 * the page); while the reader is shown such drops are ignored.
 */
export function useNoStrayDrops(): void {
  useEffect(() => {
    const stop = (e: DragEvent): void => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);
}
