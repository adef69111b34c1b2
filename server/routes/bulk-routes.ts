import type { FastifyInstance } from 'fastify';
import { CheckinsBulkBody, pairKey, RsvpsBulkBody, type BulkItemResult, type BulkResponse } from '../../protocol';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest, type Viewer } from '../auth/authenticate';
import { AppError, parseInput } from '../http/app-error';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';
import type { MutationService } from '../mutations/mutation-service';
import type { WriteCommand } from '../mutations/write-commands';

/**
 * Offline batches: every item is a command of the mutation service, tried on its own in its own
 * transaction, so one bad item never fails the others, and the answer maps each item's
 * `offlineId` to what the server made of it. Items carry no client mutation id: each is applied
 * once and not recorded (check-ins and RSVPs are set-like, so a resent batch changes nothing twice).
 */
export function registerBulkRoutes(app: FastifyInstance, deps: { tokens: AccessTokenIssuer; mutations: MutationService; writes: UserBudget }): void {
  async function settle(viewer: Viewer, offlineId: string, command: WriteCommand & { id: string }): Promise<BulkItemResult> {
    try {
      const { resolution } = await deps.mutations.applyCommand(viewer, command);
      return { offlineId, status: resolution === 'applied' ? 'applied' : 'unchanged', id: pairKey(command.id, viewer.id) };
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      return { offlineId, status: 'rejected', error: error.toBody().error };
    }
  }

  app.post('/api/sync/checkins/bulk', async (request) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    const body = parseInput(CheckinsBulkBody, request.body, 'check-ins');
    // Every item is a write: a batch spends as many as it holds, all or none.
    await spendOrRefuse(deps.writes, viewer.id, Math.max(1, body.items.length));
    const replaceTime = body.conflictResolution === 'client-wins';
    const results: BulkItemResult[] = [];
    for (const item of body.items) {
      results.push(await settle(viewer, item.offlineId, { name: 'activity.checkin', id: item.activityId, at: item.checkedInAt, replaceTime }));
    }
    const response: BulkResponse = { results };
    return response;
  });

  app.post('/api/sync/rsvps/bulk', async (request) => {
    const viewer = await authenticateRequest(request, deps.tokens);
    const body = parseInput(RsvpsBulkBody, request.body, 'RSVPs');
    await spendOrRefuse(deps.writes, viewer.id, Math.max(1, body.items.length));
    const results: BulkItemResult[] = [];
    for (const item of body.items) {
      const { activityId: id, going, wasGoing } = item;
      results.push(await settle(viewer, item.offlineId, { name: 'activity.rsvp', id, going, wasGoing, resolution: body.conflictResolution }));
    }
    const response: BulkResponse = { results };
    return response;
  });
}
