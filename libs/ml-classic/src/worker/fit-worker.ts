import { parentPort, workerData } from 'node:worker_threads';
import { trainForest } from '../forest/forest';
import { trainSvm } from '../svm/train';
import type { FitMessage, FitRequest } from './fit-protocol';

const port = parentPort;
if (!port) throw new Error('fit-worker.ts must run in a worker thread');
const post = (m: FitMessage): void => port.postMessage(m);
const log = (message: string): void => post({ kind: 'log', message });
const request = workerData as FitRequest;

try {
  const report = request.family === 'svm' ? trainSvm(request.set, request.params, { log, ...(request.calibration ? { calibration: request.calibration } : {}) }) : trainForest(request.set, request.params, log);
  post({ kind: 'done', report });
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  post({ kind: 'error', name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
}
