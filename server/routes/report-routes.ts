import type { FastifyInstance } from 'fastify';
import { AdminReportsQuery } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import { parseInput } from '../http/app-error';
import type { ReportsAdminService } from '../safety/reports-admin';

/** The administrators' list of reports. Reports are made through the outbox (`report.create`), not here. */
export function registerReportRoutes(app: FastifyInstance, deps: { tokens: AccessTokenIssuer; reports: ReportsAdminService }): void {
  app.get('/api/admin/reports', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    // Before the query is read: a non-administrator learns nothing, not even what a page looks like.
    deps.reports.requireAdmin(viewer);
    const query = parseInput(AdminReportsQuery, request.query, 'reports query');
    return reply.header('cache-control', 'no-store').send(await deps.reports.list(viewer, query));
  });
}
