export * from './tuning-space';
export * from './tuning-http';
export * from './tune-trial-job';
export * from './tuning-pages';
