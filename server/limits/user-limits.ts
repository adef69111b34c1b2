import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { AppError } from '../http/app-error';
import type { RedisClient } from '../scale/redis-connection';

/**
 * A budget one user spends from every device and every process alike: a script with one
 * account cannot multiply it by opening more sockets or landing on another process.
 */
export interface UserBudget {
  /** Spends `points` of the user's budget; `retryAfterMs` when there was not enough left. */
  spend(userId: string, points?: number): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }>;
}

/**
 * Writes (HTTP mutations, bulk batches, socket messages), sync reads (sync pages, older messages)
 * and analytics events: a budget of their own, so a page draining its analytics never leaves the
 * user's writes waiting.
 */
export interface UserLimits {
  writes: UserBudget;
  syncReads: UserBudget;
  analyticsEvents: UserBudget;
  /** Photo files (up to 10 MB each): a budget apart from writes, which are small. */
  photoUploads: UserBudget;
}

export function createUserLimits(config: Config['userLimits'], redis: RedisClient | undefined): UserLimits {
  const budget = (name: string, perMinute: number): UserBudget => {
    const options = { points: perMinute, duration: 60, keyPrefix: `${config.redisPrefix}${name}` };
    // node-redis v4+ takes `eval(script, {keys, arguments})`, which `useRedisPackage` selects.
    const limiter: RateLimiterAbstract = redis
      ? new RateLimiterRedis({ ...options, storeClient: redis, useRedisPackage: true })
      : new RateLimiterMemory(options);
    return {
      async spend(userId, points = 1) {
        try {
          await limiter.consume(userId, points);
          return { allowed: true };
        } catch (refusal) {
          // A store failure is not a refusal: it surfaces as the server's own error.
          if (!(refusal instanceof RateLimiterRes)) throw refusal;
          return { allowed: false, retryAfterMs: Math.max(1, refusal.msBeforeNext) };
        }
      },
    };
  };
  return {
    writes: budget('writes', config.writesPerMinute),
    syncReads: budget('sync', config.syncReadsPerMinute),
    analyticsEvents: budget('analytics', config.analyticsEventsPerMinute),
    photoUploads: budget('photos', config.photoUploadsPerMinute),
  };
}

/** For HTTP routes: spends from the budget, or refuses with 429 and `Retry-After` before any work is done. */
export async function spendOrRefuse(budget: UserBudget, userId: string, points = 1): Promise<void> {
  const spent = await budget.spend(userId, points);
  if (spent.allowed) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(spent.retryAfterMs / 1000));
  throw new AppError('rate_limited', `Too many requests; try again in ${retryAfterSeconds} s`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}
