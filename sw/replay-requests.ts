import { AuthSession } from '../protocol/auth';
import { REFRESH_LOCK_NAME } from '../protocol/send-policy';

/** The requests a replay makes: a queued mutation sent with a token, and a refresh through the cookie. */

const REQUEST_TIMEOUT_MS = 15_000;

/** A user and a token of theirs to send their queue with (memory only). */
export interface ReplaySession {
  userId: string;
  token: string | null;
}

export interface SendResult {
  /** 0: no answer (network error). -1: timed out. */
  status: number;
  body: unknown;
  /** From `Retry-After`, when the server said how long to wait. */
  retryAfterMs?: number;
}

export async function send(original: Request, body: string, token: string): Promise<SendResult> {
  const headers = new Headers(original.headers);
  headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(original.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    return { status: error instanceof DOMException && error.name === 'TimeoutError' ? -1 : 0, body: null };
  }
  const retryAfterSeconds = Number(response.headers.get('Retry-After'));
  return {
    status: response.status,
    body: await response.json().catch(() => null),
    ...(retryAfterSeconds > 0 ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
  };
}

/**
 * Trades the refresh cookie for an access token, under the same Web Lock the pages take (refresh
 * tokens rotate, and a reused one logs the user out).
 */
export async function refreshAccessToken(): Promise<ReplaySession | 'signed-out' | 'network'> {
  const refresh = async (): Promise<ReplaySession | 'signed-out' | 'network'> => {
    let response: Response;
    try {
      response = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
    } catch {
      return 'network';
    }
    // The server is there but unwell (or limiting): try again later, as the page does.
    if (response.status >= 500 || response.status === 429) return 'network';
    if (!response.ok) return 'signed-out';
    const session = AuthSession.safeParse(await response.json().catch(() => null));
    return session.success ? { userId: session.data.user.id, token: session.data.accessToken } : 'signed-out';
  };
  return 'locks' in navigator ? navigator.locks.request(REFRESH_LOCK_NAME, refresh) : refresh();
}

/** The mutation without its `afterMutationId` (see `nextSendStep`'s 'unchain'). */
export function withoutPredecessor(body: string): string {
  try {
    const { afterMutationId: _given_up, ...mutation } = JSON.parse(body) as Record<string, unknown>;
    return JSON.stringify(mutation);
  } catch {
    return body;
  }
}

export function mutationIdsOf(body: string): { clientId: string; mutationId: number } {
  try {
    const parsed = JSON.parse(body) as { clientId?: unknown; mutationId?: unknown };
    return { clientId: String(parsed.clientId), mutationId: Number(parsed.mutationId) };
  } catch {
    return { clientId: '', mutationId: 0 };
  }
}
