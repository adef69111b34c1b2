import { refreshAccessToken } from './replay-requests';

/**
 * "Decline" on a ringing call's notification. The worker has no socket, so it declines over HTTP
 * with a token refreshed through the cookie, as the user the notification was for and nobody
 * else. With no network the decline cannot reach the server: the caller hears no answer when the
 * ring times out, as with a phone left unanswered.
 */
export async function declineCall(userId: string, callId: string): Promise<void> {
  const session = await refreshAccessToken();
  if (typeof session === 'string' || session.userId !== userId || !session.token) return;
  await fetch(`/api/calls/${encodeURIComponent(callId)}/decline`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${session.token}` },
  }).catch(() => undefined);
}
