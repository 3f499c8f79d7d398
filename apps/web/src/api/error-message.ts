import { ApiError } from './api-client';
import { errorAdvice } from '../i18n/en/errors';
import { t } from '../i18n/i18n';

function retryText(seconds: number, now: Date): string {
  if (seconds < 60) return seconds === 1 ? t('error.retryIn1') : t('error.retryIn', { seconds });
  const when = new Date(now.getTime() + seconds * 1000);
  // Beyond a day the time alone would name the wrong day.
  const at = seconds >= 86_400 ? when.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? t('error.retryAt1', { at }) : t('error.retryAt', { at, minutes });
}

const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

/**
 * What to tell the user about a failed call: the server's own words (what went wrong), then what
 * to do next: when to retry for a rate limit, the code's advice otherwise.
 */
export function errorMessage(e: unknown, now = new Date()): string {
  if (!(e instanceof ApiError)) return t('error.generic');
  if (e.code === 'rate_limited') return e.retryAfterSeconds === null ? e.message : `${sentence(e.message)} ${retryText(e.retryAfterSeconds, now)}`;
  // Wrong credentials answer 401 too: "sign in again" would be no help on the sign-in form.
  if (e.code === null || e.code === 'unauthorized' || e.code === 'validation_failed') return e.message;
  const advice = errorAdvice[e.code];
  return advice ? `${sentence(e.message)} ${advice}` : e.message;
}
