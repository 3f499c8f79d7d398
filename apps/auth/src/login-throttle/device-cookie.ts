import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SigningKey } from '../keys/signing-key';

export const DEVICE_COOKIE = 'inkwell_device';
/** How long a browser that signed in to an account stays known to its throttle. */
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 24 * 3600;

/**
 * Device cookies (OWASP's answer to account lockout): a browser that signed in to an account gets
 * `<nonce>.<HMAC(account, nonce)>`. On a later sign-in it proves the browser once knew the
 * password, so the throttle counts its failures apart from everyone else's and never makes it share
 * the account's slow slot with an attacker hammering that account, nor wait out the window of an
 * address it shares with one. Stateless: the MAC key is derived from auth's signing key, so
 * rotating that key forgets every device (they fall back to the per-address rules).
 */
export class DeviceCookies {
  private readonly macKey: Buffer;

  constructor(key: SigningKey) {
    this.macKey = createHash('sha256').update('inkwell device cookie\0').update(key.privateKey.export({ format: 'der', type: 'pkcs8' })).digest();
  }

  private mac(email: string, nonce: string): Buffer {
    return createHmac('sha256', this.macKey).update(`${email.toLowerCase()}\n${nonce}`).digest();
  }

  issue(email: string): string {
    const nonce = randomBytes(16).toString('base64url');
    return `${nonce}.${this.mac(email, nonce).toString('base64url')}`;
  }

  /** The device's id if `cookie` was issued for this account, else null. */
  deviceOf(email: string, cookie: unknown): string | null {
    if (typeof cookie !== 'string' || cookie.length > 128) return null;
    const [nonce, mac, extra] = cookie.split('.');
    if (!nonce || !mac || extra !== undefined) return null;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(email, nonce);
    return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : null;
  }
}
