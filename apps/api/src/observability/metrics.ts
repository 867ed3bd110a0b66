import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every Prometheus metric of one app instance, in its own registry (tests run several apps in one
 * process; the global registry would refuse the second). Names are listed in docs/OPERATIONS.md.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'eenplan_commands_total',
    help: 'Commands handled, by command type and outcome (accepted, rejected, conflict, failed)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly commandDuration = new Histogram({
    name: 'eenplan_command_duration_seconds',
    help: 'Time from loading the stream to the stored append (or the refusal), by command type',
    labelNames: ['command'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly appendDuration = new Histogram({
    name: 'eenplan_event_store_append_duration_seconds',
    help: 'Event store append latency, by outcome (ok, conflict, error)',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly versionConflicts = new Counter({
    name: 'eenplan_version_conflicts_total',
    help: 'Appends refused because the stream moved since it was read (retried ones included)',
    registers: [this.registry],
  });
  readonly projectionLagEvents = new Gauge({
    name: 'eenplan_projection_lag_events',
    help: 'Committed events a projection has not applied yet (counted up to 10000), measured every METRICS_LAG_REFRESH_MS',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });
  readonly projectionLagSeconds = new Gauge({
    name: 'eenplan_projection_lag_seconds',
    help: 'Age of the oldest event a projection has not applied yet (0 when caught up), measured every METRICS_LAG_REFRESH_MS',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });
  /** Read from the relay's checkpoint table every METRICS_LAG_REFRESH_MS. */
  readonly relayLagEvents = new Gauge({
    name: 'eenplan_relay_lag_events',
    help: 'Committed events the Kafka relay has not published yet (counted up to 10000)',
    labelNames: ['relay'] as const,
    registers: [this.registry],
  });
  readonly relayLagSeconds = new Gauge({
    name: 'eenplan_relay_lag_seconds',
    help: 'Age of the oldest event the Kafka relay has not published yet (0 when caught up)',
    labelNames: ['relay'] as const,
    registers: [this.registry],
  });
  readonly lagMeasuredAt = new Gauge({
    name: 'eenplan_lag_measured_at_seconds',
    help: 'When the lag gauges were last measured (Unix time); they are refreshed every METRICS_LAG_REFRESH_MS',
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'eenplan_http_requests_total',
    help: 'HTTP responses by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'eenplan_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
