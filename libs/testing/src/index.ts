export * from './test-env';
export * from './test-queues';
export * from './service-process';
export * from './bundled-run';
