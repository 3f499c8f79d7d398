export * from './env-source';
export * from './load-config';
export * from './env-types';
export * from './schemas';
