import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { cx } from './cx';

/**
 * A data table that scrolls sideways inside its own box on narrow screens, so the page never
 * overflows; the caption names it for screen readers.
 */
export function Table({ caption, children, className }: { readonly caption: string; readonly children: ReactNode; readonly className?: string }) {
  return (
    <div className={cx('w-full overflow-x-auto rounded-lg border border-slate-200 bg-white', className)} tabIndex={0} role="region" aria-label={caption}>
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export const Th = ({ className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) => (
  <th scope="col" className={cx('border-b border-slate-200 bg-slate-50 px-3 py-2 font-semibold whitespace-nowrap text-slate-900', className)} {...rest} />
);
export const Td = ({ className, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) => <td className={cx('border-b border-slate-100 px-3 py-2 align-top text-slate-900', className)} {...rest} />;
export const Tr = (props: HTMLAttributes<HTMLTableRowElement>) => <tr {...props} />;
