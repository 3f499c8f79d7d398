import type { HTMLAttributes, ReactNode } from 'react';
import { cx } from './cx';

export function Card({ className, ...rest }: HTMLAttributes<HTMLElement>) {
  return <section className={cx('rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6', className)} {...rest} />;
}

/** A page's heading row: the title (the page's one h1), an optional line under it, actions on the right. */
export function PageHeader({ title, description, actions }: { readonly title: string; readonly description?: string; readonly actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        {/* tabIndex -1: focus can land here after a change removes the button that had it. */}
        <h1 tabIndex={-1} className="text-2xl font-semibold text-slate-900">
          {title}
        </h1>
        {description ? <p className="mt-1 text-slate-700">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}
