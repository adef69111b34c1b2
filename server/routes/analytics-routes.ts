import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AnalyticsBatch, AnalyticsBeaconBody, AnalyticsDashboardQuery, type AnalyticsBatchAnswer } from '../../protocol/analytics';
import type { AnalyticsDashboardService } from '../analytics/analytics-dashboard';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest, type Viewer } from '../auth/authenticate';
import type { AnalyticsService } from '../analytics/analytics-service';
import { AppError, parseInput } from '../http/app-error';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';

type Deps = { tokens: AccessTokenIssuer; analytics: AnalyticsService; dashboard: AnalyticsDashboardService; events: UserBudget };

/**
 * The batch and its sender. A page's fetch names the user with its bearer token; a beacon (sent as
 * the page goes away, text/plain because a beacon cannot set headers) carries the token in its body.
 * Either way the token is checked the same, and the user is the token's.
 */
async function readBatch(request: FastifyRequest, tokens: AccessTokenIssuer): Promise<{ viewer: Viewer; batch: AnalyticsBatch }> {
  if (typeof request.body !== 'string') {
    const viewer = await authenticateRequest(request, tokens);
    return { viewer, batch: parseInput(AnalyticsBatch, request.body, 'analytics batch') };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(request.body);
  } catch {
    throw new AppError('invalid_json', 'The beacon’s body is not JSON');
  }
  const { accessToken, ...batch } = parseInput(AnalyticsBeaconBody, raw, 'analytics beacon');
  const claims = await tokens.verify(accessToken);
  return { viewer: { id: claims.sub, displayName: claims.name, sessionId: claims.sid }, batch };
}

export function registerAnalyticsRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/api/analytics/events', async (request, reply) => {
    const { viewer, batch } = await readBatch(request, deps.tokens);
    // Each event counts, from the user's own analytics budget: a flood is refused before anything is
    // stored, and never eats into the budget of the user's writes.
    await spendOrRefuse(deps.events, viewer.id, batch.events.length);
    const answer: AnalyticsBatchAnswer = await deps.analytics.record(viewer.id, batch.events);
    return reply.header('cache-control', 'no-store').send(answer);
  });

  // The administrators' dashboard figures: daily and weekly users, sessions, events, the funnel, errors.
  app.get('/api/admin/analytics', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    const { days } = parseInput(AnalyticsDashboardQuery, request.query, 'dashboard query');
    const figures = await deps.dashboard.figures(viewer, days);
    return reply.header('cache-control', 'no-store').send(figures);
  });
}
