export * from './ml/model-manifest';
