import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimiter } from '../../server/auth/rate-limiter';
import { connectRedis, type RedisConnection } from '../../server/scale/redis-connection';
import { deleteRedisKeys, randomRedisPrefix, TEST_REDIS_URL } from './harness';

describe('Redis rate limiter', () => {
  const prefix = randomRedisPrefix();
  // Two connections stand for two Rally processes.
  let first: RedisConnection;
  let second: RedisConnection;

  beforeAll(async () => {
    first = await connectRedis(TEST_REDIS_URL);
    second = await connectRedis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    await deleteRedisKeys(first.client, `${prefix}*`);
    await Promise.all([first.close(), second.close()]);
  });

  it('allows `limit` hits in a window, then refuses with the seconds left in it', async () => {
    const limiter = createRedisRateLimiter(first.client, { limit: 3, windowMs: 60_000, prefix });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit('login:ip:a'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]?.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(results[3]?.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('counts each key on its own', async () => {
    const limiter = createRedisRateLimiter(first.client, { limit: 1, windowMs: 60_000, prefix });
    expect((await limiter.hit('login:ip:b')).allowed).toBe(true);
    expect((await limiter.hit('login:ip:c')).allowed).toBe(true);
    expect((await limiter.hit('login:ip:b')).allowed).toBe(false);
  });

  it('does not extend the window on later hits, and starts a new one when it ends', async () => {
    const limiter = createRedisRateLimiter(first.client, { limit: 2, windowMs: 300, prefix });
    await limiter.hit('login:ip:d');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await limiter.hit('login:ip:d');
    const refused = await limiter.hit('login:ip:d');
    expect(refused.allowed).toBe(false);
    // Less than a second is left, but a client is never told to retry in 0 s.
    expect(refused.retryAfterSeconds).toBe(1);
    expect(await first.client.pTTL(`${prefix}login:ip:d`)).toBeLessThan(200);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await limiter.hit('login:ip:d')).allowed).toBe(true);
  });

  it('shares one count between processes', async () => {
    const options = { limit: 3, windowMs: 60_000, prefix };
    const onFirst = createRedisRateLimiter(first.client, options);
    const onSecond = createRedisRateLimiter(second.client, options);
    const allowed = [
      (await onFirst.hit('login:account:e')).allowed,
      (await onSecond.hit('login:account:e')).allowed,
      (await onFirst.hit('login:account:e')).allowed,
      (await onSecond.hit('login:account:e')).allowed,
    ];
    expect(allowed).toEqual([true, true, true, false]);
  });

  it('counts concurrent hits exactly', async () => {
    const limiter = createRedisRateLimiter(first.client, { limit: 10, windowMs: 60_000, prefix });
    const results = await Promise.all(Array.from({ length: 25 }, () => limiter.hit('login:ip:f')));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(await first.client.pTTL(`${prefix}login:ip:f`)).toBeGreaterThan(0);
  });
});
