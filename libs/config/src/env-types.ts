import { isIP } from 'node:net';
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

/** A bind address: loopback unless the deployment says otherwise (only the gateway should be public). */
export const host = () => z.string().min(1).default('127.0.0.1');

const PROXY_ADDRESS_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(entry: string): boolean {
  if (PROXY_ADDRESS_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Express `trust proxy` for the hops in front of the gateway: `false` (clients connect directly),
 * a hop count (the last N X-Forwarded-For entries were written by our proxies), or the proxies'
 * addresses/CIDRs (proxy-addr's names loopback, linklocal, uniquelocal work too). Not `true`:
 * that takes the left-most entry, which the client writes itself.
 */
export const trustProxy = () =>
  z
    .string()
    .default('false')
    .transform((v, ctx): false | number | string[] => {
      const value = v.trim();
      if (value === 'false' || value === '0') return false;
      if (value === 'true') {
        ctx.addIssue({ code: 'custom', message: 'true trusts every hop, so a client picks its own IP by sending X-Forwarded-For; give the number of proxies in front of the gateway (e.g. 1 behind one ingress controller) or their addresses/CIDRs' });
        return z.NEVER;
      }
      if (/^\d+$/.test(value)) return Number(value);
      const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = entries.filter((e) => !isProxyAddress(e));
      if (entries.length === 0 || bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `expected false, a hop count or comma-separated proxy addresses/CIDRs; not an address: ${bad.join(', ') || value}` });
        return z.NEVER;
      }
      return entries;
    });
