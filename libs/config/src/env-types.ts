import { z } from 'zod';

// Small parsers for env strings, so every schema reads the same way.
export const port = (def: number) => z.coerce.number().int().min(1).max(65535).default(def);
export const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
export const num = (def: number) => z.coerce.number().default(def);
export const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
export const list = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
export const url = (def: string) => z.url().default(def);
