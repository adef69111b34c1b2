import type { FastifyInstance } from 'fastify';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import type { CallSettings } from '../calls/call-config';
import { iceServersFor } from '../calls/ice-servers';

/** Where a signed-in page gathers its ICE candidates, with TURN credentials minted for it. */
export function registerCallRoutes(app: FastifyInstance, deps: { tokens: AccessTokenIssuer; settings: CallSettings; now: () => Date }): void {
  app.get('/api/calls/ice-servers', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    // Credentials are per user and short-lived: never from a cache.
    return reply.header('cache-control', 'no-store').send(iceServersFor(deps.settings, viewer.id, deps.now()));
  });
}
