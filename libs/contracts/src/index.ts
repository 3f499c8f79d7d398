export * from './http/errors';
export * from './ml/model-manifest';
