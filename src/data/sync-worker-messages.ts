import type { PullReport } from './pull-feed';

/**
 * What the page and its sync worker (src/data/sync-worker.ts) tell each other. The worker pulls
 * the feed into the user's database; the page keeps the session, so the worker asks it for an
 * access token for each page it fetches, and for a newer one when the server refuses one.
 */
export type ToSyncWorker =
  | { type: 'pull'; pullId: number; userId: string }
  | { type: 'token'; requestId: number; token: string }
  | { type: 'no-token'; requestId: number; error: PassedError };

export type FromSyncWorker =
  | { type: 'need-token'; requestId: number; stale: string | null }
  | { type: 'pulled'; pullId: number; report: PullReport }
  | { type: 'failed'; pullId: number; error: PassedError };

/** An error as it crosses between the two: an ApiError's status and code, or a message alone. */
export interface PassedError {
  message: string;
  api?: { status: number; code: string };
}
