import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';

export interface InferenceMetrics {
  readonly predictions: Counter<'route' | 'outcome'>;
  readonly batchRequests: Histogram;
  readonly batchRows: Histogram;
  readonly runSeconds: Histogram;
  readonly modelLoadSeconds: Histogram;
  readonly swaps: Counter<'outcome'>;
  /** Adds every metric to the registry `/metrics` serves. */
  registerOn(registry: Registry): void;
}

/** The service's own metrics, created before the app (and its registry) exists. */
export function createInferenceMetrics(gauges: { queueDepth: () => number; inFlight: () => number; ensembleSize: () => number }): InferenceMetrics {
  const registers: Registry[] = [];
  const all: Metric[] = [
    new Gauge({ name: 'inference_queue_depth', help: 'Requests waiting for an inference worker', registers, collect() { this.set(gauges.queueDepth()); } }),
    new Gauge({ name: 'inference_requests_in_flight', help: 'Requests admitted (reading, preprocessing, queued or running)', registers, collect() { this.set(gauges.inFlight()); } }),
    new Gauge({ name: 'inference_ensemble_size', help: 'Models in the active set', registers, collect() { this.set(gauges.ensembleSize()); } }),
  ];
  const m = {
    predictions: new Counter({ name: 'inference_predictions_total', help: 'Read requests by outcome (ok or an error code)', labelNames: ['route', 'outcome'], registers }),
    batchRequests: new Histogram({ name: 'inference_batch_requests', help: 'Requests per inference run (dynamic batching)', buckets: [1, 2, 4, 8, 16, 32, 64], registers }),
    batchRows: new Histogram({ name: 'inference_batch_rows', help: 'Input rows per inference run (requests x TTA variants)', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers }),
    runSeconds: new Histogram({ name: 'inference_run_seconds', help: 'ONNX Runtime time per batch (all models of the set)', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers }),
    modelLoadSeconds: new Histogram({ name: 'inference_model_load_seconds', help: 'Time to read, load and warm a model set in every worker', buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers }),
    swaps: new Counter({ name: 'inference_model_swaps_total', help: 'Active-set loads by outcome', labelNames: ['outcome'], registers }),
  };
  all.push(...Object.values(m));
  return {
    ...m,
    registerOn(registry) {
      for (const metric of all) registry.registerMetric(metric);
    },
  };
}
