export { type Matrix } from './input';
export * from './classification';
export * from './roc';
export * from './calibration';
export * from './temperature';
export * from './report';
