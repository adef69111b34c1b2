import { createHash } from 'node:crypto';
import type { PushKind, PushPriority } from '../../protocol';

/**
 * Pure rules of push delivery: how urgent each kind is, how long a push service may hold it,
 * what collapses it, and what to do after a send attempt. No I/O; push-rules.test.ts has a row per case.
 */

/** High for calls and messages (someone is waiting for an answer), normal for announcements and updates, low for digests. */
export const PRIORITY_OF: Record<PushKind, PushPriority> = {
  call: 'high',
  message: 'high',
  announcement: 'normal',
  'activity-update': 'normal',
  invitation: 'normal',
};

/**
 * Seconds a push service keeps an undelivered push: a chat line is stale after a day, an invitation
 * keeps a week. A call's push keeps a day too: a phone that comes back after the ring is over still
 * learns of the missed call (the worker shows a late ringing push as missed, and the missed-call
 * push replaces the ringing one at the push service by topic).
 */
export const TTL_SECONDS_OF: Record<PushKind, number> = {
  call: 86_400,
  message: 86_400,
  announcement: 3 * 86_400,
  'activity-update': 86_400,
  invitation: 7 * 86_400,
};

/** Web Push `Urgency` (RFC 8030 §5.3). */
export const WEB_PUSH_URGENCY: Record<PushPriority, 'high' | 'normal' | 'low'> = { high: 'high', normal: 'normal', low: 'low' };
/** FCM `android.priority` knows only two levels: low waits for the device's maintenance window, as normal does. */
export const FCM_ANDROID_PRIORITY: Record<PushPriority, 'high' | 'normal'> = { high: 'high', normal: 'normal', low: 'normal' };

/**
 * The Web Push `Topic` (and FCM collapse key) of a conversation or notification: a newer push with
 * the same topic replaces an undelivered older one. RFC 8030 allows at most 32 characters of the
 * URL-safe base64 alphabet, so the id is hashed (a uuid with its dashes is 36).
 */
export function pushTopicOf(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}

/** What one send attempt came to, as the dispatcher needs it. */
export type SendResult =
  | { kind: 'sent' }
  /** The push service says this device no longer exists (Web Push 404/410, FCM UNREGISTERED). */
  | { kind: 'gone'; detail: string }
  /** Worth trying again (5xx, 429, a timeout, a reset connection); `retryAfterMs` from `Retry-After`. */
  | { kind: 'transient'; detail: string; retryAfterMs?: number }
  /** Will never succeed as it is (400, 401, 403, 413, a payload the service refuses). */
  | { kind: 'permanent'; detail: string };

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 2_000, maxDelayMs: 15 * 60_000 };

export type NextStep =
  | { settle: 'sent' | 'expired' | 'failed'; detail?: string }
  | { retryInMs: number; detail: string };

/**
 * After attempt number `attempt` (1 for the first) came back as `result`: settle the row, or try
 * again later. Backoff is exponential with full jitter (`random` in [0, 1)), never sooner than
 * the service's own `Retry-After`, never later than `maxDelayMs` (unless `Retry-After` says so).
 */
export function nextStepAfter(result: SendResult, attempt: number, policy: RetryPolicy, random: number): NextStep {
  switch (result.kind) {
    case 'sent':
      return { settle: 'sent' };
    case 'gone':
      return { settle: 'expired', detail: result.detail };
    case 'permanent':
      return { settle: 'failed', detail: result.detail };
    case 'transient': {
      if (attempt >= policy.maxAttempts) return { settle: 'failed', detail: `gave up after ${attempt} attempts: ${result.detail}` };
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const jittered = Math.floor(ceiling / 2 + (ceiling / 2) * random);
      return { retryInMs: Math.max(jittered, result.retryAfterMs ?? 0), detail: result.detail };
    }
  }
}

/** `Retry-After` (seconds, or an HTTP date) in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** How a Web Push service's HTTP status reads (RFC 8030 §6, §8). */
export function webPushResultOf(status: number, retryAfter: string | undefined, now: Date): SendResult {
  if (status >= 200 && status < 300) return { kind: 'sent' };
  if (status === 404 || status === 410) return { kind: 'gone', detail: `push service answered ${status}` };
  if (status === 429 || status >= 500 || status === 408) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    return { kind: 'transient', detail: `push service answered ${status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  return { kind: 'permanent', detail: `push service answered ${status}` };
}
