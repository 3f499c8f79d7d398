import { ConfigError, type CommonEnv } from '@inkwell/config';

/**
 * The service's own bind address, `<NAME>_HOST` of its schema: each service has one, so exposing
 * the gateway (0.0.0.0) never exposes the services behind it.
 */
export function bindHost(service: string, config: CommonEnv): string {
  const key = `${service.toUpperCase()}_HOST`;
  const value = (config as Readonly<Record<string, unknown>>)[key];
  if (typeof value !== 'string') throw new ConfigError([`${key}: the ${service} schema defines no bind address`]);
  return value;
}
