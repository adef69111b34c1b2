import type { FastifyInstance } from 'fastify';
import { SyncQuery, type SyncResponse } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest } from '../auth/authenticate';
import { readCurrentSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';
import type { MutationService } from '../mutations/mutation-service';
import { parseInput } from '../http/app-error';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';
import { decodeSyncCursor, deliveredPosition, encodeSyncCursor } from '../sync/sync-cursor';
import { readEpoch, readSyncPage, startCursor } from '../sync/sync-feed';
import { readPrunedBelow } from '../maintenance/history-pruning';

export function registerSyncRoutes(app: FastifyInstance, deps: { db: Db; tokens: AccessTokenIssuer; mutations: MutationService; cursorKey: Uint8Array; syncReads: UserBudget }): void {
  app.get('/api/sync', async (request, reply) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    await spendOrRefuse(deps.syncReads, viewer.id);
    const query = parseInput(SyncQuery, request.query, 'sync query');
    const check = async (raw: string) =>
      decodeSyncCursor(raw, deps.cursorKey, { epoch: await readEpoch(deps.db), seq: await readCurrentSeq(deps.db), prunedBelow: await readPrunedBelow(deps.db) });
    const cursor = query.cursor ? await check(query.cursor) : await startCursor(deps.db);
    const page = await readSyncPage(deps.db, viewer.id, cursor, query.limit);
    // Pruning may have run while the page was read: a cursor it overtook might have missed a removal.
    if (query.cursor) await check(query.cursor);
    const body: SyncResponse = {
      changes: page.changes,
      cursor: encodeSyncCursor(page.cursor, deps.cursorKey),
      hasMore: page.hasMore,
      position: deliveredPosition(page.cursor),
      ...(query.clientId ? { lastMutationId: await deps.mutations.lastMutationId(viewer.id, query.clientId) } : {}),
    };
    void reply.header('cache-control', 'no-store');
    return body;
  });
}
