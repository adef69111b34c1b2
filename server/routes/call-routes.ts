import type { FastifyInstance } from 'fastify';
import { CallRef } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import type { CallSettings } from '../calls/call-config';
import type { CallService } from '../calls/call-service';
import { iceServersFor } from '../calls/ice-servers';
import { parseInput } from '../http/app-error';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';

export function registerCallRoutes(
  app: FastifyInstance,
  deps: { tokens: AccessTokenIssuer; calls: CallService; settings: CallSettings; writes: UserBudget; now: () => Date },
): void {
  /** Where a signed-in page gathers its ICE candidates, with TURN credentials minted for it. */
  app.get('/api/calls/ice-servers', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    // Credentials are per user and short-lived: never from a cache.
    return reply.header('cache-control', 'no-store').send(iceServersFor(deps.settings, viewer.id, deps.now()));
  });

  /**
   * Decline from a call's notification: the worker that shows it has no socket. Everything else
   * about a call rides the socket (see server/realtime/call-sockets.ts), where the page is.
   */
  app.post('/api/calls/:callId/decline', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    await spendOrRefuse(deps.writes, viewer.id);
    const { callId } = parseInput(CallRef, request.params, 'call id');
    await deps.calls.decline(viewer, callId);
    return reply.code(204).send();
  });
}
