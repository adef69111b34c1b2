import type { PullReport } from './pull-feed';

/**
 * What the page and its sync worker (src/data/sync-worker.ts) tell each other. The worker pulls
 * the feed into the user's database; the page keeps the session: it hands the worker its access
 * token with each pull, and a newer one when the worker asks (the server refused the one it had).
 */
export type ToSyncWorker =
  | { type: 'pull'; pullId: number; userId: string; token: string }
  | { type: 'token'; requestId: number; token: string }
  | { type: 'no-token'; requestId: number; error: PassedError };

export type FromSyncWorker =
  | { type: 'need-token'; requestId: number; stale: string }
  | { type: 'pulled'; pullId: number; report: PullReport }
  | { type: 'failed'; pullId: number; error: PassedError };

/** An error as it crosses between the two: an ApiError's status and code, or a message alone. */
export interface PassedError {
  message: string;
  api?: { status: number; code: string };
}
