export * from './redis';
export * from './typed-queue';
export * from './typed-worker';
export * from './queue-metrics';
export * from './wait-for-job';
export * from './obliterate-namespace';
export * from './queue-sandbox';
