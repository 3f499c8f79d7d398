/**
 * What production demands beyond each schema: every secret the operator's own. The values
 * below are published in this repository (.env.example, and what infra/compose.env used to hold),
 * so anyone could sign an internal identity or scrape metrics with them.
 */
export const SECRET_VARIABLES = ['INTERNAL_TOKEN_SECRET', 'METRICS_TOKEN', 'API_KEY', 'ADMIN_PASSWORD', 'AUDIT_CHECKPOINT_SECRET'] as const;

export const MIN_SECRET_BYTES = 32;

export const PUBLIC_SECRET_VALUES: ReadonlySet<string> = new Set([
  'dev-only-internal-secret-change-me-0123456789',
  'inkwell-admin-dev-password',
  'compose-dev-only-internal-token-secret-not-for-production',
  'dev-only-prometheus-scrape-token-change-me',
  'dev-only-audit-checkpoint-secret-change-me-0123456789',
]);

/** Defaults that differ in production: cookies only over HTTPS, and no browser origin trusted unless named. */
export const PRODUCTION_DEFAULTS: Readonly<Record<string, string>> = {
  COOKIE_SECURE: 'true',
  CORS_ORIGINS: '',
};

/** One line per secret that production must refuse, naming the variable (never echoing the value). */
export function productionProblems(config: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const key of SECRET_VARIABLES) {
    const value = config[key];
    if (typeof value !== 'string') continue;
    if (PUBLIC_SECRET_VALUES.has(value)) problems.push(`${key}: is the public value from .env.example or infra/compose.env; set a secret of your own in production`);
    else if (Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) problems.push(`${key}: must be at least ${MIN_SECRET_BYTES} bytes in production (e.g. openssl rand -base64 48)`);
  }
  return problems;
}
