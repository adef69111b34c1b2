import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/app-error';
import type { RallyMetrics } from '../metrics/prometheus';

/**
 * `GET /metrics` in Prometheus text for a scraper holding METRICS_TOKEN (as a bearer token), and
 * every request's latency recorded by its route pattern. Without a token set there is no route:
 * figures about a Rally are not public.
 */
export function registerMetricsRoutes(app: FastifyInstance, deps: { metrics: RallyMetrics; token: string | undefined }): void {
  app.addHook('onResponse', async (request, reply) => {
    // Unmatched requests (404s, static misses) share one label, so a scan cannot grow the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  const token = deps.token;
  if (!token) return;
  app.get('/metrics', async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) throw new AppError('unauthorized', 'Send the metrics token as a bearer token');
    void reply.header('cache-control', 'no-store').type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
