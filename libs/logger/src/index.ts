export * from './request-context';
export * from './create-logger';
