import { ApiError } from './api-client';

function retryText(seconds: number, now: Date): string {
  if (seconds < 60) return `You can retry in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  const when = new Date(now.getTime() + seconds * 1000);
  // Beyond a day the time alone would name the wrong day.
  const at = seconds >= 86_400 ? when.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const minutes = Math.ceil(seconds / 60);
  return `You can retry at ${at} (in ${minutes} minute${minutes === 1 ? '' : 's'}).`;
}

/** What to tell the user about a failed call: the server's own words, plus when to retry if it said. */
export function errorMessage(e: unknown, now = new Date()): string {
  if (!(e instanceof ApiError)) return 'Something went wrong. Try again.';
  if (e.code !== 'rate_limited' || e.retryAfterSeconds === null) return e.message;
  const sentence = /[.!?]$/.test(e.message) ? e.message : `${e.message}.`;
  return `${sentence} ${retryText(e.retryAfterSeconds, now)}`;
}
