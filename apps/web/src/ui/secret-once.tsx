import type { ReactNode } from 'react';
import { CopyButton } from './copy-button';

interface SecretOnceProps {
  readonly label: string;
  readonly secret: string;
  readonly copyLabel: string;
  /** Why it will not be shown again: a highlighted note under the secret. */
  readonly warning: ReactNode;
  readonly testId: string;
}

/**
 * A secret the server returns once (a temporary password, an API key's secret): shown in full,
 * with a copy button and the warning that it cannot be shown again.
 */
export function SecretOnce({ label, secret, copyLabel, warning, testId }: SecretOnceProps) {
  return (
    <>
      <p className="mb-1 font-medium text-slate-900">{label}</p>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <code data-testid={testId} className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-base break-all text-slate-900">
          {secret}
        </code>
        <CopyButton text={secret} label={copyLabel} />
      </div>
      <p role="note" className="mb-2 rounded-md border border-amber-300 bg-amber-50 p-3 font-medium text-amber-900">
        {warning}
      </p>
    </>
  );
}
