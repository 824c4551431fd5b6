// Prometheus metrics of a node (scraped at /metrics). Counters only name routes and status codes — never a user,
// an office or a cable.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface NodeMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'status'>;
  readonly duration: Histogram<'route'>;
}

export function createMetrics(): NodeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({ name: 'chancery_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry] }),
    duration: new Histogram({
      name: 'chancery_http_request_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
