/**
 * Redis keys of the access-token deny-list: auth writes them (logout, refresh reuse, deactivation),
 * the gateway reads them on every request. Access tokens are stateless, so "revoked at once"
 * needs this shared list; PostgreSQL holds the lasting fact.
 */
export const revocationKeys = (prefix: string) => ({
  session: (sid: string) => `${prefix}:auth:revoked-session:${sid}`,
  user: (userId: string) => `${prefix}:auth:inactive-user:${userId}`,
});
