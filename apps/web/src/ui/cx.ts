/** Joins class names, skipping the falsy ones (conditional Tailwind classes). */
export const cx = (...names: readonly (string | false | null | undefined)[]): string => names.filter(Boolean).join(' ');
