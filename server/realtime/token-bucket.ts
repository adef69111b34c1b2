/**
 * Per-connection flood control: a bucket of `capacity` tokens refilled at `perSecond`. Each event
 * takes one; with none left the event is refused and the caller learns when the next token comes.
 */
export interface TokenBucket {
  take(): { allowed: true } | { allowed: false; retryAfterMs: number };
}

export function createTokenBucket(capacity: number, perSecond: number, now: () => number = Date.now): TokenBucket {
  let tokens = capacity;
  let refilledAt = now();
  return {
    take() {
      const at = now();
      tokens = Math.min(capacity, tokens + ((at - refilledAt) / 1000) * perSecond);
      refilledAt = at;
      if (tokens >= 1) {
        tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterMs: Math.ceil(((1 - tokens) / perSecond) * 1000) };
    },
  };
}
