import type { AnalyticsBatch, AnalyticsEvent } from '../protocol/analytics';

export const ANALYTICS_EVENTS_PATH = '/api/analytics/events';

/**
 * What one batch's answer means for the queue, for the page and the worker alike:
 * - `accepted`: the server has every event of it (stored now or before): it leaves the queue;
 * - `refused`: the server will never take it (a 400: it does not fit the contract); it leaves the
 *   queue too, or it would block every event behind it for ever;
 * - `unauthorized`: the token is no longer good; the page refreshes it and sends again;
 * - `later`: no network, a limit to wait out (429), a failure of ours: it stays queued.
 */
export type BatchOutcome = 'accepted' | 'refused' | 'unauthorized' | 'later';

export function batchOutcomeOf(status: number | null): BatchOutcome {
  if (status === null) return 'later';
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 401) return 'unauthorized';
  if (status === 400 || status === 413) return 'refused';
  return 'later';
}

/** POSTs one batch with the user's token; never throws (no network is `later`). */
export async function postAnalyticsBatch(events: AnalyticsEvent[], accessToken: string, origin = ''): Promise<BatchOutcome> {
  const body: AnalyticsBatch = { events };
  try {
    const response = await fetch(`${origin}${ANALYTICS_EVENTS_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(body),
    });
    return batchOutcomeOf(response.status);
  } catch {
    return batchOutcomeOf(null);
  }
}
