import type { FastifyInstance } from 'fastify';
import { PROTOCOL_VERSION_HEADER, PROTOCOL_VERSION_WITHOUT_HEADER, SyncQuery, type SyncResponse } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import type { MutationService } from '../mutations/mutation-service';
import { parseInput } from '../http/app-error';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';
import type { SyncFeed } from '../sync/sync-feed';

export function registerSyncRoutes(app: FastifyInstance, deps: { feed: SyncFeed; tokens: AccessTokenIssuer; mutations: MutationService; syncReads: UserBudget }): void {
  app.get('/api/sync', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    await spendOrRefuse(deps.syncReads, viewer.id);
    const query = parseInput(SyncQuery, request.query, 'sync query');
    const page = await deps.feed.readPage(viewer.id, query.cursor, query.limit, pageProtocolOf(request.headers[PROTOCOL_VERSION_HEADER]));
    const body: SyncResponse = {
      ...page,
      ...(query.clientId ? { lastMutationId: await deps.mutations.lastMutationId(viewer.id, query.clientId) } : {}),
    };
    void reply.header('cache-control', 'no-store');
    return body;
  });
}

/** The protocol the page names in its header (absent or unreadable: the last version that sent none). */
export function pageProtocolOf(header: string | string[] | undefined): number {
  const version = Number(Array.isArray(header) ? header[0] : header);
  return Number.isInteger(version) && version > 0 ? version : PROTOCOL_VERSION_WITHOUT_HEADER;
}
