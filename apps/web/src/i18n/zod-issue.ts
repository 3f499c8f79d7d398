import type { z } from 'zod';
import { t } from './i18n';

/**
 * A schema's complaint in the catalogue's words: the field as the form labels it, and what is
 * wrong without zod's own phrasing ("Too big: expected number to be <=1024"). A rule a contract
 * wrote in words (a refine) keeps its sentence.
 */
export function issueText(issue: z.core.$ZodIssue, field: string): string {
  switch (issue.code) {
    case 'too_small':
      return t(issue.origin === 'array' || issue.origin === 'set' ? 'issue.tooFew' : 'issue.tooSmall', { field, min: Number(issue.minimum) });
    case 'too_big':
      return t(issue.origin === 'array' || issue.origin === 'set' ? 'issue.tooMany' : 'issue.tooBig', { field, max: Number(issue.maximum) });
    case 'custom':
      return t('issue.rule', { field, message: issue.message });
    default:
      return t('issue.invalid', { field });
  }
}
