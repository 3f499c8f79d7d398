export * from './benchmark-engines';
export * from './benchmark-constraints';
export * from './benchmark-request';
export * from './benchmark-record';
export * from './benchmark-job';
