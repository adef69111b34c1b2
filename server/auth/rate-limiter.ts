import type { RedisClient } from '../scale/redis-connection';

/** Counts hits per key in fixed windows. Behind an interface so Redis can serve several processes. */
export interface RateLimiter {
  hit(key: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

export function createMemoryRateLimiter(limit: number, windowMs: number, now: () => Date): RateLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>();
  return {
    async hit(key) {
      const at = now().getTime();
      let window = windows.get(key);
      if (!window || at - window.startedAt >= windowMs) {
        window = { startedAt: at, count: 0 };
        windows.set(key, window);
        if (windows.size > 10_000) evictExpired(windows, at, windowMs);
      }
      window.count += 1;
      const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + windowMs - at) / 1000));
      return { allowed: window.count <= limit, retryAfterSeconds };
    },
  };
}

function evictExpired(windows: Map<string, { startedAt: number }>, at: number, windowMs: number): void {
  for (const [key, window] of windows) {
    if (at - window.startedAt >= windowMs) windows.delete(key);
  }
}

/**
 * The same fixed windows kept in Redis, so that every process counts against one limit. The
 * window starts at a key's first hit: INCR creates the key and PEXPIRE NX gives it the window's
 * lifetime without extending it on later hits; the transaction makes the pair atomic.
 */
export function createRedisRateLimiter(
  client: RedisClient,
  options: { limit: number; windowMs: number; prefix: string },
): RateLimiter {
  const { limit, windowMs, prefix } = options;
  return {
    async hit(key) {
      const redisKey = `${prefix}${key}`;
      const [count, , remainingMs] = await client
        .multi()
        .incr(redisKey)
        .pExpire(redisKey, windowMs, 'NX')
        .pTTL(redisKey)
        .execTyped();
      // Inside the transaction PTTL is never negative; the guard keeps an odd reply from meaning "retry now".
      const msLeft = remainingMs > 0 ? remainingMs : windowMs;
      return { allowed: count <= limit, retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) };
    },
  };
}
