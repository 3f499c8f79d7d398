import { en, type MessageKey } from './en';

export type { MessageKey };
type Catalogue = Readonly<Record<MessageKey, string>>;

/** Languages the app ships. Adding one: a catalogue with every key of `en` (the type checks it). */
const catalogues: Readonly<Record<string, Catalogue>> = { en };

function pickLanguage(): string {
  const wanted = typeof navigator === 'undefined' ? [] : navigator.languages;
  for (const tag of wanted) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (base in catalogues) return base;
  }
  return 'en';
}

const active: Catalogue = catalogues[pickLanguage()] ?? en;

/** The message for `key`, with `{name}` placeholders filled from `vars`. */
export function t(key: MessageKey, vars: Readonly<Record<string, string | number>> = {}): string {
  return active[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
