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
