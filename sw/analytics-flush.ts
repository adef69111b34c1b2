import { drainQueuedEvents } from '../device-db/analytics-queue';
import { postAnalyticsBatch } from '../device-db/analytics-send';

/**
 * A page going away (hidden, closed) hands the worker its token and asks it to send the analytics
 * events still queued on the device: the worker outlives the page long enough to finish
 * (`waitUntil`), where the page's own requests may be cut off. The token is used for this drain
 * only and kept nowhere. Whatever cannot go now (no network, an expired token) stays queued for
 * the next page.
 */
export function flushAnalytics(userId: string, accessToken: string): Promise<number> {
  return drainQueuedEvents(userId, async (events) => {
    const outcome = await postAnalyticsBatch(events, accessToken);
    return outcome === 'accepted' || outcome === 'refused';
  });
}
