export * from './internal-identity';
export * from './guards';
export * from './revocation-keys';
