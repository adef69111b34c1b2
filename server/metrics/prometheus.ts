import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutboxCounts } from '../push/push-outbox-store';

/**
 * Rally's Prometheus metrics, one registry per app (tests run several apps in one process, and the
 * global registry would mix them). Request figures are counted as requests finish; the socket and
 * push figures are read when Prometheus scrapes, so an idle process does no work for them.
 */
export interface RallyMetrics {
  registry: Registry;
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
}

export interface MetricsSources {
  socketConnections: () => number;
  pushCounts: () => Promise<OutboxCounts>;
  now: () => Date;
}

export function createRallyMetrics(sources: MetricsSources): RallyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rally_process_' });
  const duration = new Histogram({
    name: 'rally_http_request_duration_seconds',
    help: 'HTTP request latency by route (the route pattern, never the raw URL)',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'rally_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  new Gauge({
    name: 'rally_socket_connections',
    help: 'Socket.IO connections open on this process',
    registers: [registry],
    collect() {
      this.set(sources.socketConnections());
    },
  });
  // Registered after the queue gauge, which sets it from the same read (metrics are collected in
  // registration order, so it is current by the time it is written out).
  const oldestPending = new Gauge({
    name: 'rally_push_oldest_pending_age_seconds',
    help: 'Age of the oldest push still waiting to be delivered (0 when none waits)',
    registers: [],
  });
  new Gauge({
    name: 'rally_push_outbox',
    help: 'Push outbox rows by status (pending is the queue depth; the others are outcomes so far)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await sources.pushCounts();
      for (const [status, count] of Object.entries(counts.byStatus)) this.set({ status }, count);
      oldestPending.set(counts.oldestPendingAt === null ? 0 : Math.max(0, sources.now().getTime() - Date.parse(counts.oldestPendingAt)) / 1000);
    },
  });
  registry.registerMetric(oldestPending);
  return {
    registry,
    observeRequest(method, route, statusCode, seconds) {
      const labels = { method, route, status_code: String(statusCode) };
      duration.observe(labels, seconds);
      requests.inc(labels);
    },
  };
}
