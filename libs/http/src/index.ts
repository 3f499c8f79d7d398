export * from './request-id';
export * from './validate';
export * from './error-handler';
export * from './metrics';
export * from './readiness';
export * from './create-app';
export * from './serve';
export * from './run-main';
