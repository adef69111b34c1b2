import type { FastifyInstance } from 'fastify';
import { CheckinsBulkBody, pairKey, RsvpsBulkBody, type BulkItemResult, type BulkResponse } from '../../protocol';
import type { ActivityService } from '../activities/activity-service';
import type { AccessTokenIssuer } from '../auth/access-tokens';
import { authenticateRequest, type Viewer } from '../auth/authenticate';
import { AppError, parseInput } from '../http/app-error';
import { spendOrRefuse, type UserBudget } from '../limits/user-limits';

/**
 * Offline batches: every item is tried on its own, so one bad item never fails the others, and
 * the answer maps each item's `offlineId` to what the server made of it.
 */
export function registerBulkRoutes(app: FastifyInstance, deps: { tokens: AccessTokenIssuer; activities: ActivityService; writes: UserBudget }): void {
  const { activities } = deps;

  async function settle(offlineId: string, work: () => Promise<{ changed: boolean; id: string }>): Promise<BulkItemResult> {
    try {
      const { changed, id } = await work();
      return { offlineId, status: changed ? 'applied' : 'unchanged', id };
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
    const results: BulkItemResult[] = [];
    for (const item of body.items) {
      results.push(
        await settle(item.offlineId, async () => {
          const { changed } = await activities.checkin(viewer, item.activityId, {
            at: item.checkedInAt,
            replaceTime: body.conflictResolution === 'client-wins',
          });
          return { changed, id: pairKey(item.activityId, viewer.id) };
        }),
      );
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
      results.push(await settle(item.offlineId, () => rsvp(viewer, item, body.conflictResolution)));
    }
    const response: BulkResponse = { results };
    return response;
  });

  /**
   * The server already holding this answer is no conflict (unchanged). Its answer differing from
   * what the device knew (`wasGoing`) is: another device changed it meanwhile, and
   * `server-wins` keeps the server's, `client-wins` applies the item.
   */
  async function rsvp(viewer: Viewer, item: RsvpsBulkBody['items'][number], resolution: RsvpsBulkBody['conflictResolution']) {
    const id = pairKey(item.activityId, viewer.id);
    const before = await activities.requireVisible(viewer, item.activityId);
    if (before.viewer.joined === item.going) return { changed: false, id };
    const changedElsewhere = item.wasGoing !== undefined && before.viewer.joined !== item.wasGoing;
    if (changedElsewhere && resolution === 'server-wins') return { changed: false, id };
    const joinedAfter = item.going ? (await activities.join(viewer, item.activityId)).viewer.joined : ((await activities.leave(viewer, item.activityId)).view?.viewer.joined ?? false);
    return { changed: joinedAfter === item.going, id };
  }
}
