import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The engine's Prometheus metrics, in a registry of its own (no global state). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'livora_' });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'livora_http_request_duration_seconds',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsAccepted: new Counter({
      name: 'livora_events_accepted_total',
      help: 'Events durably written to the event log (per-tenant volumes belong to analytics, not to labels)',
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'livora_events_rejected_total',
      help: 'Events refused, by error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    logAppend: new Histogram({
      name: 'livora_event_log_append_seconds',
      help: 'Time from an ingest request’s append to its durability',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    pipelineEvents: new Counter({
      name: 'livora_pipeline_events_total',
      help: 'Events per pipeline step and outcome (processed, dropped, dead_lettered)',
      labelNames: ['step', 'outcome'] as const,
      registers: [registry],
    }),
    pipelineStepSeconds: new Counter({
      name: 'livora_pipeline_step_seconds_total',
      help: 'Time spent in each pipeline step (and "record": writing processed events and dead letters)',
      labelNames: ['step'] as const,
      registers: [registry],
    }),
    pipelineLag: new Gauge({
      name: 'livora_pipeline_lag_events',
      help: 'Events in a partition not yet processed by this pipeline process',
      labelNames: ['partition'] as const,
      registers: [registry],
    }),
    pipelineLagSeconds: new Gauge({
      name: 'livora_pipeline_lag_seconds',
      help: 'Age of the last record read from a partition, 0 once caught up: lag in time, on every stream (Kinesis and Pub/Sub cannot count events behind)',
      labelNames: ['partition'] as const,
      registers: [registry],
    }),
    lakeFiles: new Counter({
      name: 'livora_lake_files_written_total',
      help: 'Parquet files written to the lake',
      registers: [registry],
    }),
    lakeFlush: new Histogram({
      name: 'livora_lake_flush_seconds',
      help: 'Time to write a partition range to the lake and commit its checkpoint',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'livora_rate_limited_total',
      help: 'Requests refused by a rate limit, by scope',
      labelNames: ['scope'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
