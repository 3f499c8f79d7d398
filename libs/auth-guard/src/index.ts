export * from './internal-identity';
export * from './guards';
export * from './revocation-keys';
export * from './expiring-cache';
export * from './api-key-invalidation';
export * from './client-bucket';
