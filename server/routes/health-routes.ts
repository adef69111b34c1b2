import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/app-error';

export function registerHealthRoutes(app: FastifyInstance, deps: { isDatabaseReachable: () => Promise<boolean> }): void {
  app.get('/api/health', async () => ({ status: 'ok' as const }));

  app.get('/api/ready', async (_request, reply) => {
    if (!(await deps.isDatabaseReachable())) throw new AppError('unavailable', 'The database is not reachable');
    void reply.header('cache-control', 'no-store');
    return { status: 'ready' as const };
  });
}
