import { httpStatusByErrorCode } from '../protocol/errors';
import { isTransientStatus, MAX_TRANSIENT_RETRIES, retryDelayMs } from '../protocol/retry-policy';

/**
 * What the worker does with each answer while replaying its queue: pure, so the rules are tested
 * without a browser (replay-policy.test.ts).
 */

export interface ReplayAttempt {
  /** Retries already made after transient failures (5xx, timeouts). */
  retries: number;
  /** Whether the access token was already refreshed for this entry. */
  refreshed: boolean;
  /** Whether it was already sent again without its `afterMutationId`. */
  unchained?: boolean;
}

const MUTATION_GAP_STATUS = httpStatusByErrorCode.mutation_gap;

export type ReplayStep =
  /** 2xx: the server holds it. */
  | 'applied'
  /** A refusal for good (4xx): the page rolls back. */
  | 'rejected'
  /** Retries used up: the page moves it to the failed list. */
  | 'failed'
  /** Transient: wait (replayDelayMs) and send again. */
  | 'retry'
  /** 401: refresh the access token through the cookie, then send again. */
  | 'refresh'
  /** Still 401 with a fresh token: keep it for the next login. */
  | 'wait-for-login'
  /** No answer: keep it, stop, and let the browser retry the sync later. */
  | 'network'
  /**
   * 425 `mutation_gap`: the earlier mutation it names has not reached the server. This entry is at
   * the head of its writer's queue, so that one was given up on and will never come: send it
   * again without naming it.
   */
  | 'unchain';

export const MAX_RETRIES = MAX_TRANSIENT_RETRIES;

/** @param status the HTTP status; 0 for a network error, -1 for a timeout. */
export function nextReplayStep(status: number, attempt: ReplayAttempt): ReplayStep {
  if (status === 0) return 'network';
  if (status >= 200 && status < 300) return 'applied';
  if (status === 401) return attempt.refreshed ? 'wait-for-login' : 'refresh';
  if (status === MUTATION_GAP_STATUS) return attempt.unchained ? 'rejected' : 'unchain';
  const transient = status === -1 || isTransientStatus(status);
  if (transient) return attempt.retries < MAX_RETRIES ? 'retry' : 'failed';
  return 'rejected';
}

export const replayDelayMs = retryDelayMs;
