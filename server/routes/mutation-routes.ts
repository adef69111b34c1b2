import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ClientId, Mutation, MutationId, WRITER_HEADER, type MutationRejected } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import { AppError, parseInput } from '../http/app-error';
import type { MutationService } from '../mutations/mutation-service';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';

const MutationIds = z.object({ clientId: ClientId, mutationId: MutationId });

export function registerMutationRoutes(app: FastifyInstance, deps: { tokens: AccessTokenIssuer; mutations: MutationService; writes: UserBudget }): void {
  app.post('/api/mutations', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    // A write names who made it; sent with someone else's token it is refused, never applied as them.
    const writer = request.headers[WRITER_HEADER.toLowerCase()];
    if (writer !== undefined && writer !== viewer.id) throw new AppError('forbidden', 'This change was made by another user');
    // Spent before anything is read or stored: a refused write leaves no trace.
    await spendOrRefuse(deps.writes, viewer.id);
    let mutation: Mutation;
    try {
      mutation = parseInput(Mutation, request.body, 'mutation');
    } catch (error) {
      // Say which mutation was refused when the body names it, so the sender can settle it.
      const ids = MutationIds.safeParse(request.body);
      if (!(error instanceof AppError) || !ids.success) throw error;
      const body: MutationRejected = { ...error.toBody(), mutation: ids.data };
      return reply.status(error.status).send(body);
    }
    const outcome = await deps.mutations.apply(viewer, mutation);
    return reply.status(outcome.httpStatus).header('cache-control', 'no-store').send(outcome.body);
  });
}
