import { httpStatusByErrorCode } from './error-codes';
import { isTransientStatus, MAX_TRANSIENT_RETRIES, retryDelayMs } from './retry-policy';

/**
 * What a sender of mutations does with each answer: one rule for the page's send loop
 * (`src/outbox/send-loop.ts`) and the worker's replay (`sw/outbox.ts`), so a mutation behaves the
 * same whoever carries it. Pure; the table of cases is in send-policy.test.ts.
 */

/** The Web Lock both runtimes take around a refresh: a refresh token is never rotated twice at once. */
export const REFRESH_LOCK_NAME = 'rally-auth-refresh';

/** Waits for an earlier mutation the server has not seen yet (`mutation_gap`) before leaving it for later. */
export const MAX_GAP_WAITS = 8;
/** The longest wait a `Retry-After` may impose on one try. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

export interface SendAnswer {
  /** The HTTP status; 0 when nothing answered (no network), -1 when the request timed out. */
  status: number;
  /** From `Retry-After` (or a socket ack's `retryAfterMs`). */
  retryAfterMs?: number;
}

export interface SendAttempt {
  /** Tries already spent on transient failures (5xx, timeouts). */
  retries: number;
  /** Whether the access token was refreshed for this mutation already. */
  refreshed: boolean;
  /** Times it already waited for an earlier mutation of its client. */
  gapWaits: number;
  /** Whether it was already sent without its `afterMutationId`. */
  unchained: boolean;
}

export const FIRST_ATTEMPT: SendAttempt = { retries: 0, refreshed: false, gapWaits: 0, unchained: false };

/**
 * Who sends decides one thing differently: a gap at the head of the worker's queue means the
 * earlier mutation was given up on and will never come (`unchain`), while the page's earlier
 * mutation is still on its way through the worker (`wait`).
 */
export type GapRule = 'wait' | 'unchain';

export type SendStep =
  /** 2xx: the server holds it. */
  | { kind: 'applied' }
  /** A refusal for good (4xx): the page rolls it back. */
  | { kind: 'rejected' }
  /** Tries used up: into the failed list, for the user to retry. */
  | { kind: 'failed' }
  /** Send again after `afterMs`; `spendsTry`: whether it counts against the tries. */
  | { kind: 'retry'; afterMs: number; spendsTry: boolean }
  /** Send again after waiting for the earlier mutation (the page asks the worker to replay meanwhile). */
  | { kind: 'wait-for-earlier'; afterMs: number }
  /** Send again without `afterMutationId`. */
  | { kind: 'unchain' }
  /** 401: refresh the access token through the cookie, then send again. */
  | { kind: 'refresh' }
  /** Still 401 with a fresh token, or a gap that outlasted its waits: keep it for later. */
  | { kind: 'hold' }
  /** No answer: keep it and stop; the network coming back starts again. */
  | { kind: 'offline' };

export function nextSendStep(answer: SendAnswer, attempt: SendAttempt, gapRule: GapRule, random: () => number = Math.random): SendStep {
  const { status } = answer;
  if (status === 0) return { kind: 'offline' };
  if (status >= 200 && status < 300) return { kind: 'applied' };
  if (status === 401) return attempt.refreshed ? { kind: 'hold' } : { kind: 'refresh' };
  if (status === httpStatusByErrorCode.mutation_gap) {
    if (gapRule === 'unchain') return attempt.unchained ? { kind: 'rejected' } : { kind: 'unchain' };
    return attempt.gapWaits < MAX_GAP_WAITS ? { kind: 'wait-for-earlier', afterMs: 250 * 2 ** Math.min(attempt.gapWaits, 5) } : { kind: 'hold' };
  }
  // The server limits writes per user: wait as long as it says, without using up a try.
  if (status === 429) return { kind: 'retry', afterMs: Math.min(answer.retryAfterMs ?? 1_000, MAX_RATE_LIMIT_WAIT_MS), spendsTry: false };
  if (status === -1 || isTransientStatus(status)) {
    return attempt.retries < MAX_TRANSIENT_RETRIES ? { kind: 'retry', afterMs: retryDelayMs(attempt.retries, random), spendsTry: true } : { kind: 'failed' };
  }
  return { kind: 'rejected' };
}

/** The attempt after taking `step` (for the steps that send again). */
export function nextAttempt(attempt: SendAttempt, step: SendStep): SendAttempt {
  switch (step.kind) {
    case 'retry':
      return step.spendsTry ? { ...attempt, retries: attempt.retries + 1 } : attempt;
    case 'wait-for-earlier':
      return { ...attempt, gapWaits: attempt.gapWaits + 1 };
    case 'unchain':
      return { ...attempt, unchained: true };
    case 'refresh':
      return { ...attempt, refreshed: true };
    default:
      return attempt;
  }
}
